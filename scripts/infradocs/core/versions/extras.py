"""Site-wide files: the root redirect, the 404 page, sitemap.xml and robots.txt."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as xml_escape

if TYPE_CHECKING:
    from infradocs.core.versions.site import Site

SKIP_IN_SITEMAP = {"search.html", "genindex.html", "py-modindex.html"}


def write_redirect(path: Path, relative: str, absolute: str) -> None:
    """A page that sends readers (and crawlers) on to ``relative``; canonical is ``absolute``."""
    rel, url = escape(relative), escape(absolute)
    path.write_text(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Redirecting to {rel}</title>\n"
        f'<meta http-equiv="refresh" content="0; url={rel}">\n'
        f'<link rel="canonical" href="{url}">\n'
        '<link rel="icon" href="favicon.ico">\n'
        f'<script>location.replace("{rel}" + location.hash);</script>\n'
        "</head>\n<body>\n"
        f'<p>This page has moved to <a href="{rel}">{url}</a>.</p>\n'
        "</body>\n</html>\n",
        encoding="utf-8",
    )


def write_404(path: Path, site: Site) -> None:
    """The site-wide "page not found" page; absolute links since it is served at any path."""
    items = "".join(
        f'<li><a href="{escape(site.url(d))}">{escape(site.labels[d])}'
        + (" (stable)" if d == site.config.stable_name else "")
        + "</a></li>\n"
        for d in site.order
    )
    home = escape(site.url(site.stable))
    path.write_text(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        "<title>Page not found · conda-forge infrastructure</title>\n"
        f'<link rel="icon" href="{escape(site.config.base_url)}favicon.ico">\n'
        "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;"
        "padding:0 1rem;line-height:1.5}</style>\n"
        "</head>\n<body>\n<main>\n<h1>Page not found</h1>\n"
        "<p>There is no page at this address. It may have moved, or it may not exist in "
        "this version of the docs.</p>\n"
        f'<p><a href="{home}">Go to the home page of the latest docs</a>, or pick a version:</p>\n'
        f'<ul aria-label="Versions">\n{items}</ul>\n</main>\n</body>\n</html>\n',
        encoding="utf-8",
    )


def sitemap_urls(site: Site) -> list[str]:
    """Canonical page URLs: every stable page, plus pages that exist only in other versions."""
    urls: list[str] = []
    seen: set[str] = set()
    ordered = sorted(site.pages, key=lambda d: d != site.stable)
    for directory in ordered:
        for page in sorted(site.pages[directory]):
            if page.rsplit("/", 1)[-1] in SKIP_IN_SITEMAP:
                continue
            url = site.canonical(directory, page)
            if url not in seen:
                seen.add(url)
                urls.append(url)
    return urls


def write_sitemap(path: Path, site: Site) -> None:
    """sitemap.xml listing :func:`sitemap_urls`."""
    body = "".join(f"  <url><loc>{xml_escape(u)}</loc></url>\n" for u in sitemap_urls(site))
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{body}</urlset>\n",
        encoding="utf-8",
    )


def write_robots(path: Path, site: Site) -> None:
    """robots.txt pointing crawlers at the sitemap."""
    path.write_text(f"User-agent: *\nAllow: /\nSitemap: {site.config.base_url}sitemap.xml\n")
