"""Cron schedules in plain words (cron-descriptor), and unusual or invalid ones shown verbatim."""

from __future__ import annotations

import locale

import pytest

from infradocs.core.inventory.cronwords import describe


@pytest.mark.parametrize(
    ("expr", "words"),
    [
        # every schedule in the committed snapshot, and the forms around them
        ("*/10 * * * *", "every 10 minutes"),
        ("* * * * *", "every minute"),
        ("0 * * * *", "every hour"),
        ("42 * * * *", "at 42 minutes past the hour"),
        ("0,20,40 * * * *", "at 0, 20, and 40 minutes past the hour"),
        ("0 */6 * * *", "every 6 hours"),
        ("30 */2 * * *", "at 30 minutes past the hour, every 2 hours"),
        # a clock time says it is UTC (GitHub Actions and Azure Pipelines schedules are UTC)
        ("0 0 * * *", "at 00:00 (UTC)"),
        ("10 8 * * *", "at 08:10 (UTC)"),
        ("15 0,12 * * *", "at 00:15 and 12:15 (UTC)"),
        ("30 2 * * 1", "at 02:30, only on Monday (UTC)"),
        ("0 6 * * SUN", "at 06:00, only on Sunday (UTC)"),
        ("0 0 * * 7", "at 00:00, only on Sunday (UTC)"),
        ("0 0 * * MON-FRI", "at 00:00, Monday through Friday (UTC)"),
        ("0 0 1,15 * *", "at 00:00, on day 1 and 15 of the month (UTC)"),
        ("0 0 1 jan,jul *", "at 00:00, on day 1 of the month, only in January and July (UTC)"),
        ("0 0 */2 * *", "at 00:00, every 2 days (UTC)"),
        # cron runs when either day field matches, and the words say "or"
        ("0 0 1 * 1", "at 00:00, on day 1 of the month, or on Monday (UTC)"),
        ("*/15 1 * * *", "every 15 minutes, between 01:00 and 01:59 (UTC)"),
        # the @ shorthands of cron, and surrounding space
        ("@hourly", "every hour"),
        (" @daily ", "at 00:00 (UTC)"),
        ("@weekly", "at 00:00, only on Sunday (UTC)"),
        ("@yearly", "at 00:00, on day 1 of the month, only in January (UTC)"),
    ],
)
def test_plain_words(expr: str, words: str) -> None:
    assert describe(expr) == words


@pytest.mark.parametrize(
    "expr",
    [
        "@reboot",  # not a schedule
        "not cron",
        "0 0 * *",  # four fields
        "0 0 * * * *",  # six fields: cron-descriptor would read seconds, GitHub refuses them
        "",
        "0 0 L * *",  # Quartz extensions, which GitHub Actions and Azure Pipelines refuse
        "0 0 ? * MON",
        "0 0 1W * *",
        "0 0 * * 5#3",
        "0 25 * * *",  # out of range: cron-descriptor alone would say "At 25:00"
        "60 0 * * *",
        "0 0 0 * *",
        "0 0 1 13 *",
        "0 0 * * 8",
        "0 0 * * 1-9",
        "0 0 * * 5-1",  # backwards range
        "*/0 * * * *",  # zero step: cron-descriptor alone would say "Every 0 minutes"
        "0 */0 * * *",
        "0 0 * * xyz",
        "0 0 1 * 1/2",  # a step on a single value
    ],
)
def test_unusual_or_invalid_shown_verbatim(expr: str) -> None:
    assert describe(expr) == expr


def test_words_do_not_follow_the_machine_locale(monkeypatch) -> None:
    monkeypatch.setattr(locale, "getlocale", lambda *a: ("de_DE", "UTF-8"))
    assert describe("0 6 * * SUN") == "at 06:00, only on Sunday (UTC)"
