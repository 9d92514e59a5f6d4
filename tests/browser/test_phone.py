"""A phone-sized screen: the menu opens the site navigation and pages fit the width."""

from __future__ import annotations

import pytest
from browser_support import wait_for_diagrams

pytestmark = pytest.mark.slow

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
PAGES = [
    "index.html",
    "reference/delivery/cf-staging-channel.html",
    "reference/inventory.html",
    "diagrams/token-map.html",
]

# Anything wider than the screen that makes the whole page scroll sideways.
# Boxes that scroll on their own (wide tables, code, diagrams) may hold wider content.
SCROLLERS = ".pst-scrollable-table-container, .highlight, .mermaid, pre, .table-wrapper"
OVERFLOW = """(scrollers) => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('article *')].filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > width + 1 && !el.closest(scrollers);
  });
  return {
    scroll: document.documentElement.scrollWidth, width,
    wide: wide.slice(0, 5).map(el => el.tagName + '.' + el.className),
  };
}"""


@pytest.fixture
def phone(new_context):
    """A guarded page the size of a phone screen."""
    context, _ = new_context(**PHONE)
    return context.new_page()


def test_menu_opens_the_site_navigation(phone, site_url: str) -> None:
    phone.goto(site_url + "reference/index.html")
    nav = phone.locator("#pst-primary-sidebar-modal nav.bd-docs-nav a")
    assert not phone.locator(".bd-sidebar-primary nav.bd-docs-nav").first.is_visible()
    toggle = phone.locator("button.primary-toggle").first
    assert toggle.is_visible()
    toggle.click()
    phone.wait_for_function("document.getElementById('pst-primary-sidebar-modal').open")
    assert nav.first.is_visible()
    link = phone.locator("#pst-primary-sidebar-modal a[href*='delivery/index.html']").first
    link.click()
    phone.wait_for_url(site_url + "reference/delivery/index.html")
    assert phone.locator("article h1").first.is_visible()


@pytest.mark.parametrize("path", PAGES)
def test_content_fits_the_screen(phone, site_url: str, path: str) -> None:
    phone.goto(site_url + path)
    wait_for_diagrams(phone)
    found = phone.evaluate(OVERFLOW, SCROLLERS)
    assert found["scroll"] <= found["width"], f"{path} scrolls sideways: {found}"
    assert found["wide"] == [], f"{path}: content wider than the screen: {found['wide']}"
    summary = phone.evaluate(
        "[...document.querySelectorAll('table.component-summary')]"
        ".map(t => [t.parentElement.scrollWidth, t.parentElement.clientWidth])"
    )
    assert all(scroll <= width for scroll, width in summary), f"{path}: summary block {summary}"
    size = phone.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('article p')).fontSize)"
    )
    assert size >= 14, f"{path}: body text is {size}px"
