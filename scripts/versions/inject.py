"""Post-process built pages: version banner, canonical link and a fallback version switcher.

Done on the HTML so that it works for old releases whose conf.py predates these features.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

MARKER = "<!-- versions:processed -->"
CANONICAL = re.compile(r"<link\b[^>]*\brel=[\"']canonical[\"'][^>]*>\s*", re.IGNORECASE)
HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
BODY_START = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
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


def process(page_html: str, ctx: PageContext) -> str:
    """Return ``page_html`` with the canonical link, banner and (if needed) switcher."""
    if MARKER in page_html:
        return page_html
    out = CANONICAL.sub("", page_html)
    head = f'<link rel="canonical" href="{html.escape(ctx.canonical)}" />\n{STYLE}\n'
    match = HEAD_END.search(out)
    if match:
        out = out[: match.start()] + head + out[match.start() :]
    parts = []
    text = banner_text(ctx)
    if text:
        parts.append(f'<div class="versions-banner">{text}</div>')
    if THEME_SWITCHER not in page_html:
        parts.append(fallback_switcher(ctx))
    if parts:
        bar = (
            f'<div id="versions-bar" class="versions-bar versions-{ctx.kind}" role="note" '
            f'aria-label="Documentation version">{"".join(parts)}</div>'
        )
        body = BODY_START.search(out)
        if body:
            out = out[: body.end()] + "\n" + bar + out[body.end() :]
    return out + ("" if out.endswith("\n") else "\n") + MARKER + "\n"
