"""Every page of the built site, opened once per colour scheme in Chromium: what it loads,
logs and draws (the visits are shared with the other checks: tests/browser/visits.py)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from visits import SCHEMES, Visit

from infradocs.core.siteconfig import DOCS, settings

pytestmark = pytest.mark.slow


@pytest.fixture(params=SCHEMES)
def visits(request, site_visits: dict[str, dict[str, Visit]]) -> dict[str, Visit]:
    """Every page in one colour scheme: path -> Visit."""
    return site_visits[request.param]


def test_every_page_loads(visits: dict[str, Visit], built_site: Path) -> None:
    assert len(visits) >= 40, f"only {len(visits)} pages in {built_site}"
    assert {p: v.status for p, v in visits.items() if v.status != 200} == {}


def test_no_page_requests_another_host_or_logs_an_error(visits: dict[str, Visit]) -> None:
    bad = {p: v.problems for p, v in visits.items() if v.problems}
    assert bad == {}, "\n".join(f"{p}:\n  " + "\n  ".join(v) for p, v in bad.items())


def test_every_page_shows_its_colour_scheme(visits: dict[str, Visit], request) -> None:
    scheme = request.node.callspec.params["visits"]
    assert {p: v.theme for p, v in visits.items() if v.theme != scheme} == {}


def test_every_diagram_renders_to_svg(visits: dict[str, Visit], built_site: Path) -> None:
    expected = {p for p in visits if 'class="mermaid' in (built_site / p).read_text()}
    assert len(expected) >= 5, "the site has hardly any diagrams: did the build change?"
    drawn = {p for p, v in visits.items() if v.diagrams}
    assert drawn == expected
    bad = [
        f"{built_site / p}: diagram {i + 1}: "
        + (d["error"] or ("hidden, never drawn" if d["deferred"] else "no SVG"))
        for p, v in sorted(visits.items())
        for i, d in enumerate(v.diagrams)
        if d["error"] or not d["svg"] or d["deferred"] or d["failed"]
    ]
    assert bad == [], "\n".join(bad)


def _target_exists(site: Path, url: str) -> bool:
    """Whether ``url`` (relative to the local server's site) is a built page, and its
    #fragment an id in it."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:  # not on the local server
        return False
    rel = unquote(parts.path)
    target = site / (rel or "index.html")
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return False
    frag = unquote(parts.fragment)
    return not frag or re.search(rf'id="{re.escape(frag)}"', target.read_text()) is not None


def test_diagram_node_links_resolve(visits: dict[str, Visit], built_site: Path) -> None:
    # A node's link to its own page is "#"; the build warns (strict) about links to missing pages.
    links = [
        (p, raw, url) for p, v in visits.items() for d in v.diagrams for raw, url in d["links"]
    ]
    assert len(links) >= 20, "diagram nodes carry hardly any links: did the generator change?"
    bad = sorted(
        f"{built_site / p}: node link {raw!r}"
        for p, raw, url in links
        if not raw or not _target_exists(built_site, url)
    )
    assert bad == [], "\n".join(bad)


def test_edit_links_name_existing_sources(visits: dict[str, Visit]) -> None:
    site = settings()
    prefix = f"https://github.com/{site['github_repo']}/edit/{site['github_branch']}/docs/"
    checked = 0
    for path, visit in visits.items():
        if path in ("genindex.html", "search.html"):
            continue
        assert visit.edit_links, f"{path}: no 'edit this page' link"
        for link in visit.edit_links:
            assert link.startswith(prefix), f"{path}: {link}"
            source = DOCS / link[len(prefix) :]
            assert source.is_file(), f"{path}: the edit link names {source}, which does not exist"
            assert source.with_suffix("").relative_to(DOCS).as_posix() == path[: -len(".html")]
            checked += 1
    assert checked >= 40
