"""The guard itself: foreign requests are blocked and recorded, console errors are recorded."""

from __future__ import annotations

import pytest
from browser_support import redact

pytestmark = pytest.mark.slow


def test_guard_blocks_and_records(new_context, site_url: str) -> None:
    context, guard = new_context()
    page = context.new_page()
    page.goto(site_url + "index.html")
    page.evaluate(
        """async () => {
          const img = new Image();
          const done = new Promise(r => { img.onerror = r; img.onload = r; });
          img.src = 'https://cdn.example.org/font.woff2';
          await done;
          await fetch('http://localhost:9/analytics').catch(() => {});
          console.error('boom');
        }"""
    )
    page.evaluate("() => new Promise(r => setTimeout(r, 0))")
    assert guard.foreign == [
        "https://cdn.example.org/font.woff2",
        "http://localhost:9/analytics",
    ]
    assert any(e.startswith("boom") for e in guard.errors), guard.errors
    # Expected here: clear them so the fixture's own end-of-test check passes.
    guard.foreign.clear()
    guard.errors.clear()


def test_redact() -> None:
    """Chromium never requests URLs with credentials; the guard hides them all the same."""
    assert redact("https://a:b@h.example/x?y=1") == "https://***@h.example/x?y=1"
    assert redact("http://127.0.0.1:8000/") == "http://127.0.0.1:8000/"


def test_downloads_opened_in_the_browser_find_the_favicon(page, site_url: str) -> None:
    """A file that is no HTML page (the inventory's JSON, linked from the explorer) has no icon
    link, so Chromium asks the site root for /favicon.ico: it is there (no 404 in the console)."""
    page.goto(site_url + "_static/inventory/inventory.json")
    page.wait_for_load_state("load")
    page.goto(site_url + "index.html")  # the probe's error, if any, comes while this loads
    page.wait_for_load_state("load")
    assert page.request.get(site_url + "favicon.ico").ok
