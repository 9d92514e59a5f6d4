"""Cron schedules in plain words, by cron-descriptor: ``*/10 * * * *`` -> "every 10 minutes".

GitHub Actions and Azure Pipelines take five-field POSIX cron in UTC; anything else (six
fields, Quartz's ``L``/``W``/``#``/``?``, out-of-range values, zero steps) is shown verbatim.
"""

from __future__ import annotations

import re

from cron_descriptor import ExpressionDescriptor, Options
from cron_descriptor.Exception import FormatError, MissingFieldError, WrongArgumentError
from cron_descriptor.ExpressionValidator import ExpressionValidator

ALIASES = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
}
# One POSIX cron list item: a number or three-letter name, or a range of them; steps (not zero)
# only on ``*`` and ranges.
_VALUE = r"(?:[0-9]+|[A-Za-z]{3})"
_STEP = r"(?:/0*[1-9][0-9]*)?"
_ITEM = re.compile(rf"\*{_STEP}|{_VALUE}|{_VALUE}-{_VALUE}{_STEP}")
_CLOCK = re.compile(r"\b[0-9]{2}:[0-9]{2}\b")


def _options() -> Options:
    # Fixed English and 24-hour times: the page must not change with the build machine's locale.
    return Options(locale_code="en_US", use_24hour_time_format=True, verbose=False)


def _posix(fields: list[str]) -> bool:
    """Five fields of POSIX cron items (no seconds, no Quartz extensions, no zero steps)."""
    return len(fields) == 5 and all(
        _ITEM.fullmatch(item) for field in fields for item in field.split(",")
    )


def describe(expr: str) -> str:
    """A phrase for a five-field cron expression (times in UTC); else the expression itself."""
    cron = ALIASES.get(expr.strip(), expr.strip())
    if not _posix(cron.split()):
        return expr
    try:
        ExpressionValidator().validate(cron)
        words = ExpressionDescriptor(cron, _options()).get_description()
    except (FormatError, MissingFieldError, WrongArgumentError, ValueError):
        return expr
    words = words[:1].lower() + words[1:]  # a phrase: tables list it after the trigger events
    return f"{words} (UTC)" if _CLOCK.search(words) else words
