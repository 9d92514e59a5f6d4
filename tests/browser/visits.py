"""Every page of the built site opened once per colour scheme, for all the browser checks.

One visit records what the page tests (status, requests, console, diagrams, edit links), the
legibility tests (figures of each diagram), the dark-mode tests (diagram colours) and the
accessibility tests (axe) read. The pages of each scheme are split into chunks; the pytest-xdist
workers take the chunks in turn (a file lock each, tests/sitehelpers.py ``shared``) and each
reads the chunks the others recorded, so every page and scheme is visited once per run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from browser_support import Guard, guard_context, settle, wait_for_diagrams
from legibility import VIEWPORT, Figures, diagram_pages, measure
from playwright.sync_api import Error as PlaywrightError
from sitehelpers import shared

from infradocs.core.archmodel import load_model

SCHEMES = ("light", "dark")
CHUNKS = 8  # per scheme: small enough that both workers share the work

# Pages axe-core checks (home, reference, diagram, overview).
AXE_PAGES = {
    "home": "index.html",
    "reference": "reference/delivery/cf-staging-channel.html",
    "diagram": "diagrams/token-map.html",
    "overview": "diagrams/architecture.html",
}
BLOCKING = {"serious", "critical"}
# preload=False: axe would otherwise re-fetch every stylesheet and resolve the theme's
# `@import "../basic.css"` against the page instead of the stylesheet, asking the server for
# files that do not exist (404s in the console). The rules still read the page's computed
# styles; only css-orientation-lock, which needs the raw CSS, cannot run.
AXE_OPTIONS = {"resultTypes": ["violations"], "preload": False}

# The theme makes scrollable boxes (wide diagrams, code) keyboard-focusable 300 ms after the
# page changes, and a drawn diagram may still grow (its natural width applies after insertion):
# wait until that has held for a second, as it has by a reader's first Tab.
TAB_STOPS = """() => {
  const ok = [...document.querySelectorAll('pre, .pst-scrollable-table-container')].every(
    e => e.tabIndex === 0 || (e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight));
  if (!ok) { window.__tabStopsSince = undefined; return false; }
  window.__tabStopsSince ??= performance.now();
  return performance.now() - window.__tabStopsSince > 1000;
}"""

# Each diagram's state; its node links as written and resolved against the page.
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

# The page whose diagram colours the dark-mode tests compare.
COLOUR_PAGE = "diagrams/architecture.html"
# The first diagram's theme colours: an edge's stroke, the SVG's text fill, the page background;
# null while it is being (re)drawn, or while its edge colour is still ``not`` (when given).
COLOURS = """(not) => {
  const svg = document.querySelector('.mermaid > svg');
  const edge = svg && svg.querySelector('.flowchart-link');
  if (!edge || getComputedStyle(edge).stroke === not) return null;
  return {
    edge: getComputedStyle(edge).stroke,
    text: getComputedStyle(svg).fill,
    page: getComputedStyle(document.body).backgroundColor,
  };
}"""


@dataclass
class Visit:
    """What one page did and showed in one colour scheme (local URLs relative to the site)."""

    status: int = 0
    theme: str = ""
    problems: list[str] = field(default_factory=list)
    diagrams: list[dict] = field(default_factory=list)
    edit_links: list[str] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    colours: dict | None = None  # on COLOUR_PAGE
    axe: list[str] | None = None

    def legibility(self) -> list[Figures]:
        """The measured diagrams."""
        return [Figures(**f) for f in self.figures]


def blocking(page) -> list[str]:
    """Serious and critical axe violations on ``page``: rule, help and up to three targets."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS).response
    assert results["testEngine"]["name"] == "axe-core"
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]


def site_pages(site: Path) -> list[str]:
    """Every HTML page of the built site, relative paths (theme template leftovers excluded)."""
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if not p.relative_to(site).as_posix().startswith("_static/")
    )


def visit(page, guard: Guard, site_url: str, path: str, names: dict[str, str] | None) -> Visit:
    """Open ``path`` and record everything the checks read; one broken page never hides the
    others (the browser's complaint is recorded as a problem). ``names`` (component title ->
    page) when its diagrams are to be measured."""
    result = Visit()
    try:
        response = page.goto(site_url + path)
        result.status = response.status if response else 0
        if wait_for_diagrams(page):
            result.diagrams = page.evaluate(DIAGRAM_STATE)
            for diagram in result.diagrams:
                diagram["links"] = [[raw, local(url, site_url)] for raw, url in diagram["links"]]
        result.edit_links = page.eval_on_selector_all(
            "a[href*='/edit/']", "els => els.map(a => a.href)"
        )
        result.theme = page.evaluate("document.documentElement.dataset.theme")
        if names is not None:
            result.figures = [vars(f) for f in measure(page, names, path)]
        if path == COLOUR_PAGE:
            result.colours = page.wait_for_function(COLOURS, arg=None).json_value()
        if path in AXE_PAGES.values():
            page.wait_for_function(TAB_STOPS)
            result.axe = blocking(page)
        settle(page)
    except PlaywrightError as exc:
        guard.errors.append(f"the browser gave up: {str(exc).splitlines()[0]}")
    result.problems = guard.problems()
    guard.foreign.clear()
    guard.errors.clear()
    return result


def local(url: str, site_url: str) -> str:
    """``url`` relative to the site when it is on the local server (each worker serves the site
    on its own port), else as it is."""
    return url[len(site_url) :] if url.startswith(site_url) else url


def visit_chunk(browser, site_url: str, scheme: str, paths: list[str], measured: set[str]) -> dict:
    """Visit ``paths`` in one guarded context of ``scheme``; path -> the Visit's fields."""
    names = {c.title: f"{c.page}.html" for c in load_model()}
    context = browser.new_context(viewport=VIEWPORT, color_scheme=scheme)
    try:
        guard = Guard()
        guard_context(context, guard)
        page = context.new_page()
        return {
            path: vars(visit(page, guard, site_url, path, names if path in measured else None))
            for path in paths
        }
    finally:
        context.close()


def visit_site(browser, site: Path, site_url: str, root: Path) -> dict[str, dict[str, Visit]]:
    """Every page in each scheme, visited once across the workers; scheme -> path -> Visit."""
    paths = site_pages(site)
    measured = set(diagram_pages(site))
    jobs = {
        f"visits-{scheme}-{k}": (
            lambda scheme=scheme, part=paths[k::CHUNKS]: visit_chunk(
                browser, site_url, scheme, part, measured
            )
        )
        for scheme in SCHEMES
        for k in range(CHUNKS)
    }
    done = shared(root, jobs)
    return {
        scheme: {
            path: Visit(**fields)
            for k in range(CHUNKS)
            for path, fields in sorted(done[f"visits-{scheme}-{k}"].items())
        }
        for scheme in SCHEMES
    }
