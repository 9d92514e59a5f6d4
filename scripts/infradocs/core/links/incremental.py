"""The internal link check of a built site, redoing only the pages whose inputs changed.

A state file keeps, from the last check, every file's size, time and digest and, per page, its
broken links and the files its links point to. A page is checked again when it changed, when a
file one of its links points to appeared or disappeared, or when a page whose #anchor it links
to changed; the others keep their result.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from infradocs.core.links import internal
from infradocs.core.links.internal import Problem, check_pages, html_files

STATE_VERSION = 1


@dataclass(frozen=True)
class Outcome:
    """Every broken link, the number of links checked, and how many pages were checked again."""

    problems: list[Problem]
    checked: int
    rechecked: int
    pages: int


def _stats(root: Path, known: dict[str, list]) -> dict[str, list]:
    """``relative path: [size, mtime_ns, sha256]`` of every file under ``root``.

    A file whose size and time are unchanged keeps its known digest; the others are hashed, so
    one rewritten with the same bytes (Sphinx renders some static files on every build) counts
    as unchanged.
    """
    out = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            st = os.stat(path)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            old = known.get(rel)
            if old and old[:2] == [st.st_size, st.st_mtime_ns]:
                out[rel] = old
            else:
                digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
                out[rel] = [st.st_size, st.st_mtime_ns, digest]
    return out


def _targets(page: str, hrefs: Iterable[str]) -> tuple[set[str], set[str]]:
    """The paths (relative to the site root) that ``hrefs`` in ``page`` point to, and those of
    them whose #anchor is checked too (so whose content matters, not only that they exist)."""
    paths, anchored = set(), set()
    for href in hrefs:
        parts = urlsplit(href)
        path = unquote(parts.path)
        if not path:
            continue
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        paths.add(target)
        if parts.fragment:
            anchored |= {target, posixpath.normpath(posixpath.join(target, "index.html"))}
    return paths, anchored


def _stale(page: str, last: dict, added_or_removed: set[str], edited: set[str]) -> bool:
    """Whether the last result for ``page`` may no longer hold."""
    if page in edited or not edited.isdisjoint(last["anchored"]):
        return True
    # A link to a folder means its index.html: any file appearing in it may change the answer.
    return any(
        p in (f, ".") or f.startswith(p + "/") for f in added_or_removed for p in last["paths"]
    )


def _key(ignore: tuple[re.Pattern[str], ...], skip_dirs: Iterable[str]) -> str:
    """What the previous results depend on besides the files: settings and checker code."""
    digest = hashlib.sha256()
    for module in (internal.__file__, __file__):
        digest.update(Path(module).read_bytes())
    settings = [STATE_VERSION, [p.pattern for p in ignore], sorted(skip_dirs)]
    digest.update(json.dumps(settings).encode())
    return digest.hexdigest()


def _load_ids(path: Path, key: str) -> dict[str, tuple[str, frozenset[str]]]:
    """Page anchors by page, with the digest they were read from (empty when stale)."""
    try:
        data = pickle.loads(path.read_bytes())
    except Exception:  # missing, truncated or foreign: parse the pages again
        return {}
    return data["ids"] if isinstance(data, dict) and data.get("key") == key else {}


def _load(path: Path, key: str) -> dict:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) and state.get("key") == key else {}


def check(
    root: Path,
    state_path: Path,
    ignore: Iterable[re.Pattern[str]] = (),
    skip_dirs: Iterable[str] = (),
) -> Outcome:
    """Check the site under ``root``, reusing the results in ``state_path`` where still valid."""
    root = Path(os.path.abspath(root))
    ignore, skip_dirs = tuple(ignore), tuple(skip_dirs)
    key = _key(ignore, skip_dirs)
    old = _load(state_path, key)
    old_files, old_pages = old.get("files", {}), old.get("pages", {})
    files = _stats(root, old_files)
    added_or_removed = files.keys() ^ old_files.keys()
    edited = {f for f in files.keys() & old_files.keys() if files[f][2] != old_files[f][2]}
    pages = {p.relative_to(root).as_posix(): p for p in html_files(root, skip_dirs)}
    stale = [
        rel
        for rel in pages
        if rel not in old_pages or _stale(rel, old_pages[rel], added_or_removed, edited)
    ]
    # Anchors of pages whose digest is the one they had when last parsed are not parsed again
    # (kept beside the state, read only when a page is checked, written when one was parsed).
    ids_path = state_path.with_name(state_path.stem + "-ids.pickle")
    old_ids = _load_ids(ids_path, key) if stale else {}
    kept = {
        rel: entry for rel, entry in old_ids.items() if rel in files and files[rel][2] == entry[0]
    }
    known = {root / rel: ids for rel, (_, ids) in kept.items()}
    parsed: dict[Path, frozenset[str]] = {}
    fresh = check_pages(root, [pages[rel] for rel in stale], ignore, known, parsed)
    if parsed:
        for path, ids in parsed.items():
            rel = path.relative_to(root).as_posix()
            if rel in files:
                kept[rel] = (files[rel][2], ids)
        ids_path.parent.mkdir(parents=True, exist_ok=True)
        ids_path.write_bytes(pickle.dumps({"key": key, "ids": kept}))
    results = {}
    for rel in pages:
        if rel in fresh:
            problems, checked = fresh[rel]
            paths, anchored = _targets(rel, checked)
            results[rel] = {
                "problems": [[p.href, p.reason] for p in problems],
                "checked": len(checked),
                "paths": sorted(paths),
                "anchored": sorted(anchored),
            }
        else:
            results[rel] = old_pages[rel]
    # Unchanged but for file times (Sphinx rewrites a few static files with the same bytes on
    # every build): the old state still holds, and those files are hashed again next time.
    if stale or added_or_removed or edited or results.keys() != old_pages.keys():
        state_path.parent.mkdir(parents=True, exist_ok=True)
        state = {"key": key, "files": files, "pages": results}
        state_path.write_text(json.dumps(state, separators=(",", ":")), encoding="utf-8")
    return Outcome(
        problems=[Problem(rel, h, r) for rel, res in results.items() for h, r in res["problems"]],
        checked=sum(res["checked"] for res in results.values()),
        rechecked=len(stale),
        pages=len(pages),
    )
