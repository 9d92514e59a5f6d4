"""Readers' searches for component, bot, token and channel names find the component's page first."""

from __future__ import annotations

from pathlib import Path

import pytest

from infradocs.cli.sitesearch import rank
from infradocs.core.archmodel import load_model
from infradocs.core.sitesearch.queries import ambiguous, queries


@pytest.mark.slow
def test_every_component_query_ranks_its_page_first(built_site: Path, browser) -> None:
    rows = rank(built_site, "sphinx", browser)
    assert len(rows) >= len(list(load_model()))
    misses = [(q, want, got) for q, want, got in rows if want != got]
    assert misses == []


def test_no_query_names_two_components() -> None:
    assert ambiguous(load_model()) == []


def test_queries_cover_titles_ids_and_token_names() -> None:
    model = load_model()
    asked = {q.casefold() for q, _ in queries(model)}
    for comp in model:
        assert comp.title.casefold() in asked and comp.id in asked, comp.id
        if comp.kind == "token":
            assert {c.casefold() for c in comp.get("credentials", [])} <= asked, comp.id


@pytest.mark.slow
def test_genindex_lists_component_entries(built_site: Path) -> None:
    index = (built_site / "genindex.html").read_text()
    for comp in load_model():
        assert f"#component-{comp.id}" in index, comp.id
