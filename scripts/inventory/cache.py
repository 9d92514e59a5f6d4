"""On-disk cache: facts per distinct file content, and per repository by commit and file stats."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from typing import Any

from . import EXTRACTOR_VERSION


class Cache:
    """Facts keyed by content hash (``blobs``) and repository records keyed by path (``repos``)."""

    def __init__(self, directory: str | None) -> None:
        self.path = (
            os.path.join(directory, f"inventory-cache-v{EXTRACTOR_VERSION}.json")
            if directory
            else None
        )
        self.blobs: dict[str, dict[str, Any]] = {}
        self.repos: dict[str, dict[str, Any]] = {}
        self.dirty = False
        if self.path and os.path.exists(self.path):
            try:
                with open(self.path, encoding="utf-8") as fh:
                    data = json.load(fh)
                self.blobs, self.repos = dict(data["blobs"]), dict(data["repos"])
            except (OSError, ValueError, KeyError, TypeError) as exc:
                print(f"inventory: ignoring unreadable cache {self.path}: {exc}", file=sys.stderr)

    def save(self) -> None:
        """Write the cache atomically (no partial file is ever left behind)."""
        if not self.path or not self.dirty:
            return
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(self.path), suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps({"blobs": self.blobs, "repos": self.repos}, separators=(",", ":")))
        os.replace(tmp, self.path)
