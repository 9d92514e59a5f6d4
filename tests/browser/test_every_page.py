"""Every page of the built site, opened once in Chromium: what it loads, logs and draws."""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browser_support import Guard, guard_context, settle, wait_for_diagrams
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from infradocs.core.localsite import launch
from infradocs.core.siteconfig import DOCS, settings

pytestmark = pytest.mark.slow

CRAWLERS = 2

DIAGRAM_STATE = """() => [...document.querySelectorAll('.mermaid')].map(el => ({
  svg: !!el.querySelector('svg'),
  error: /Syntax error|Parse error/.test(el.textContent) ? el.textContent.trim().slice(0, 200) : '',
  deferred: el.hasAttribute('data-mermaid-deferred'),
  failed: el.hasAttribute('data-mermaid-render-failed'),
  links: [...el.querySelectorAll('svg a')].map(a => {
    const raw = a.getAttribute('href') ?? a.getAttribute('xlink:href') ?? '';
    return [raw, raw ? new URL(raw, location.href).href : ''];
  }),
}))"""


@dataclass
class Visit:
    """What one page did in the browser."""

    status: int
    problems: list[str] = field(default_factory=list)
    diagrams: list[dict] = field(default_factory=list)
    edit_links: list[str] = field(default_factory=list)


def site_pages(site: Path) -> list[str]:
    """Every HTML page of the built site, relative paths (theme template leftovers excluded)."""
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if not p.relative_to(site).as_posix().startswith("_static/")
    )


def crawl(paths: list[str], site_url: str) -> dict[str, Visit]:
    """Open each page in its own Chromium (light mode, desktop size); page path -> what happened."""
    with sync_playwright() as pw:
        browser = launch(pw)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
        guard = Guard()
        guard_context(context, guard)
        page = context.new_page()
        out: dict[str, Visit] = {}
        try:
            for path in paths:
                out[path] = visit(page, guard, site_url + path)
        finally:
            browser.close()
    return out


def visit(page, guard: Guard, url: str) -> Visit:
    """Open ``url``, wait for its diagrams; what it loaded, logged and drew."""
    result = Visit(status=0)
    try:
        response = page.goto(url)
        result.status = response.status if response else 0
        if wait_for_diagrams(page):
            result.diagrams = page.evaluate(DIAGRAM_STATE)
        result.edit_links = page.eval_on_selector_all(
            "a[href*='/edit/']", "els => els.map(a => a.href)"
        )
        settle(page)
    except PlaywrightError as exc:  # one broken page never hides the others
        guard.errors.append(f"the browser gave up: {str(exc).splitlines()[0]}")
    result.problems = guard.problems()
    guard.foreign.clear()
    guard.errors.clear()
    return result


@pytest.fixture(scope="module")
def visits(built_site: Path, site_url: str) -> dict[str, Visit]:
    """Every page opened once, by two browsers side by side (CI has 2 cores); path -> Visit."""
    paths = site_pages(built_site)
    workers = max(1, min(CRAWLERS, os.cpu_count() or 1))
    # Playwright's sync API: one instance per thread.
    with ThreadPoolExecutor(workers) as pool:
        parts = list(pool.map(lambda chunk: crawl(chunk, site_url), [
            paths[i::workers] for i in range(workers)
        ]))  # fmt: skip
    return {path: v for part in parts for path, v in sorted(part.items())}


def test_every_page_loads(visits: dict[str, Visit], built_site: Path) -> None:
    assert len(visits) >= 40, f"only {len(visits)} pages in {built_site}"
    assert {p: v.status for p, v in visits.items() if v.status != 200} == {}


def test_no_page_requests_another_host_or_logs_an_error(visits: dict[str, Visit]) -> None:
    bad = {p: v.problems for p, v in visits.items() if v.problems}
    assert bad == {}, "\n".join(f"{p}:\n  " + "\n  ".join(v) for p, v in bad.items())


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


def _target_exists(site: Path, site_url: str, url: str) -> bool:
    """Whether ``url`` (on the local server) is a built page, and its #fragment an id in it."""
    if not url.startswith(site_url):
        return False
    parts = urlsplit(url)
    rel = unquote(parts.path)[len(urlsplit(site_url).path) :]
    target = site / (rel or "index.html")
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return False
    frag = unquote(parts.fragment)
    return not frag or re.search(rf'id="{re.escape(frag)}"', target.read_text()) is not None


def test_diagram_node_links_resolve(
    visits: dict[str, Visit], built_site: Path, site_url: str
) -> None:
    # A node's link to its own page is "#"; the build warns (strict) about links to missing pages.
    links = [
        (p, raw, url) for p, v in visits.items() for d in v.diagrams for raw, url in d["links"]
    ]
    assert len(links) >= 20, "diagram nodes carry hardly any links: did the generator change?"
    bad = sorted(
        f"{built_site / p}: node link {raw!r}"
        for p, raw, url in links
        if not raw or not _target_exists(built_site, site_url, url)
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
