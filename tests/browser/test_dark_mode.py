"""Dark mode: the colour-mode menu switches the page and redraws the diagrams in dark colours."""

from __future__ import annotations

import pytest
from browser_support import wait_for_diagrams
from visits import COLOUR_PAGE, COLOURS

pytestmark = pytest.mark.slow

DIAGRAM_PAGE = COLOUR_PAGE


def colours(page, changed_from: str | None = None) -> dict:
    """The first diagram's colours once it is drawn (and its edges are not ``changed_from``)."""
    handle = page.wait_for_function(COLOURS, arg=changed_from)
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


def test_system_dark_preference_draws_dark_diagrams(site_visits) -> None:
    """From the shared visits (tests/browser/visits.py): a reader whose system prefers dark
    sees the page dark and its diagram in other colours than in light."""
    dark, light = site_visits["dark"][DIAGRAM_PAGE], site_visits["light"][DIAGRAM_PAGE]
    assert (dark.theme, light.theme) == ("dark", "light")
    assert dark.colours["edge"] != light.colours["edge"]
    assert dark.colours["page"] != light.colours["page"]
