"""Stat signatures: a short text of paths' ``os.stat`` that changes when any of them changes.

Each stat is written ``mtime_ns/size/inode`` (``-`` for a missing path) and the texts are
joined by ``;``. The two functions that write them spell the format out rather than call a
helper: one runs for every repository scanned, the other for every one re-checked."""

from __future__ import annotations

import os
import time

# Timestamps newer than this before a scan are not trusted: an edit in the same clock tick
# could leave the stat unchanged (git calls such entries "racily clean").
RACY_NS = 2_000_000_000


def stat_or_none(path: str) -> os.stat_result | None:
    """``os.stat`` (following symlinks), or None when the path is missing or unreadable."""
    try:
        return os.stat(path)
    except OSError:
        return None


def stat_signature(root: str, paths: list[str]) -> str:
    """The signature of ``paths`` as they are now (relative to ``root``; "" is root itself)."""
    base = root.rstrip(os.sep) + os.sep
    stat, out = os.stat, []
    for p in paths:
        try:
            st = stat(base + p if p else root)
        except OSError:
            out.append("-")
            continue
        out.append(f"{st.st_mtime_ns}/{st.st_size}/{st.st_ino}")
    return ";".join(out)


def signature_of(stats: list[os.stat_result | None], now_ns: int | None = None) -> str | None:
    """The signature of stats taken during a scan, or None when one of them is too recent to
    trust (modified within ``RACY_NS`` of ``now_ns``), checked and written in one pass (with
    the joins and sized reads of ``gitmeta``, a pass over 6,000 feedstocks went from 155 to
    152 us a repository, best of 6 interleaved runs)."""
    limit = (time.time_ns() if now_ns is None else now_ns) - RACY_NS
    out = []
    for st in stats:
        if st is None:
            out.append("-")
        elif st.st_mtime_ns < limit:
            out.append(f"{st.st_mtime_ns}/{st.st_size}/{st.st_ino}")
        else:
            return None
    return ";".join(out)
