"""Assemble the versioned site from built versions: aliases, switcher.json, pages, redirects."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from infradocs.core.favicon import FAVICON
from infradocs.core.versions.build import Result
from infradocs.core.versions.config import VersionsConfig
from infradocs.core.versions.extras import write_404, write_redirect, write_robots, write_sitemap
from infradocs.core.versions.inject import PageContext, process, rel_prefix

ASSET_DIRS = ("_static/", "_sources/", "_images/", "_downloads/")


@dataclass
class Site:
    """The published versions: directory name -> (label, kind, pages) and the stable alias."""

    config: VersionsConfig
    order: list[str] = field(default_factory=list)  # directories in switcher order
    labels: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    pages: dict[str, set[str]] = field(default_factory=dict)
    stable_label: str = ""

    @property
    def stable(self) -> str:
        """The directory readers are sent to by default (stable, or dev without releases)."""
        return self.config.stable_name if self.stable_label else self.config.dev_name

    def url(self, directory: str, page: str = "") -> str:
        """Absolute URL of a page (``index.html`` pages end at the directory)."""
        return f"{self.config.base_url}{directory}/{page}"

    def canonical(self, directory: str, page: str) -> str:
        """Canonical URL: the stable page when it exists, the page itself otherwise."""
        if self.stable_label and page in self.pages.get(self.config.stable_name, ()):
            return self.url(self.config.stable_name, page)
        return self.url(directory, page)

    def link(self, from_page: str, directory: str, page: str) -> str:
        """Relative link from ``from_page`` to ``page`` in ``directory``, else its home page."""
        target = page if page in self.pages.get(directory, ()) else "index.html"
        return f"{rel_prefix(from_page)}{directory}/{target}"


def html_pages(directory: Path) -> set[str]:
    """The HTML pages of a built version (not theme assets), as "/"-separated paths."""
    found = set()
    for path in directory.rglob("*.html"):
        rel = path.relative_to(directory).as_posix()
        if not rel.startswith(ASSET_DIRS):
            found.add(rel)
    return found


def switcher_entries(site: Site) -> list[dict[str, object]]:
    """pydata-sphinx-theme switcher entries: dev, stable (preferred), older releases."""
    entries: list[dict[str, object]] = []
    for directory in site.order:
        label = site.labels[directory]
        entry: dict[str, object] = {"name": label, "version": label, "url": site.url(directory)}
        if directory == site.config.stable_name:
            entry["name"] = f"{label} (stable)"
            entry["preferred"] = True
        entries.append(entry)
    return entries


def page_context(site: Site, directory: str, page: str) -> PageContext:
    """Everything the post-processor needs for one page of one version directory."""
    stable = site.config.stable_name
    has_stable = bool(site.stable_label)
    links = tuple(
        (
            site.labels[d] + (" (stable)" if d == stable else ""),
            site.link(page, d, page),
            d == directory,
        )
        for d in site.order
    )
    return PageContext(
        directory=directory,
        page=page,
        kind=site.kinds[directory],
        version_label=site.labels[directory],
        stable_label=site.stable_label,
        canonical=site.canonical(directory, page),
        stable_link=site.link(page, stable, page) if has_stable else "",
        switcher_links=links,
    )


def assemble(results: list[Result], config: VersionsConfig, out: Path) -> Site:
    """Write the whole site to ``out`` (replacing it) from the successful ``results``."""
    staging = out.with_name(out.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    site = Site(config)
    ok = [r for r in results if r.html is not None]
    dev = [r for r in ok if not r.target.is_release]
    releases = [r for r in ok if r.target.is_release]  # newest first, as planned
    if dev:
        _add(site, staging, dev[0], config.dev_name, "dev")
    if releases:
        newest = releases[0]
        site.stable_label = newest.target.name
        _add(site, staging, newest, config.stable_name, "stable")
        _add(site, staging, newest, newest.target.name, "stable", listed=False)
    for result in releases[1:]:
        _add(site, staging, result, result.target.name, "old")
    for directory in site.pages:
        for page in sorted(site.pages[directory]):
            path = staging / directory / page
            ctx = page_context(site, directory, page)
            path.write_text(process(path.read_text(encoding="utf-8"), ctx), encoding="utf-8")
    (staging / "switcher.json").write_text(json.dumps(switcher_entries(site), indent=2) + "\n")
    write_redirect(staging / "index.html", f"{site.stable}/", site.url(site.stable))
    write_404(staging / "404.html", site)
    write_sitemap(staging / "sitemap.xml", site)
    write_robots(staging / "robots.txt", site)
    if FAVICON.is_file():  # browsers ask the site root for it, whatever the page says
        shutil.copyfile(FAVICON, staging / "favicon.ico")
    (staging / ".nojekyll").write_text("")
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    return site


def _add(
    site: Site, root: Path, result: Result, directory: str, kind: str, listed: bool = True
) -> None:
    """Copy a built version into ``root/directory`` and record its pages."""
    assert result.html is not None
    shutil.copytree(result.html, root / directory, ignore=shutil.ignore_patterns(".buildinfo"))
    site.pages[directory] = html_pages(root / directory)
    site.labels[directory] = result.target.name if result.target.is_release else directory
    site.kinds[directory] = kind
    if listed:
        site.order.append(directory)
