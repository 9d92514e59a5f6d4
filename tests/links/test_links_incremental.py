"""The internal link check between builds: only pages whose inputs changed are checked again."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from linkhelpers import build
from test_links_sphinx import INDEX, project, warnings  # noqa: F401 (the fixture)

from infradocs.core.links.incremental import check

A = '<a href="b.html#part">part</a> <a href="img/x.png">img</a> <a href="sub/">sub</a>'


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "html"
    (root / "img").mkdir(parents=True)
    (root / "sub").mkdir()
    (root / "a.html").write_text(f"<html><body>{A}</body></html>")
    (root / "b.html").write_text('<html><body><h2 id="part">Part</h2></body></html>')
    (root / "c.html").write_text('<html><body><a href="a.html">a</a></body></html>')
    (root / "img" / "x.png").write_bytes(b"png")
    (root / "sub" / "index.html").write_text("<html><body>sub</body></html>")
    return root


def run(site: Path):
    return check(site, site.parent / "state.json")


def broken(outcome) -> list[tuple[str, str, str]]:
    return sorted((p.page, p.href, p.reason) for p in outcome.problems)


def test_first_run_checks_every_page_then_none_while_nothing_changes(site):
    first = run(site)
    assert (first.rechecked, first.pages, first.checked, broken(first)) == (4, 4, 4, [])
    again = run(site)
    assert (again.rechecked, again.checked, broken(again)) == (0, 4, [])


def test_a_removed_anchor_breaks_the_unchanged_page_that_links_to_it(site):
    run(site)
    (site / "b.html").write_text("<html><body><h2>Part</h2></body></html>")
    outcome = run(site)
    assert outcome.rechecked == 2  # b itself and a, which links to b#part; c links to a only
    assert broken(outcome) == [("a.html", "b.html#part", "no anchor #part in b.html")]
    assert broken(run(site)) == broken(outcome)  # still reported while it is broken


def test_a_file_that_disappears_or_appears_is_noticed(site):
    run(site)
    (site / "img" / "x.png").unlink()
    (site / "sub" / "index.html").unlink()
    assert broken(run(site)) == [
        ("a.html", "img/x.png", "no such file: img/x.png"),
        ("a.html", "sub/", "no such file: sub/index.html"),
    ]
    (site / "img" / "x.png").write_bytes(b"png")
    (site / "sub" / "index.html").write_text("back")
    assert broken(run(site)) == []


def test_links_up_to_the_site_root_are_followed(site):
    (site / "sub" / "page.html").write_text('<a href="../#top">top</a> <a href="../">home</a>')
    assert broken(run(site)) == [
        ("sub/page.html", "../", "no such file: index.html"),
        ("sub/page.html", "../#top", "no such file: index.html"),
    ]
    (site / "index.html").write_text('<h1 id="top">Home</h1>')  # appears: both links resolve
    assert broken(run(site)) == []
    (site / "index.html").write_text("<h1>Home</h1>")  # edited: the anchor is gone again
    assert broken(run(site)) == [("sub/page.html", "../#top", "no anchor #top in index.html")]


def test_a_page_rewritten_with_the_same_bytes_is_not_checked_again(site):
    run(site)
    text = (site / "b.html").read_text()
    (site / "b.html").unlink()
    (site / "b.html").write_text(text)
    assert run(site).rechecked == 0


def test_other_settings_check_everything_again(site):
    run(site)
    outcome = check(site, site.parent / "state.json", [re.compile("^img/")])
    assert (outcome.rechecked, outcome.checked) == (4, 3)


def test_an_unreadable_state_means_a_full_check(site):
    run(site)
    (site.parent / "state.json").write_text("{not json")
    assert run(site).rechecked == 4


def test_a_rebuild_still_fails_on_a_link_broken_in_an_unchanged_page(project, tmp_path):  # noqa: F811
    out = tmp_path / "out"
    first = build(project, out)
    assert first.returncode != 0 and len(warnings(first)) == 2
    second = build(project, out)  # nothing changed: results come from the state
    assert second.returncode != 0 and warnings(second) == warnings(first)
    (project / "index.md").write_text(INDEX.replace("#nope", "#section-b"))
    third = build(project, out)
    assert [w for w in warnings(third) if "#nope" in w] == []


def test_anchors_of_unchanged_pages_are_not_parsed_again(site, monkeypatch):
    from infradocs.core.links import internal

    run(site)
    parsed: list[str] = []
    real = internal.parse

    def counting(text: str):
        parsed.append(text)
        return real(text)

    monkeypatch.setattr(internal, "parse", counting)
    (site / "a.html").write_text(f"<html><body>{A} <a href='b.html#gone'>x</a></body></html>")
    outcome = run(site)
    assert outcome.rechecked == 1  # a only (c links to a without an anchor)
    assert len(parsed) == 1  # a; the anchors of b were kept from the first check
    assert broken(outcome) == [("a.html", "b.html#gone", "no anchor #gone in b.html")]
    (site / "b.html").write_text('<html><body><h2 id="gone">Gone</h2></body></html>')
    parsed.clear()
    outcome = run(site)  # b changed: its anchors are read again
    assert broken(outcome) == [("a.html", "b.html#part", "no anchor #part in b.html")]
    assert any('id="gone"' in text for text in parsed)
