"""Cron expressions in plain words: ``*/10 * * * *`` -> "every 10 minutes"."""

from __future__ import annotations

import re

DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
ALIASES = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
}
NAMES = {n[:3].lower(): i for i, n in enumerate(DAYS[:7])} | {
    n[:3].lower(): i for i, n in enumerate(MONTHS) if n
}
# Allowed values of each field: minute, hour, day of month, month, day of week (7 = Sunday).
BOUNDS = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]
ITEM = re.compile(r"^(?:\*|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)(?:/[0-9]+)?$")


class Unusual(ValueError):
    """The expression is valid or not, but has no plain-words form here."""


def _num(text: str, lo: int, hi: int) -> int:
    value = NAMES[text.lower()] if text.lower() in NAMES else int(text)
    if not lo <= value <= hi:
        raise Unusual(text)
    return value


def _check(field: str, lo: int, hi: int) -> None:
    """Raise ``Unusual`` unless every item of ``field`` is well formed and in range."""
    for item in field.split(","):
        if not ITEM.match(item):
            raise Unusual(item)
        base, _, step = item.partition("/")
        if step and int(step) == 0:
            raise Unusual(item)
        if base != "*":
            ends = [_num(x, lo, hi) for x in base.split("-")]
            if ends != sorted(ends):
                raise Unusual(item)


def _plain(field: str) -> bool:
    """Only numbers, names, ranges and lists (no ``*`` and no steps)."""
    return "*" not in field and "/" not in field


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _list(field: str, lo: int, hi: int, names: list[str] | None = None) -> str:
    parts = []
    for part in field.split(","):
        vals = [_num(x, lo, hi) for x in part.split("-")]
        words = [names[v] if names else str(v) for v in vals]
        parts.append(" to ".join(words))
    return _join(parts)


def _many(field: str) -> bool:
    return "," in field or "-" in field


def describe(expr: str) -> str:
    """Plain words for a five-field cron expression; the expression itself if it is unusual."""
    fields = ALIASES.get(expr.strip(), expr).split()
    if len(fields) != 5:
        return expr
    try:
        for field, (lo, hi) in zip(fields, BOUNDS, strict=True):
            _check(field, lo, hi)
        return _describe(*fields)
    except (Unusual, ValueError):
        return expr


def _times(minute: str, hour: str) -> str:
    """``02:30 UTC`` or ``00:15 and 12:15 UTC`` for a single minute and an hour list."""
    if not (minute.isdigit() and _plain(hour) and "-" not in hour):
        raise Unusual("no fixed times")
    hours = [int(h) for h in hour.split(",")]
    return _join([f"{h:02d}:{int(minute):02d}" for h in hours]) + " UTC"


def _minutes_past(minute: str) -> str:
    """`` at minute 5`` / `` at minutes 15 and 45`` (nothing for minute 0)."""
    if minute == "0":
        return ""
    word = "minutes" if _many(minute) else "minute"
    return f" at {word} {_list(minute, 0, 59)}"


def _describe(minute: str, hour: str, dom: str, month: str, dow: str) -> str:
    if dom == "*" and month == "*" and dow == "*":
        if hour == "*" and minute in ("*", "*/1"):
            return "every minute"
        if hour == "*" and minute.startswith("*/") and "," not in minute:
            return f"every {int(minute[2:])} minutes"
        if not _plain(minute):
            raise Unusual("minute steps within hours")
        if hour == "*":
            return "every hour" + _minutes_past(minute)
        if hour.startswith("*/") and "," not in hour:
            step = int(hour[2:])
            return ("every hour" if step == 1 else f"every {step} hours") + _minutes_past(minute)
        if minute.isdigit() and re.fullmatch(r"[0-9]+-[0-9]+", hour):
            lo, hi = (int(h) for h in hour.split("-"))
            m = int(minute)
            return f"every hour from {lo:02d}:{m:02d} to {hi:02d}:{m:02d} UTC"
        return f"every day at {_times(minute, hour)}"
    at = _times(minute, hour)
    if not all(_plain(f) or f == "*" for f in (dom, month, dow)):
        raise Unusual("steps in day or month fields")
    in_months = "" if month == "*" else f" in {_list(month, 1, 12, MONTHS)}"
    if dow != "*" and dom == "*":
        return f"every {_list(dow, 0, 7, DAYS)}{in_months} at {at}"
    if dom != "*" and dow == "*":
        days = f"{'days' if _many(dom) else 'day'} {_list(dom, 1, 31)}"
        of = "every month" if month == "*" else _list(month, 1, 12, MONTHS)
        return f"on {days} of {of} at {at}"
    if dom == "*" and dow == "*":
        return f"every day{in_months} at {at}"
    raise Unusual("both day of month and day of week")
