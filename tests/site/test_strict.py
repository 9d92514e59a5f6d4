"""Planted mistakes fail the strict build with a message naming the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitehelpers import copy_site, sphinx_build

# Each test builds a copy of the whole site.
pytestmark = pytest.mark.slow


def _plant(page: Path, text: str) -> int:
    """Append ``text`` to ``page``; return the line number where it starts."""
    lines = page.read_text().splitlines()
    page.write_text("\n".join([*lines, "", text, ""]))
    return len(lines) + 2


def test_broken_cross_reference_names_file_and_line(tmp_path: Path) -> None:
    docs = copy_site(tmp_path)
    page = docs / "contributing" / "preview.md"
    line = _plant(page, "See {ref}`a-label-that-does-not-exist`.")
    proc = sphinx_build(docs, tmp_path / "out")
    assert proc.returncode != 0
    assert f"{page}:{line}" in proc.stderr
    assert "a-label-that-does-not-exist" in proc.stderr


def test_invalid_myst_names_file_and_line(tmp_path: Path) -> None:
    docs = copy_site(tmp_path)
    page = docs / "how-to" / "add-a-component.md"
    line = _plant(page, "```{no-such-directive}\nbody\n```")
    proc = sphinx_build(docs, tmp_path / "out")
    assert proc.returncode != 0
    assert f"{page}:{line}" in proc.stderr
    assert "no-such-directive" in proc.stderr


def test_page_missing_from_every_toctree_fails(tmp_path: Path) -> None:
    docs = copy_site(tmp_path)
    orphan = docs / "how-to" / "orphan.md"
    orphan.write_text("# Orphan\n\nNobody links here.\n")
    (docs / "how-to" / "index.md").write_text(
        "# How-to guides\n\n```{toctree}\nadd-a-component\n```\n"
    )
    proc = sphinx_build(docs, tmp_path / "out")
    assert proc.returncode != 0
    assert str(orphan) in proc.stderr
    assert "toctree" in proc.stderr


def test_clean_copy_builds(tmp_path: Path) -> None:
    """The copy the other tests plant mistakes in builds cleanly as it is."""
    docs = copy_site(tmp_path)
    proc = sphinx_build(docs, tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
