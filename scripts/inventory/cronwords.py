"""Cron expressions in plain words: ``*/10 * * * *`` -> "every 10 minutes"."""

from __future__ import annotations

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


def _num(text: str) -> int:
    return NAMES[text.lower()] if text.lower() in NAMES else int(text)


def _list(field: str, names: list[str] | None = None) -> str:
    parts = []
    for part in field.split(","):
        if "-" in part:
            lo, hi = (_num(x) for x in part.split("-"))
            parts.append(f"{names[lo]} to {names[hi]}" if names else f"{lo} to {hi}")
        else:
            parts.append(names[_num(part)] if names else str(_num(part)))
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _every(field: str, unit: str) -> str | None:
    if field == "*":
        return f"every {unit}"
    if field.startswith("*/"):
        n = int(field[2:])
        return f"every {unit}" if n == 1 else f"every {n} {unit}s"
    return None


def _time(minute: str, hour: str) -> str | None:
    if minute.isdigit() and hour.isdigit():
        return f"{int(hour):02d}:{int(minute):02d} UTC"
    if minute.isdigit() and "," in hour and all(h.isdigit() for h in hour.split(",")):
        return " and ".join(f"{int(h):02d}:{int(minute):02d}" for h in hour.split(",")) + " UTC"
    return None


def describe(expr: str) -> str:
    """Plain words for a five-field cron expression; the expression itself if it is unusual."""
    fields = ALIASES.get(expr.strip(), expr).split()
    if len(fields) != 5:
        return expr
    try:
        return _describe(*fields)
    except (ValueError, IndexError, KeyError):
        return expr


def _describe(minute: str, hour: str, dom: str, month: str, dow: str) -> str:
    when = ""
    if dom == "*" and month == "*" and dow == "*":
        every = _every(minute, "minute") if hour == "*" else None
        if every:
            return every
        if minute.isdigit() and hour == "*":
            return "every hour" + (f" at minute {int(minute)}" if int(minute) else "")
        if minute.isdigit() and hour.startswith("*/"):
            h = int(hour[2:])
            return f"every {h} hours" + (f" at minute {int(minute)}" if int(minute) else "")
        at = _time(minute, hour)
        if at:
            return f"every day at {at}"
        if minute.isdigit() and "-" in hour:
            return f"every hour from {_list(hour)} at minute {int(minute)} UTC"
        raise ValueError(expr_of(minute, hour, dom, month, dow))
    at = _time(minute, hour)
    if at is None:
        raise ValueError("unusual")
    if dow != "*" and dom == "*" and month == "*":
        when = f"every {_list(dow, DAYS)}"
    elif dom != "*" and dow == "*":
        day = f"day {_list(dom)}"
        when = f"on {day} of every month" if month == "*" else f"on {day} of {_list(month, MONTHS)}"
    else:
        raise ValueError("unusual")
    return f"{when} at {at}"


def expr_of(*fields: str) -> str:
    """The expression rebuilt from its fields."""
    return " ".join(fields)
