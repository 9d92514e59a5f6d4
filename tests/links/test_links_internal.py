"""The offline checker's HTML reading: what is a link, what is an anchor, on real files."""

from __future__ import annotations

from pathlib import Path

from infradocs.core.links.internal import check_site, parse

PAGE = """<!DOCTYPE html>
<html><head>
<meta name="viewport" content="width=device-width">
<link rel="stylesheet" href="_static/site.css">
<!-- <a href="commented.html">old</a> -->
<script>var s = '<a href="scripted.html" id="not-an-anchor">';</script>
</head><body>
<h1 id="title">Title</h1>
<a name="old-style"></a>
<input name="q"><form name="search"></form>
<a href='other.html?a=1&amp;b=2#Sect&#105;on'>unquoted entities</a>
<img src=logo.png alt="">
</body></html>
"""


def test_links_in_document_order_without_comments_or_scripts() -> None:
    assert parse(PAGE).links == ["_static/site.css", "other.html?a=1&b=2#Section", "logo.png"]


def test_anchors_are_ids_and_a_names_only() -> None:
    assert parse(PAGE).ids == {"title", "old-style"}


def test_meta_name_is_not_an_anchor(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(PAGE)
    (tmp_path / "links.html").write_text(
        '<a href="index.html#title">ok</a> <a href="index.html#old-style">ok</a>'
        '<a href="index.html#viewport">meta</a> <a href="index.html#q">input</a>'
    )
    problems, checked = check_site(tmp_path)
    assert checked == 7
    assert [(p.page, p.href, p.reason) for p in problems] == [
        ("index.html", "_static/site.css", "no such file: _static/site.css"),
        ("index.html", "other.html?a=1&b=2#Section", "no such file: other.html"),
        ("index.html", "logo.png", "no such file: logo.png"),
        ("links.html", "index.html#viewport", "no anchor #viewport in index.html"),
        ("links.html", "index.html#q", "no anchor #q in index.html"),
    ]
