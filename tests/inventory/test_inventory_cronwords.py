"""Cron expressions in plain words, and unusual or invalid ones shown verbatim."""

from __future__ import annotations

import pytest

from inventory.cronwords import describe


@pytest.mark.parametrize(
    ("expr", "words"),
    [
        ("*/10 * * * *", "every 10 minutes"),
        ("*/15 * * * *", "every 15 minutes"),
        ("* * * * *", "every minute"),
        ("*/1 * * * *", "every minute"),
        ("0 * * * *", "every hour"),
        ("42 * * * *", "every hour at minute 42"),
        ("15,45 * * * *", "every hour at minutes 15 and 45"),
        ("0,20,40 * * * *", "every hour at minutes 0, 20 and 40"),
        ("0 */6 * * *", "every 6 hours"),
        ("5 */1 * * *", "every hour at minute 5"),
        ("30 */2 * * *", "every 2 hours at minute 30"),
        ("0 0 * * *", "every day at 00:00 UTC"),
        ("10 8 * * *", "every day at 08:10 UTC"),
        ("15 0,12 * * *", "every day at 00:15 and 12:15 UTC"),
        ("0 9-17 * * *", "every hour from 09:00 to 17:00 UTC"),
        ("30 2 * * 1", "every Monday at 02:30 UTC"),
        ("0 6 * * SUN", "every Sunday at 06:00 UTC"),
        ("0 0 * * 7", "every Sunday at 00:00 UTC"),
        ("0 0 * * 1-5", "every Monday to Friday at 00:00 UTC"),
        ("0 0 * * MON-FRI", "every Monday to Friday at 00:00 UTC"),
        ("0 0 * * 1,3,5", "every Monday, Wednesday and Friday at 00:00 UTC"),
        ("0 0 1 * *", "on day 1 of every month at 00:00 UTC"),
        ("0 0 1,15 * *", "on days 1 and 15 of every month at 00:00 UTC"),
        ("0 0 1-7 * *", "on days 1 to 7 of every month at 00:00 UTC"),
        ("0 0 1 jan,jul *", "on day 1 of January and July at 00:00 UTC"),
        ("0 0 * 6 *", "every day in June at 00:00 UTC"),
        ("0 3 * 1 1", "every Monday in January at 03:00 UTC"),
        ("@hourly", "every hour"),
        ("@daily", "every day at 00:00 UTC"),
        (" @daily ", "every day at 00:00 UTC"),
        ("@midnight", "every day at 00:00 UTC"),
        ("@weekly", "every Sunday at 00:00 UTC"),
        ("@monthly", "on day 1 of every month at 00:00 UTC"),
        ("@yearly", "on day 1 of January at 00:00 UTC"),
        ("@annually", "on day 1 of January at 00:00 UTC"),
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
        "0 0 * * * *",  # six fields (seconds)
        "",
        "*/5 */2 * * *",  # minute steps within stepped hours
        "*/15 1 * * *",
        "0,30 3 * * *",  # several minutes at a fixed hour
        "1-5 0 * * *",
        "0 0 */2 * *",  # day-of-month steps
        "0 0 1 * 1",  # day of month and day of week together (cron ORs them)
        "0 0 L * *",  # Quartz extensions
        "0 0 ? * MON",
        "0 25 * * *",  # out of range
        "60 0 * * *",
        "0 0 0 * *",
        "0 0 1 13 *",
        "0 0 * * 8",
        "0 0 * * 1-9",
        "0 0 * * 5-1",  # backwards range
        "*/0 * * * *",  # zero step
        "0 */0 * * *",
        "0 0 * * xyz",
        "0 0 1 * 1/2",
    ],
)
def test_unusual_or_invalid_shown_verbatim(expr: str) -> None:
    assert describe(expr) == expr
