"""Post-process built pages: version banner, canonical link and a fallback version switcher.

Done on the HTML so that it works for old releases whose conf.py predates these features.
The standard library's HTML tokenizer (the one BeautifulSoup's "html.parser" uses) finds
where the tags are, and the page is edited at those offsets: the rest of each page stays byte
for byte as Sphinx wrote it, where a parser's tree (BeautifulSoup, lxml, selectolax) would
re-serialise every page.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from html.parser import HTMLParser

MARKER = "<!-- versions:processed -->"
THEME_SWITCHER = "version-switcher__container"

STYLE = """<style id="versions-style">
.versions-bar{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;
justify-content:center;padding:.5rem 1rem;font-size:.95rem;
background:var(--pst-color-warning-bg,#fff3cd);color:var(--pst-color-text-base,#212529)}
.versions-bar a{font-weight:600}
.versions-fallback summary{cursor:pointer}
.versions-fallback ul{margin:.25rem 0 0;padding-left:1.25rem}
</style>"""


@dataclass(frozen=True)
class PageContext:
    """What the post-processor needs to know about one page."""

    directory: str  # site directory holding the page ("stable", "v2026.1", "dev")
    page: str  # path of the page inside that directory, with "/" separators
    kind: str  # "stable", "old" or "dev"
    version_label: str  # e.g. "v2026.1" or "dev"
    stable_label: str  # newest release tag, or "" when there is no release yet
    canonical: str  # absolute canonical URL
    stable_link: str  # relative link to the same page (or home) in stable, "" without stable
    switcher_links: tuple[tuple[str, str, bool], ...]  # (label, relative href, is current)


def rel_prefix(page: str) -> str:
    """The relative path from a page back to the site root (above its version directory)."""
    return "../" * (page.count("/") + 1)


def banner_text(ctx: PageContext) -> str:
    """The banner sentence (HTML) for an old or dev page; empty for stable pages."""
    label = html.escape(ctx.version_label)
    if ctx.kind == "dev":
        text = (
            f"You are reading the <strong>development version</strong> ({label}) of these docs: "
            "it may describe changes that are not released yet."
        )
    elif ctx.kind == "old":
        text = f"You are reading the docs of an <strong>old release</strong>, {label}."
    else:
        return ""
    if ctx.stable_link:
        stable = html.escape(ctx.stable_label)
        text += (
            f' <a class="versions-stable-link" href="{html.escape(ctx.stable_link)}">'
            f"Read this page in the latest release ({stable})</a>."
        )
    else:
        text += " No release has been published yet."
    return text


def fallback_switcher(ctx: PageContext) -> str:
    """A script-free version list for pages whose theme has no version switcher."""
    items = "".join(
        f'<li><a href="{html.escape(href)}"'
        + (' aria-current="page"' if current else "")
        + f">{html.escape(label)}</a></li>"
        for label, href, current in ctx.switcher_links
    )
    label = html.escape(ctx.version_label)
    return (
        '<details class="versions-fallback"><summary>Version: '
        f'{label}</summary><ul aria-label="Versions">{items}</ul></details>'
    )


class _Places(HTMLParser):
    """Offsets in a page: canonical links, ``</head>``, the end of ``<body ...>``, a switcher."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.line_starts = [0]
        self.line_starts += [i + 1 for i, c in enumerate(text) if c == "\n"]
        self.canonical: list[tuple[int, int]] = []
        self.head_end: int | None = None
        self.body_end: int | None = None
        self.switcher = False
        self.feed(text)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        start = self._offset()
        end = start + len(self.get_starttag_text() or "")
        if tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical.append((start, end))
        elif tag == "body" and self.body_end is None:
            self.body_end = end
        if THEME_SWITCHER in values.get("class", "").split():
            self.switcher = True

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag == "head" and self.head_end is None:
            self.head_end = self._offset()


def process(page_html: str, ctx: PageContext) -> str:
    """Return ``page_html`` with the canonical link, banner and (if needed) switcher."""
    if MARKER in page_html:
        return page_html
    places = _Places(page_html)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), in page order
    for start, end in places.canonical:
        while end < len(page_html) and page_html[end].isspace():
            end += 1
        edits.append((start, end, ""))
    if places.head_end is not None:
        head = f'<link rel="canonical" href="{html.escape(ctx.canonical)}" />\n{STYLE}\n'
        edits.append((places.head_end, places.head_end, head))
    parts = []
    text = banner_text(ctx)
    if text:
        parts.append(f'<div class="versions-banner">{text}</div>')
    if not places.switcher:
        parts.append(fallback_switcher(ctx))
    if parts and places.body_end is not None:
        bar = (
            f'<div id="versions-bar" class="versions-bar versions-{ctx.kind}" role="note" '
            f'aria-label="Documentation version">{"".join(parts)}</div>'
        )
        edits.append((places.body_end, places.body_end, "\n" + bar))
    out, done = [], 0
    for start, end, replacement in sorted(edits, key=lambda e: e[:2]):
        out += [page_html[done:start], replacement]
        done = end
    out.append(page_html[done:])
    text = "".join(out)
    return text + ("" if text.endswith("\n") else "\n") + MARKER + "\n"
