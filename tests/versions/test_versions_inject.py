"""The page post-processor finds tags with an HTML tokenizer and leaves the rest byte for byte."""

from __future__ import annotations

from infradocs.core.versions.inject import MARKER, PageContext, process

CTX = PageContext(
    directory="v2026.1",
    page="guide.html",
    kind="old",
    version_label="v2026.1",
    stable_label="v2026.2",
    canonical="https://example.org/docs/stable/guide.html",
    stable_link="../stable/guide.html",
    switcher_links=(("v2026.2 (stable)", "../stable/guide.html", False),),
)
PAGE = """<!DOCTYPE html>
<html><head>
<meta charset="utf-8" />
<!-- <link rel="canonical" href="commented"> <body class="in-a-comment"> -->
<script>var html = "</head><body>";</script>
<LINK REL="Canonical" HREF="https://old.example/guide.html"/>
  <title>Guide &#8212; docs</title>
</head>
<body data-theme="auto">
<p>Text &amp; more</p>
</body></html>"""


def test_canonical_replaced_and_bar_after_the_real_body_tag() -> None:
    out = process(PAGE, CTX)
    assert "old.example" not in out
    assert '<link rel="canonical" href="commented">' in out  # inside a comment: left alone
    assert out.count('rel="canonical"') == 2  # the comment's and the new one
    head = out.index('<link rel="canonical" href="https://example.org/docs/stable/guide.html" />')
    assert out.index('var html = "</head><body>";') < head < out.index("</head>\n<body")
    body = out.index('<body data-theme="auto">\n<div id="versions-bar"')
    assert "Read this page in the latest release (v2026.2)" in out[body:]
    assert '<details class="versions-fallback">' in out[body:]


def test_everything_else_is_unchanged() -> None:
    out = process(PAGE, CTX)
    kept = [
        '<!DOCTYPE html>\n<html><head>\n<meta charset="utf-8" />\n',
        '<script>var html = "</head><body>";</script>\n<title>Guide &#8212; docs</title>\n',
        "<p>Text &amp; more</p>\n</body></html>",
    ]
    assert all(part in out for part in kept)
    assert out.endswith("</body></html>\n" + MARKER + "\n")


def test_theme_switcher_element_means_no_fallback() -> None:
    page = PAGE.replace("<p>", '<div class="version-switcher__container dropdown"></div><p>')
    assert '<details class="versions-fallback">' not in process(page, CTX)
    named = PAGE.replace("<p>Text", "<p>The class version-switcher__container is named here")
    assert '<details class="versions-fallback">' in process(named, CTX)


def test_processed_page_is_left_alone() -> None:
    once = process(PAGE, CTX)
    assert process(once, CTX) == once
