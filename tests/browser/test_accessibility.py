"""axe-core (bundled in axe-playwright-python: no network) on home, reference and diagram pages."""

from __future__ import annotations

import pytest
from browser_support import wait_for_diagrams

pytestmark = pytest.mark.slow

PAGES = {
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
OPTIONS = {"resultTypes": ["violations"], "preload": False}


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


def blocking(page) -> list[str]:
    """Serious and critical axe violations on ``page``: rule, help and up to three targets."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=OPTIONS).response
    assert results["testEngine"]["name"] == "axe-core"
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_serious_violations(new_context, site_url: str, name: str, scheme: str) -> None:
    context, _ = new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url + PAGES[name])
    wait_for_diagrams(page)
    page.wait_for_function(TAB_STOPS, timeout=10_000)
    assert page.evaluate("document.documentElement.dataset.theme") == scheme
    assert blocking(page) == []


def test_axe_reports_what_it_should(new_context, site_url: str) -> None:
    """The check itself works: an unnamed button and low-contrast text are caught."""
    context, _ = new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    page = context.new_page()
    page.goto(site_url + PAGES["home"])
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
