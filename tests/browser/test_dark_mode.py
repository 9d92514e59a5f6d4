"""Dark mode: the colour-mode menu switches the page and redraws the diagrams in dark colours."""

from __future__ import annotations

import pytest
from browser_support import RENDER_TIMEOUT, wait_for_diagrams

pytestmark = pytest.mark.slow

DIAGRAM_PAGE = "diagrams/architecture.html"

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


def colours(page, changed_from: str | None = None) -> dict:
    """The first diagram's colours once it is drawn (and its edges are not ``changed_from``)."""
    handle = page.wait_for_function(COLOURS, arg=changed_from, timeout=RENDER_TIMEOUT)
    return handle.json_value()


def choose_mode(page, mode: str) -> None:
    """Pick ``mode`` (light, dark, auto) in the header's colour-mode menu, as a reader does."""
    page.locator(".bd-header .theme-switch-button").first.click()
    page.locator(f".bd-header .theme-change-button[data-mode='{mode}']").first.click()
    page.wait_for_function(f"document.documentElement.dataset.theme === '{mode}'")


def test_switching_to_dark_redraws_diagrams_dark(page, site_url: str) -> None:
    page.goto(site_url + DIAGRAM_PAGE)
    assert wait_for_diagrams(page) >= 1
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
    light = colours(page)

    choose_mode(page, "dark")
    # The diagram is drawn again with the dark theme: its edges change colour.
    dark = colours(page, changed_from=light["edge"])
    assert dark["page"] != light["page"]
    assert dark["text"] != light["text"], (light, dark)

    # The choice is remembered: after a reload the diagrams are dark.
    page.reload()
    assert page.evaluate("document.documentElement.dataset.mode") == "dark"
    again = colours(page, changed_from=light["edge"])
    assert (again["edge"], again["text"]) == (dark["edge"], dark["text"])

    # And back to light.
    choose_mode(page, "light")
    assert colours(page, changed_from=dark["edge"])["edge"] == light["edge"]


def test_system_dark_preference_draws_dark_diagrams(new_context, site_url: str) -> None:
    context, _ = new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page = context.new_page()
    page.goto(site_url + DIAGRAM_PAGE)
    wait_for_diagrams(page)
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    light_ctx, _ = new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    light_page = light_ctx.new_page()
    light_page.goto(site_url + DIAGRAM_PAGE)
    wait_for_diagrams(light_page)
    assert colours(page)["edge"] != colours(light_page)["edge"]
