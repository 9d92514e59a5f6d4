"""The version switcher of a small versioned site (two release tags and main), in Chromium.

The site is built once for the module with ``python -m infradocs.cli.versions build`` from a
temporary git
repository (the fixture helpers of tests/versions), with the local server as its base URL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from infradocs.core.localsite import serve
from infradocs.core.siteconfig import ROOT
from tests.versions.versions_fixture import NEW_CONF, commit, git, write_site

pytestmark = pytest.mark.slow

# The fixture's current conf.py, with the colour mode set as the real conf.py sets it (without
# it the theme logs "Got invalid theme mode" as a console error).
CONF = NEW_CONF + 'html_context = {"default_mode": "auto"}\n'


@pytest.fixture(scope="module")
def versioned_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Tags v2026.1 and v2026.2 and main (dev, with a page of its own), served; the base URL."""
    repo = tmp_path_factory.mktemp("versioned-repo")
    work = tmp_path_factory.mktemp("versioned-work")
    git(repo, "-c", "init.defaultBranch=main", "init", "-q")
    write_site(repo, CONF, {"guide": "# Guide\n\nRelease one.\n"}, "2026.1")
    commit(repo, "one")
    git(repo, "tag", "v2026.1")
    write_site(repo, CONF, {"guide": "# Guide\n\nRelease two.\n"}, "2026.2")
    commit(repo, "two")
    git(repo, "tag", "v2026.2")
    pages = {"guide": "# Guide\n\nDevelopment.\n", "new": "# New page\n\nOnly in dev.\n"}
    write_site(repo, CONF, pages, "dev")
    commit(repo, "dev")
    site = work / "site"
    site.mkdir()
    with serve(site) as url:
        # A subprocess: the CLI as readers run it (and Playwright's event loop is busy here).
        proc = subprocess.run(
            [sys.executable, "-m", "infradocs.cli.versions", "build", "--repo", str(repo),
             "--out", str(site),
             "--cache", str(work / "cache"), "--jobs", "1", "--base-url", url],
            capture_output=True, text=True, cwd=ROOT, env={**os.environ},
        )  # fmt: skip
        assert proc.returncode == 0, proc.stdout + proc.stderr
        yield url


def open_switcher(page) -> list[tuple[str, str]]:
    """Open the version dropdown; (name, href) of each entry."""
    switcher = page.locator(".bd-header .version-switcher__container").first
    page.wait_for_function("document.querySelectorAll('.version-switcher__menu a').length > 0")
    switcher.locator(".version-switcher__button").click()
    menu = switcher.locator(".version-switcher__menu a")
    menu.first.wait_for(state="visible")
    return [(a.inner_text().strip(), a.get_attribute("href")) for a in menu.all()]


def test_switcher_lists_the_built_versions(page, versioned_site: str) -> None:
    entries = json.loads(page.request.get(versioned_site + "switcher.json").text())
    page.goto(versioned_site + "stable/guide.html")
    listed = open_switcher(page)
    assert [name for name, _ in listed] == [e["name"] for e in entries]
    assert [name for name, _ in listed] == ["dev", "v2026.2 (stable)", "v2026.1"]
    expect(page.locator(".version-switcher__button").first).to_have_text("v2026.2 (stable)")


def test_choosing_a_version_keeps_the_page(page, versioned_site: str) -> None:
    page.goto(versioned_site + "stable/guide.html")
    assert "Release two." in page.locator("article").inner_text()
    open_switcher(page)
    page.locator(".bd-header .version-switcher__menu a", has_text="v2026.1").first.click()
    page.wait_for_url(versioned_site + "v2026.1/guide.html")
    assert "Release one." in page.locator("article").inner_text()
    open_switcher(page)
    page.locator(".bd-header .version-switcher__menu a", has_text="dev").first.click()
    page.wait_for_url(versioned_site + "dev/guide.html")
    assert "Development." in page.locator("article").inner_text()
    # The theme's script fills the button in once it has read switcher.json: wait for it.
    expect(page.locator(".version-switcher__button").first).to_have_text("dev")


def test_a_page_missing_from_a_version_leads_to_its_home(new_context, versioned_site: str) -> None:
    context, guard = new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(versioned_site + "dev/new.html")
    open_switcher(page)
    page.locator(".bd-header .version-switcher__menu a", has_text="v2026.1").first.click()
    page.wait_for_url(versioned_site + "v2026.1/")
    assert "Fixture docs 2026.1" in page.locator("article").inner_text()
    # The theme asks whether v2026.1/new.html exists (HEAD, a 404) before going home instead.
    expected = [e for e in guard.errors if "404" in e and "/v2026.1/new.html" in e]
    assert len(expected) == 1, guard.errors
    guard.errors.remove(expected[0])
