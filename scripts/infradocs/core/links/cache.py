"""The cache folder: lychee's own cache of good answers, and ours of what lychee does not cache.

lychee 0.24.2 (``--cache``) keeps only answers it counts as good, and without their redirect
chain: a broken, blocked (401/403), rate-limited or timed-out URL would be asked again on every
run, and a permanent redirect would pass as OK once cached. Those results stay in
``results.json``: problems for ``cache_broken_max_age_minutes``, blocked and redirected ones as
long as lychee keeps good answers (``cache_max_age_hours``).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from infradocs.core.links.model import Result, Status

LONG = {Status.REDIRECTED, Status.BLOCKED}  # working links: kept as long as lychee's good ones
LYCHEE_FILE = ".lycheecache"
OURS_FILE = "results.json"


class Cache:
    """Results other than OK from earlier runs, each kept for its kind's age (0: not kept)."""

    def __init__(
        self, folder: Path, max_age: float, broken_max_age: float, now: float | None = None
    ) -> None:
        self.folder, self.path = folder, folder / OURS_FILE
        self.lychee = folder / LYCHEE_FILE
        self.max_age, self.broken_max_age = max_age, broken_max_age
        self.now = time.time() if now is None else now
        self.entries: dict[str, dict] = {}
        self.problem = ""
        if self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self.entries = {k: v for k, v in data.get("urls", {}).items() if _valid(v)}
            except (OSError, ValueError, AttributeError) as exc:
                self.problem = f"{self.path}: unreadable cache, starting afresh ({exc})"

    def _age_limit(self, status: Status) -> float:
        return self.max_age if status in LONG else self.broken_max_age

    def get(self, url: str) -> Result | None:
        """The cached result of ``url`` when it is recent enough for its kind."""
        entry = self.entries.get(url)
        if entry is None:
            return None
        status, age = Status(entry["status"]), self.now - entry["checked"]
        if not 0 <= age < self._age_limit(status):
            return None
        when = f"{age / 3600:.1f} h" if status in LONG else f"{age / 60:.0f} min"
        detail = f"cached: {entry.get('detail', '')} (checked {when} ago)"
        return Result(
            url,
            status,
            entry.get("code"),
            detail,
            entry.get("advice", ""),
            entry.get("final_url"),
            cached=True,
        )

    def put(self, result: Result) -> None:
        """Remember a freshly checked result (an OK one replaces an older problem)."""
        if result.cached or result.status is Status.IGNORED:
            return
        if result.status is Status.OK:
            self.entries.pop(result.url, None)
            return
        self.entries[result.url] = {
            "status": str(result.status),
            "code": result.code,
            "detail": result.detail,
            "final_url": result.final_url,
            "advice": result.advice,
            "checked": self.now,
        }

    def save(self) -> None:
        """Write ``results.json`` atomically, dropping entries past their age."""
        keep = {
            u: e
            for u, e in self.entries.items()
            if self.now - e["checked"] < self._age_limit(Status(e["status"]))
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps({"version": 2, "urls": keep}, indent=0, sort_keys=True))
        os.replace(tmp, self.path)


def _valid(entry: object) -> bool:
    if not isinstance(entry, dict) or not isinstance(entry.get("checked"), int | float):
        return False
    return entry.get("status") in {str(s) for s in Status}
