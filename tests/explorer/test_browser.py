"""The explorer page in Chromium: filters, search, sorting, URL state, CSV, empty view, no JS,
and a synthetic inventory large enough for the table to virtualise its rows."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from infradocs.core.explorer.data import compact, postings, row_values
from infradocs.core.explorer.publish import publish
from infradocs.core.localsite import serve
from tests.support.synthinventory import generate

pytestmark = pytest.mark.slow
PAGE = "security/explorer.html"
# The first screen is up, the select counts and the address bar have followed.
READY = "#explorer-app[data-saved]"
SETTLED = "(() => { const r = document.getElementById('explorer-app').dataset;"
SETTLED += " return r.counted === r.ready && r.saved === r.ready; })()"


@pytest.fixture(scope="module")
def site(built_site: Path):
    doc = json.loads((built_site / "_static" / "inventory" / "inventory.json").read_text())
    with serve(built_site) as base:
        yield base, doc, compact(doc)


@pytest.fixture(scope="module")
def big_site(built_site: Path, tmp_path_factory: pytest.TempPathFactory):
    """The built site (linked, not copied) with a synthetic 3,000-repository inventory."""
    root = tmp_path_factory.mktemp("explorer-big")
    for entry in built_site.iterdir():
        if entry.name != "_static":
            (root / entry.name).symlink_to(entry)
    (root / "_static").mkdir()
    for entry in (built_site / "_static").iterdir():
        if entry.name != "inventory":
            (root / "_static" / entry.name).symlink_to(entry)
    doc = generate(3000, seed=7)
    publish(doc, root / "_static" / "inventory")
    with serve(root) as base:
        yield base, doc, compact(doc)


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
        page.wait_for_selector(READY, state="attached")
    return page


def shown(page) -> int:
    page.wait_for_function(SETTLED)
    return int(page.text_content("#explorer-count").split(" of ")[0].replace(",", ""))


def names_where(data: dict, dim: str, value: str) -> set[str]:
    idx = data["dims"][dim].index(value)
    return {data["cols"]["name"][i] for i in postings(data, dim)[idx]}


def visible_names(page) -> list[str]:
    return page.eval_on_selector_all(
        "#explorer-table td[data-field=name]", "els => els.map(e => e.innerText)"
    )


def option_label(page, key: str, value: str) -> str:
    page.wait_for_function(SETTLED)
    return page.eval_on_selector(
        f"#explorer-{key}", f"s => [...s.options].find(o => o.value === {value!r}).label"
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
    assert option_label(page, "finding", audit) == f"{audit} ({len(both)})"
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
    page.click("#explorer-table th[data-field=findings] button")
    page.wait_for_function("location.search.includes('sort=findings')")
    direction = parse_qs(urlparse(page.url).query)["sort"][0].split(":")[1]
    most = max(data["cols"]["nfind"]) if direction == "desc" else min(data["cols"]["nfind"])
    first = page.eval_on_selector("#explorer-table td[data-field=findings]", "e => e.innerText")
    assert int(first) == most
    reloaded = open_page(browser, base, f"?sort=findings:{direction}")
    assert (
        reloaded.eval_on_selector("#explorer-table td[data-field=findings]", "e => e.innerText")
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
    page.wait_for_function("location.search === ''")
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


# -- A synthetic inventory of 3,000 repositories: virtualised rows, combined filters, counts ----


def _with(data: dict, dim: str, value: int) -> set[int]:
    return set(postings(data, dim)[value])


def test_rows_are_virtualised_and_scrolling_renders_the_end(big_site, browser):
    base, doc, _data = big_site
    page = open_page(browser, base)
    assert shown(page) == len(doc["repos"]) == 3000
    rows = "#explorer-table tbody tr:not(.explorer-pad)"
    assert 10 < page.eval_on_selector_all(rows, "els => els.length") < 100
    assert page.get_attribute("#explorer-table table", "aria-rowcount") == "3001"
    page.eval_on_selector("#explorer-table", "e => { e.scrollTop = e.scrollHeight; }")
    last = doc["repos"][-1]["name"]
    page.wait_for_function(
        f"[...document.querySelectorAll('{rows}')].some(r => r.innerText.includes({last!r}))"
    )
    assert page.eval_on_selector_all(rows, "els => els.length") < 100
    assert page.problems == []


def test_action_and_pin_filter_one_occurrence_with_counts(big_site, browser):
    base, _doc, data = big_site
    pins = data["pins"]
    rows = row_values(data, "action")
    # an action used both pinned to a branch and to a tag, by different repositories
    name, a = next(
        (n, a)
        for a, n in enumerate(data["dims"]["action"])
        if any(a * 8 + pins.index("branch") in r for r in rows)
        and any(a * 8 + pins.index("tag") in r for r in rows)
    )
    branch = {i for i, r in enumerate(rows) if a * 8 + pins.index("branch") in r}
    page = open_page(browser, base, f"?action={name}&pin=branch")
    assert shown(page) == len(branch)
    # counts per pin: repositories using this action so pinned, whatever the current pin
    for p, pin in enumerate(pins):
        expected = sum(1 for r in rows if a * 8 + p in r)
        if expected:
            assert option_label(page, "pin", pin) == f"{pin} ({expected})"
    # counts per action: repositories using it pinned to a branch
    other = next(n for n in data["dims"]["action"] if n != name)
    o = data["dims"]["action"].index(other)
    expected = sum(1 for r in rows if o * 8 + pins.index("branch") in r)
    assert option_label(page, "action", other) == f"{other} ({expected})"
    assert page.problems == []


def test_any_none_counts_and_a_value_the_data_lacks(big_site, browser):
    base, _doc, data = big_site
    with_schedule = {i for i, r in enumerate(row_values(data, "schedule")) if r}
    page = open_page(browser, base, "?schedule=__any")
    assert shown(page) == len(with_schedule)
    assert option_label(page, "schedule", "__none") == f"none ({3000 - len(with_schedule)})"
    provider = data["dims"]["provider"][0]
    page.select_option("#explorer-provider", provider)
    both = with_schedule & _with(data, "provider", 0)
    assert shown(page) == len(both)
    # the schedule counts follow the provider; the provider counts follow the schedule
    assert option_label(page, "schedule", "__any") == f"any ({len(both)})"
    runner = data["dims"]["runner"][0]
    n_runner = len(both & _with(data, "runner", 0))
    assert option_label(page, "runner", runner) == f"{runner} ({n_runner})"
    missing = open_page(browser, base, "?provider=no-such-provider")
    assert shown(missing) == 0 and missing.is_visible("#explorer-empty")
    assert option_label(missing, "provider", "no-such-provider") == "no-such-provider (0)"
    assert page.problems == [] and missing.problems == []


def test_csv_keeps_the_sort_order_and_the_filters(big_site, browser, tmp_path):
    base, _doc, data = big_site
    finding = data["dims"]["finding"][1]
    page = open_page(browser, base, f"?finding={finding}&sort=findings:desc")
    with page.expect_download() as info:
        page.click(".explorer-csv")
    path = tmp_path / "view.csv"
    info.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    expected = _with(data, "finding", 1)
    names = data["cols"]["name"]
    assert {r["repository"] for r in rows} == {names[i] for i in expected}
    counts = [int(r["finding_count"]) for r in rows]
    assert counts == sorted(counts, reverse=True)
    # ties keep the inventory's order
    order = [names.index(r["repository"]) for r in rows]
    assert all(order[k] < order[k + 1] for k in range(len(order) - 1) if counts[k] == counts[k + 1])
    assert all(len(r["commit"]) == 40 for r in rows)
    assert page.problems == []
