"""Every diagram on the site is legible at 1280x800, light and dark (rules in legibility.py).

Prints the figures per diagram (width/column, crossing edge pairs, smallest text, overlaps,
unlinked boxes, arrows through text) and fails on any breach, each named with its page, diagram,
width against its column, smallest text and crossings; the fixture tests show each check can fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from legibility import VIEWPORT, Figures, breaches, diagram_pages, fit_breach, measure
from visits import SCHEMES

from infradocs.core.archmodel import load_model

pytestmark = pytest.mark.slow

# The overview: on the home page, first, and on the architecture page.
OVERVIEWS = {"index.html#1", "diagrams/architecture.html#1"}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def component_pages() -> dict[str, str]:
    """Component title -> the path of its page in the built site."""
    return {c.title: f"{c.page}.html" for c in load_model()}


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_diagram_is_legible(site_visits, built_site, scheme) -> None:
    """The figures come from the shared visits at 1280x800 (tests/browser/visits.py)."""
    pages = diagram_pages(built_site)
    assert len(pages) >= 5, "the site has hardly any diagrams: did the build change?"
    figures = [f for path in pages for f in site_visits[scheme][path].legibility()]
    print(f"\n{scheme}: {len(figures)} diagrams on {len(pages)} pages")
    print(f"{'diagram':58} {'kind':10} width/col  fit    cross  text    overlaps  unlinked through")
    for fig in figures:
        print(fig.row(), fig.title[:50])
    assert {f.page for f in figures} == set(pages), "a page's diagram was not drawn"
    assert {f.name for f in figures} >= OVERVIEWS
    bad = [m for f in figures for m in breaches(f, overview=f.name in OVERVIEWS)]
    bad += [m for m in [fit_breach(figures)] if m]
    print(f"{sum(f.fits for f in figures)} of {len(figures)} diagrams fit their column")
    assert bad == [], f"{len(bad)} legibility breaches ({scheme}):\n" + "\n".join(bad)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_home_page_overview_reads_on_a_phone(new_context, site_url, scheme) -> None:
    """At 390 px the home page shows the stacked variant: within the column, text >= 10 px,
    no overlaps, at most 2 crossings, every box linked, and no sideways scrolling."""
    context, _ = new_context(color_scheme=scheme, **PHONE)
    page = context.new_page()
    page.goto(site_url + "index.html")
    (fig,) = measure(page, component_pages(), "index.html")
    print(fig.row(), fig.title[:50])
    assert fig.kind == "package-path package-path-phone", fig
    problems = [m for m in breaches(fig, overview=True) if "smallest text" not in m]
    assert problems == [] and fig.min_text >= 10 and fig.named >= 20, (problems, fig)
    width = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1], f"the home page scrolls sideways: {width}"


# -- The measurement itself can fail: a deliberately bad SVG and a good one --------------------

BAD = """<!doctype html><html><body style="margin:0"><main style="width:960px">
<svg class="legibility-fixture" width="2000" height="300" viewBox="0 0 2000 300"
     xmlns="http://www.w3.org/2000/svg">
  <g class="legibility-node"><rect x="10" y="10" width="200" height="60"/>
    <text x="20" y="40" font-size="16">cf-staging channel</text></g>
  <text x="30" y="45" font-size="16">a label on a label</text>
  <text x="400" y="200" font-size="6">tiny text</text>
  <g class="edgeLabel"><text x="40" y="60" font-size="14">uploads to</text></g>
  <path class="legibility-edge" d="M 300 10 L 700 290" fill="none" stroke="black"/>
  <path class="legibility-edge" d="M 300 290 L 700 10" fill="none" stroke="black"/>
  <path class="legibility-edge" d="M 800 10 L 1200 290" fill="none" stroke="black"/>
  <path class="legibility-edge" d="M 800 290 L 1200 10" fill="none" stroke="black"/>
  <path class="legibility-edge" d="M 1000 0 L 1000 300" fill="none" stroke="black"/>
  <text x="960" y="40" font-size="14">a group's title</text>
</svg></main></body></html>"""

GOOD = """<!doctype html><html><body style="margin:0"><main style="width:960px">
<svg class="legibility-fixture" width="600" height="200" viewBox="0 0 600 200"
     xmlns="http://www.w3.org/2000/svg">
  <a href="reference/delivery/cf-staging-channel.html"><g class="legibility-node">
    <rect x="10" y="10" width="200" height="60"/>
    <text x="20" y="40" font-size="14">cf-staging channel</text></g></a>
  <g class="edgeLabel" data-id="e2"><text x="260" y="100" font-size="13">uploads to</text></g>
  <path class="legibility-edge" d="M 210 40 L 400 40" fill="none" stroke="black"/>
  <path class="legibility-edge" data-id="e2" d="M 210 60 L 400 160" fill="none" stroke="black"/>
  <path class="legibility-edge" data-id="e3" d="M 10 36 L 150 36 L 150 190" fill="none"
        stroke="black"/>
</svg></main></body></html>"""


def fixture_figures(browser, serve_dir, tmp_path: Path, html: str) -> Figures:
    (tmp_path / "index.html").write_text(html, encoding="utf-8")
    page = browser.new_page(viewport=VIEWPORT)
    try:
        page.goto(serve_dir(tmp_path) + "index.html")
        (fig,) = measure(
            page, {"cf-staging channel": "reference/delivery/cf-staging-channel.html"}, "fixture"
        )
    finally:
        page.close()
    return fig


def test_a_bad_svg_breaks_every_rule(browser, serve_dir, tmp_path) -> None:
    fig = fixture_figures(browser, serve_dir, tmp_path, BAD)
    found = "\n".join(breaches(fig, overview=True))
    print(fig.row())
    assert fig.crossings == 4, fig  # two X shapes, and a vertical line through the second
    assert "smallest text 6.0 px" in found
    assert 'labels overlap: "cf-staging channel" / "a label on a label"' in found
    assert 'edge label "uploads to" over "cf-staging channel' in found
    assert "does not link to its page: cf-staging channel" in found
    assert "wider than the column (2000 px > 960 px)" in found
    assert "4 crossing edge pairs > 2" in found
    # The vertical line runs through a title that is no part of it; the X shapes miss it.
    assert fig.through == ['arrow "an arrow" through "a group\'s title"'], fig.through
    assert 'arrow "an arrow" through "a group\'s title"' in found
    # Outside the overview: more than twice the column, too many crossings, and a site of such
    # diagrams has too few that fit; each message names the figures.
    found = "\n".join(breaches(fig))
    assert "more than 2x the column (2000 px > 960 px)" in found
    assert "4 crossing edge pairs > 2" in found
    assert "fixture#1 (; 2000/960 px, text 6.0 px, 4 crossings of 5 edges)" in found
    assert 'arrow "an arrow" through "a group\'s title"' in found
    assert fit_breach([fig]).startswith("0 of 1 diagrams fit their column (< 90%)")


def test_a_good_svg_passes(browser, serve_dir, tmp_path) -> None:
    """An arrow may run through its own words (same data-id) and the box it leaves."""
    fig = fixture_figures(browser, serve_dir, tmp_path, GOOD)
    assert (fig.crossings, fig.min_text, fig.scrolls, fig.through) == (0, 13.0, False, []), fig
    assert breaches(fig, overview=True) == []
    assert breaches(fig) == []
    assert fit_breach([fig]) == ""
