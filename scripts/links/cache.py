"""The results cache: a JSON file of URL -> last result, restored between CI runs."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from .model import Result, Status

GOOD = {Status.OK, Status.REDIRECTED, Status.BLOCKED}


class Cache:
    """URLs found good are not checked again within ``max_age`` seconds, nor URLs found broken
    within ``broken_max_age`` seconds (0: always re-checked)."""

    def __init__(
        self,
        path: Path | None,
        max_age: float,
        now: float | None = None,
        broken_max_age: float = 0.0,
    ) -> None:
        self.path = path
        self.max_age = max_age
        self.broken_max_age = broken_max_age
        self.now = time.time() if now is None else now
        self.entries: dict[str, dict] = {}
        self.problem = ""
        if path is not None and path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                self.entries = {k: v for k, v in data.get("urls", {}).items() if _valid(v)}
            except (OSError, ValueError, AttributeError) as exc:
                self.problem = f"{path}: unreadable cache, starting afresh ({exc})"

    def get(self, url: str) -> Result | None:
        """The cached result of ``url`` when it is recent enough for its kind (good or not)."""
        entry = self.entries.get(url)
        if entry is None:
            return None
        good = Status(entry["status"]) in GOOD
        age = self.now - entry["checked"]
        if not 0 <= age < (self.max_age if good else self.broken_max_age):
            return None
        when = f"{age / 3600:.1f} h" if good else f"{age / 60:.0f} min"
        return Result(
            url,
            Status(entry["status"]),
            entry.get("code"),
            f"cached: checked {when} ago",
            entry.get("advice", ""),
            entry.get("final_url"),
            cached=True,
        )

    def put(self, result: Result) -> None:
        """Remember a freshly checked result."""
        if result.cached or result.status is Status.IGNORED:
            return
        self.entries[result.url] = {
            "status": str(result.status),
            "code": result.code,
            "final_url": result.final_url,
            "advice": result.advice,
            "checked": self.now,
        }

    def save(self) -> None:
        """Write the cache atomically, dropping entries older than ``max_age``."""
        if self.path is None:
            return
        keep = {
            u: e
            for u, e in self.entries.items()
            if self.now - e["checked"]
            < (self.max_age if Status(e["status"]) in GOOD else self.broken_max_age)
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps({"version": 1, "urls": keep}, indent=0, sort_keys=True))
        os.replace(tmp, self.path)


def _valid(entry: object) -> bool:
    if not isinstance(entry, dict) or not isinstance(entry.get("checked"), int | float):
        return False
    return entry.get("status") in {str(s) for s in Status}
