"""What the checkers find: a link's locations and the result of checking it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    """How a link was classified."""

    OK = "ok"
    REDIRECTED = "redirected"  # works, but permanently moved: update the link
    BROKEN = "broken"
    TIMEOUT = "timeout"
    RATE_LIMITED = "rate-limited"  # the host asked us to wait longer than we are willing to
    BLOCKED = "blocked"  # 401/403: the host refuses automated checks; check by hand
    IGNORED = "ignored"


@dataclass(frozen=True, order=True)
class Location:
    """Where a link is written: a source file (relative to the repository) and a line."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass
class Result:
    """The outcome for one URL, with every place it is used."""

    url: str
    status: Status
    code: int | None = None
    detail: str = ""
    advice: str = ""
    final_url: str | None = None
    cached: bool = False
    locations: list[Location] = field(default_factory=list)

    def failed(self, timeout_is_broken: bool = False) -> bool:
        """True when this result should make the run fail."""
        return self.status is Status.BROKEN or (timeout_is_broken and self.status is Status.TIMEOUT)

    def to_json(self) -> dict:
        return {
            "url": self.url,
            "status": str(self.status),
            "code": self.code,
            "detail": self.detail,
            "advice": self.advice,
            "final_url": self.final_url,
            "cached": self.cached,
            "locations": [{"file": loc.file, "line": loc.line} for loc in self.locations],
        }
