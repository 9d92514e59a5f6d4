"""axe-core (bundled in axe-playwright-python: no network) on home, reference and diagram pages.

The pages are checked in each colour scheme during the shared visits (tests/browser/visits.py),
once their scrollable boxes are keyboard-focusable, as they are by a reader's first Tab."""

from __future__ import annotations

import pytest
from visits import AXE_PAGES, SCHEMES, blocking

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", sorted(AXE_PAGES))
def test_no_serious_violations(site_visits, name: str, scheme: str) -> None:
    visit = site_visits[scheme][AXE_PAGES[name]]
    assert visit.problems == []
    assert visit.theme == scheme
    assert visit.axe == []


def test_axe_reports_what_it_should(new_context, site_url: str) -> None:
    """The check itself works: an unnamed button and low-contrast text are caught."""
    context, _ = new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    page = context.new_page()
    page.goto(site_url + AXE_PAGES["home"])
    page.evaluate(
        """() => {
          const b = document.createElement('button');
          document.querySelector('article').append(b);
          const p = document.createElement('p');
          p.textContent = 'faint';
          p.style.color = '#eeeeee';
          document.querySelector('article').append(p);
        }"""
    )
    found = " ".join(blocking(page))
    assert "button-name" in found and "color-contrast" in found
