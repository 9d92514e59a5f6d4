"""Check the relative links, images and #anchors of a built HTML site, offline."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

_SCRIPT = re.compile(r"(<script\b[^>]*>).*?</script>", re.S | re.I)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_LINK = re.compile(r"""\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_ID = re.compile(r"""\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class Problem:
    """A broken relative link in one page of the built site."""

    page: str  # the HTML file, relative to the site root, with "/" separators
    href: str
    reason: str


@dataclass
class Page:
    """The links and ids of one HTML file."""

    links: list[str]
    ids: frozenset[str]


def _values(pattern: re.Pattern[str], text: str) -> list[str]:
    return [html.unescape(a if a is not None else b) for a, b in pattern.findall(text)]


def parse(text: str) -> Page:
    """Links (href/src) and ids of an HTML document; inline scripts and comments are skipped."""
    text = _COMMENT.sub("", _SCRIPT.sub(r"\1</script>", text))
    return Page(_values(_LINK, text), frozenset(_values(_ID, text)))


@cache
def _read(path: Path) -> Page:
    return parse(path.read_text(encoding="utf-8", errors="replace"))


def is_relative(href: str) -> bool:
    """True for links inside the site (no scheme, not protocol-relative)."""
    return not (_SCHEME.match(href) or href.startswith("//"))


def html_files(root: Path, skip_dirs: Iterable[str] = ()) -> list[Path]:
    """Every .html file under ``root``, except in the top-level folders ``skip_dirs``."""
    skip = set(skip_dirs)
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        if Path(dirpath) == root:
            dirnames[:] = [d for d in dirnames if d not in skip]
        out += [Path(dirpath, f) for f in filenames if f.endswith(".html")]
    return sorted(out)


def check_link(root: Path, page: Path, href: str) -> str | None:
    """Why ``href`` in ``page`` is broken, or None when it resolves (file and anchor)."""
    parts = urlsplit(href)
    fragment = unquote(parts.fragment)
    if parts.path:
        target = Path(os.path.normpath(page.parent / unquote(parts.path)))
        if root != target and root not in target.parents:
            return "points outside the built site"
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return f"no such file: {target.relative_to(root).as_posix()}"
    else:
        target = page
    if fragment and target.suffix == ".html" and fragment not in _read(target).ids:
        name = "this page" if target == page else target.relative_to(root).as_posix()
        return f"no anchor #{fragment} in {name}"
    return None


def check_pages(
    root: Path, pages: Iterable[Path], ignore: Iterable[re.Pattern[str]] = ()
) -> dict[str, tuple[list[Problem], list[str]]]:
    """For each page (by its path relative to ``root``): its broken links and the links checked."""
    root = Path(os.path.abspath(root))
    _read.cache_clear()
    ignore = tuple(ignore)
    results: dict[str, tuple[list[Problem], list[str]]] = {}
    for page in pages:
        rel = page.relative_to(root).as_posix()
        problems, checked = [], []
        for href in dict.fromkeys(_read(page).links):
            if not href or not is_relative(href) or any(p.search(href) for p in ignore):
                continue
            checked.append(href)
            if reason := check_link(root, page, href):
                problems.append(Problem(rel, href, reason))
        results[rel] = (problems, checked)
    _read.cache_clear()
    return results


def check_site(
    root: Path, ignore: Iterable[re.Pattern[str]] = (), skip_dirs: Iterable[str] = ()
) -> tuple[list[Problem], int]:
    """Every broken relative link of the site under ``root``, and the number of links checked."""
    root = Path(os.path.abspath(root))
    results = check_pages(root, html_files(root, skip_dirs), ignore).values()
    return [p for problems, _ in results for p in problems], sum(len(c) for _, c in results)
