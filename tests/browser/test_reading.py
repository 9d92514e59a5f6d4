"""Reading the site: the home page, each section, the sidebar, the page TOC and search."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from infradocs.core.siteconfig import DOCS

pytestmark = pytest.mark.slow

STAGING = "reference/delivery/cf-staging-channel.html"


def sections() -> set[str]:
    """The top-level sections: every docs/<folder>/index.md."""
    return {p.parent.name for p in DOCS.glob("*/index.md")}


def test_home_page_links_every_section(page, site_url: str) -> None:
    page.goto(site_url)
    assert page.locator("h1").first.inner_text().strip() == "conda-forge infrastructure"
    hrefs = page.eval_on_selector_all(
        ".bd-header a.nav-internal", "els => els.map(a => a.getAttribute('href'))"
    )
    linked = {h.split("/")[0] for h in hrefs if h.endswith("/index.html")}
    assert sections() <= linked, f"sections missing from the header: {sections() - linked}"


@pytest.mark.parametrize("section", sorted(sections()))
def test_section_renders(page, site_url: str, section: str) -> None:
    page.goto(site_url)
    link = page.locator(f".bd-header a.nav-internal[href='{section}/index.html']")
    if not link.first.is_visible():  # the header's "More" dropdown holds the rest
        page.locator(".bd-header .navbar-nav .dropdown-toggle").first.click()
    link.first.click()
    page.wait_for_url(f"{site_url}{section}/index.html")
    assert page.locator("article h1").first.is_visible()
    # The header marks the section as the current one.
    assert page.locator(".bd-header a.nav-internal[aria-current='page']").count() >= 1
    # The section's own pages are listed in the primary sidebar.
    assert page.locator(".bd-sidebar-primary nav.bd-docs-nav a").count() > 0
    assert page.title().endswith("conda-forge infrastructure")


def test_sidebar_link_opens_its_page(page, site_url: str) -> None:
    page.goto(site_url + "reference/index.html")
    link = page.locator(".bd-sidebar-primary nav.bd-docs-nav a[href*='delivery/index.html']")
    title = link.first.inner_text().strip()
    link.first.click()
    page.wait_for_url(site_url + "reference/delivery/index.html")
    assert page.locator("article h1").first.inner_text().strip().startswith(title)
    current = page.locator(".bd-sidebar-primary nav.bd-docs-nav a.current")
    assert title in current.all_inner_texts()


def test_page_toc_jumps_to_its_section(page, site_url: str) -> None:
    page.goto(site_url + "reference/inventory.html")
    toc = page.locator("nav.page-toc a.nav-link")
    assert toc.count() >= 3
    last = toc.nth(toc.count() - 1)
    href = last.get_attribute("href")
    assert href.startswith("#")
    last.click()
    page.wait_for_url(site_url + "reference/inventory.html" + href)
    target = page.locator(f"[id='{href[1:]}']")
    assert target.count() == 1
    assert page.evaluate("() => window.scrollY") > 0
    box = target.bounding_box()
    assert box and 0 <= box["y"] < page.viewport_size["height"], "the section is not in view"


def test_edit_this_page_link(page, site_url: str) -> None:
    page.goto(site_url + STAGING)
    link = page.get_by_role("link", name="Edit on GitHub")
    href = link.get_attribute("href")
    assert href.endswith("/edit/main/docs/reference/delivery/cf-staging-channel.md")
    assert (DOCS / "reference/delivery/cf-staging-channel.md").is_file()


@pytest.mark.parametrize("query", ["cf-staging channel", "cf-staging-channel"])
def test_search_box_finds_the_component_page_first(page, site_url: str, query: str) -> None:
    page.goto(site_url + "reference/index.html")
    page.locator(".bd-header .search-button-field").first.click()
    box = page.locator("#pst-search-dialog input[name='q']")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url("**/search.html?q=*")
    first = page.locator("#search-results ul.search li a").first
    first.wait_for()
    target = urljoin(page.url, first.get_attribute("href"))
    assert target.split("?")[0].split("#")[0] == site_url + STAGING, target
    first.click()
    page.wait_for_url(site_url + STAGING + "**")
    assert page.locator("article h1").first.inner_text().strip() == "cf-staging channel"
