"""Wide diagrams get zoom and pan (vendored Panzoom): readable at first, whole on request."""

from __future__ import annotations

import pytest
from browser_support import wait_for_diagrams

from infradocs.core.siteconfig import DOCS, settings

pytestmark = pytest.mark.slow

WIDE = "explanation/retired-services.html"  # one diagram, a long timeline: wider than the column
PANZOOM = DOCS / "_static" / "vendor" / "@panzoom" / "panzoom"
STATE = """() => [...document.querySelectorAll('.bd-article pre.mermaid')].map(pre => {
  const svg = pre.querySelector('svg');
  return {bar: svg.dataset.zoom === 'on'
            && document.querySelectorAll('.diagram-zoom').length > 0,
          width: svg.getBoundingClientRect().width, box: pre.clientWidth,
          scale: svg.style.transform || ''};
})"""


def test_panzoom_is_vendored_at_the_pinned_version() -> None:
    pin = settings()["panzoom_version"]
    assert (PANZOOM / "VERSION").read_text().strip() == f"@panzoom/panzoom@{pin}"
    assert "MIT" in (PANZOOM / "MIT-License.txt").read_text()
    assert f"Panzoom {pin}" in (PANZOOM / "panzoom.min.js").read_text()[:200]


def test_a_wide_diagram_zooms_out_to_the_whole_and_back(page, site_url) -> None:
    page.goto(site_url + WIDE)
    wait_for_diagrams(page)
    page.wait_for_selector(".diagram-zoom")
    (before,) = page.evaluate(STATE)
    assert before["bar"] and before["width"] > before["box"]  # opens at its readable size
    page.get_by_role("button", name="Show the whole diagram").click()
    page.wait_for_function(
        "() => { const s = document.querySelector('.bd-article pre.mermaid svg');"
        " return s.getBoundingClientRect().width <= s.closest('pre').clientWidth; }"
    )
    page.get_by_role("button", name="Back to the readable size").click()
    page.wait_for_function(
        "() => document.querySelector('.bd-article pre.mermaid svg')"
        ".getBoundingClientRect().width > 1000"
    )


def test_a_diagram_that_fits_gets_no_controls(page, site_url) -> None:
    page.goto(site_url + "reference/delivery/oci-mirror.html")
    wait_for_diagrams(page)
    # The zoom script looks again 400 ms after a diagram changes (its natural width applies a
    # moment after it is drawn): a timer set now, after the drawing, fires after that one.
    page.evaluate("() => new Promise(r => setTimeout(() => requestAnimationFrame(r), 400))")
    (state,) = page.evaluate(STATE)
    assert state["width"] <= state["box"] and not state["bar"]
