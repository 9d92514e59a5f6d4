"""A minimal progress bar on stderr, shown only on a terminal."""

from __future__ import annotations

import sys
import time


class Progress:
    """``[#####.....] 120/2000 repos`` redrawn at most ten times a second."""

    def __init__(self, total: int, enabled: bool = True, label: str = "repos") -> None:
        self.total, self.done, self.label = total, 0, label
        self.enabled = enabled and sys.stderr.isatty()
        self._last = 0.0

    def step(self, n: int = 1) -> None:
        """Count ``n`` more items done."""
        self.done += n
        now = time.monotonic()
        if self.enabled and (now - self._last > 0.1 or self.done == self.total):
            self._last = now
            filled = int(30 * self.done / max(self.total, 1))
            sys.stderr.write(
                f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} {self.label}"
            )
            sys.stderr.flush()

    def close(self) -> None:
        """End the bar's line."""
        if self.enabled and self.total:
            sys.stderr.write("\n")
