"""The explorer page in Chromium: filters, search, sorting, URL state, CSV, empty view, no JS."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from explorer.data import compact
from localsite import launch, serve

pytestmark = pytest.mark.slow
PAGE = "security/explorer.html"
READY = "#explorer-app[data-ready]"


@pytest.fixture(scope="module")
def site(built_site: Path):
    doc = json.loads((built_site / "_static" / "inventory" / "inventory.json").read_text())
    with serve(built_site) as base:
        yield base, doc, compact(doc)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


def open_page(browser, base: str, query: str = "", js: bool = True):
    """A page that may only reach the local server; console errors are collected."""
    ctx = browser.new_context(java_script_enabled=js, accept_downloads=True)
    page = ctx.new_page()
    page.problems = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))

    def route(r):
        if r.request.url.startswith(base):
            r.continue_()
        else:
            page.problems.append(f"request outside 127.0.0.1: {r.request.url}")
            r.abort()

    page.route("**/*", route)
    page.goto(base + PAGE + query)
    if js:
        page.wait_for_selector(READY, state="attached", timeout=30000)
    return page


def shown(page) -> int:
    return int(page.text_content("#explorer-count").split(" of ")[0].replace(",", ""))


def names_where(data: dict, dim: str, value: str) -> set[str]:
    idx = data["dims"][dim].index(value)
    return {
        n for n, codes in zip(data["cols"]["name"], data["cols"][dim], strict=True) if idx in codes
    }


def visible_names(page) -> list[str]:
    return page.eval_on_selector_all(
        ".tabulator-row .tabulator-cell[tabulator-field=name]", "els => els.map(e => e.innerText)"
    )


def test_filters_update_counts_rows_and_url(site, browser):
    base, doc, data = site
    page = open_page(browser, base)
    assert shown(page) == len(doc["repos"])
    provider = max(data["dims"]["provider"], key=lambda p: len(names_where(data, "provider", p)))
    page.select_option("#explorer-provider", provider)
    expected = names_where(data, "provider", provider)
    assert shown(page) == len(expected) < len(doc["repos"])
    assert set(visible_names(page)) <= expected
    audit = data["dims"]["finding"][0]
    page.select_option("#explorer-finding", audit)
    both = expected & names_where(data, "finding", audit)
    assert shown(page) == len(both)
    query = parse_qs(urlparse(page.url).query)
    assert query == {"provider": [provider], "finding": [audit]}
    # option labels carry live counts
    label = page.eval_on_selector(
        "#explorer-finding", f"s => [...s.options].find(o => o.value === {audit!r}).text"
    )
    assert label == f"{audit} ({len(both)})"
    assert page.problems == []


def test_search_and_url_state_round_trip(site, browser):
    base, doc, _data = site
    name = doc["repos"][0]["name"]
    term = name.split("/")[-1][:6]
    page = open_page(browser, base, f"?repo={term}")
    assert page.input_value("#explorer-q") == term
    hits = [r["name"] for r in doc["repos"] if term.lower() in r["name"].lower()]
    assert shown(page) == len(hits)
    assert sorted(visible_names(page)) == sorted(hits)
    assert page.problems == []


def test_sorting_by_findings_is_kept_in_the_url(site, browser):
    base, _doc, data = site
    page = open_page(browser, base)
    page.click(".tabulator-col[tabulator-field=findings] .tabulator-col-title")
    page.wait_for_function("location.search.includes('sort=findings')")
    direction = parse_qs(urlparse(page.url).query)["sort"][0].split(":")[1]
    most = max(data["cols"]["nfind"]) if direction == "desc" else min(data["cols"]["nfind"])
    first = page.eval_on_selector(
        ".tabulator-row .tabulator-cell[tabulator-field=findings]", "e => e.innerText"
    )
    assert int(first) == most
    reloaded = open_page(browser, base, f"?sort=findings:{direction}")
    assert (
        reloaded.eval_on_selector(
            ".tabulator-row .tabulator-cell[tabulator-field=findings]", "e => e.innerText"
        )
        == first
    )
    assert page.problems == [] and reloaded.problems == []


def test_csv_download_of_the_current_view(site, browser, tmp_path):
    base, _doc, data = site
    secret = max(data["dims"]["secret"], key=lambda s: len(names_where(data, "secret", s)))
    page = open_page(browser, base, f"?secret={secret}")
    with page.expect_download() as info:
        page.click(".explorer-csv")
    path = tmp_path / "view.csv"
    info.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    assert {r["repository"] for r in rows} == names_where(data, "secret", secret)
    assert all(secret in r["secrets"].split() for r in rows)
    assert page.problems == []


def test_empty_result(site, browser):
    base, _, _ = site
    page = open_page(browser, base, "?repo=no-such-repository-anywhere")
    assert shown(page) == 0
    assert page.is_visible("#explorer-empty")
    page.click(".explorer-reset")
    assert shown(page) > 0 and not page.is_visible("#explorer-empty")
    assert urlparse(page.url).query == ""
    assert page.problems == []


def test_without_javascript_links_to_json_and_tables(site, browser):
    base, doc, _ = site
    page = open_page(browser, base, js=False)
    json_href = page.get_attribute(".explorer-fallback a.explorer-json", "href")
    ref_href = page.get_attribute(".explorer-fallback a.explorer-reference", "href")
    assert ref_href.endswith("reference/inventory.html")
    resp = page.request.get(base + "security/" + json_href)
    assert resp.ok and len(resp.json()["repos"]) == len(doc["repos"])
    assert page.request.get(base + "security/" + ref_href).ok
    assert page.problems == []
