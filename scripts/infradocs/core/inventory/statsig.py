"""Stat signatures: a short text of paths' ``os.stat`` that changes when any of them changes."""

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


def stat_text(st: os.stat_result | None) -> str:
    """``mtime_ns/size/inode`` of a stat result, ``-`` for a missing path."""
    return "-" if st is None else f"{st.st_mtime_ns}/{st.st_size}/{st.st_ino}"


def stat_signature(root: str, paths: list[str]) -> str:
    """The stat texts of ``paths`` (relative to ``root``; "" is root itself), joined by ``;``
    (``stat_text`` of each, written out here: an unchanged re-run is mostly this loop)."""
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


def trusted(stats: list[os.stat_result | None], now_ns: int | None = None) -> bool:
    """True when no stat is recent enough to be racy."""
    limit = (time.time_ns() if now_ns is None else now_ns) - RACY_NS
    return all(st is None or st.st_mtime_ns < limit for st in stats)
