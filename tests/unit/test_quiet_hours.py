"""Quiet hours (issue 12): which messages wait for the morning, which go out silently, and
when the morning is — across midnight and across the daylight-saving change."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.quiet import Deliver, Hold, QuietHours, delivery, parse_quiet_hours
from bot.domain.status import NotificationKind as Kind

KYIV = ZoneInfo("Europe/Kyiv")
NIGHT = QuietHours(time(21, 0), time(8, 0))


def kyiv(*args: int) -> datetime:
    return datetime(*args, tzinfo=KYIV).astimezone(UTC)


@pytest.mark.parametrize(
    ("local", "quiet"),
    [
        (time(20, 59), False),
        (time(21, 0), True),
        (time(23, 59), True),
        (time(0, 0), True),
        (time(7, 59), True),
        (time(8, 0), False),
        (time(12, 0), False),
    ],
)
def test_the_night_spans_midnight(local: time, quiet: bool) -> None:
    assert NIGHT.contains(local) is quiet


def test_a_span_within_one_day() -> None:
    lunch = QuietHours(time(13, 0), time(14, 0))
    assert lunch.contains(time(13, 30)) and not lunch.contains(time(14, 0))
    assert not lunch.contains(time(0, 30))


@pytest.mark.parametrize(
    ("moment", "morning"),
    [
        (kyiv(2026, 1, 15, 23, 30), kyiv(2026, 1, 16, 8, 0)),  # before midnight
        (kyiv(2026, 1, 16, 2, 0), kyiv(2026, 1, 16, 8, 0)),  # after midnight: the same day
        # The clocks go forward at 03:00 on 29 March 2026: the night is an hour shorter,
        # and the morning is still 08:00 on the wall (05:00 UTC, not 06:00).
        (kyiv(2026, 3, 28, 23, 0), datetime(2026, 3, 29, 5, 0, tzinfo=UTC)),
        # ...and back at 04:00 on 25 October 2026: 08:00 is 06:00 UTC that morning.
        (kyiv(2026, 10, 24, 23, 0), datetime(2026, 10, 25, 6, 0, tzinfo=UTC)),
    ],
)
def test_the_morning_is_eight_by_the_library_clock(moment: datetime, morning: datetime) -> None:
    assert NIGHT.morning_after(moment, KYIV) == morning


def test_the_dst_nights_last_an_hour_less_and_an_hour_more() -> None:
    spring = NIGHT.morning_after(kyiv(2026, 3, 28, 21, 0), KYIV) - kyiv(2026, 3, 28, 21, 0)
    autumn = NIGHT.morning_after(kyiv(2026, 10, 24, 21, 0), KYIV) - kyiv(2026, 10, 24, 21, 0)
    assert (spring.total_seconds() / 3600, autumn.total_seconds() / 3600) == (10, 12)


NIGHT_NOW = kyiv(2026, 1, 15, 23, 30)
MORNING = kyiv(2026, 1, 16, 8, 0)
DAY_AFTER = kyiv(2026, 1, 16, 12, 0)
BEFORE_MORNING = kyiv(2026, 1, 16, 7, 0)


@pytest.mark.parametrize(
    ("kind", "starts_at", "expected"),
    [
        (Kind.REMINDER, DAY_AFTER, Deliver(silent=True)),
        (Kind.ANNOUNCEMENT, DAY_AFTER, Hold(MORNING)),
        (Kind.CHANGED, DAY_AFTER, Hold(MORNING)),
        (Kind.CANCELLED, DAY_AFTER, Hold(MORNING)),
        (Kind.PROMOTED, DAY_AFTER, Hold(MORNING)),
        (Kind.PHONE_PROMOTED, DAY_AFTER, Hold(MORNING)),
        # News of an event that starts before the morning cannot wait for it.
        (Kind.CANCELLED, BEFORE_MORNING, Deliver(silent=True)),
        (Kind.CHANGED, BEFORE_MORNING, Deliver(silent=True)),
        (Kind.PROMOTED, BEFORE_MORNING, Deliver(silent=True)),
        # The question after an event is about one that is over: it waits.
        (Kind.FEEDBACK, NIGHT_NOW - timedelta(hours=3), Hold(MORNING)),
    ],
)
def test_at_night(kind: Kind, starts_at: datetime, expected: Deliver | Hold) -> None:
    assert (
        delivery(kind, now=NIGHT_NOW, event_starts_at=starts_at, quiet=NIGHT, tz=KYIV) == expected
    )


@pytest.mark.parametrize("kind", list(Kind))
def test_by_day_or_without_quiet_hours_everything_goes_with_a_sound(kind: Kind) -> None:
    noon = kyiv(2026, 1, 15, 12, 0)
    assert delivery(kind, now=noon, event_starts_at=DAY_AFTER, quiet=NIGHT, tz=KYIV) == Deliver(
        silent=False
    )
    assert delivery(kind, now=NIGHT_NOW, event_starts_at=DAY_AFTER, quiet=None, tz=KYIV) == (
        Deliver(silent=False)
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21:00-08:00", NIGHT),
        (" 22:30 – 7:00 ", QuietHours(time(22, 30), time(7, 0))),
        ("", None),
        ("off", None),
    ],
)
def test_quiet_hours_are_read(text: str, expected: QuietHours | None) -> None:
    assert parse_quiet_hours(text) == expected


@pytest.mark.parametrize("text", ["21-08", "25:00-08:00", "21:00-21:00", "вночі", "21:00"])
def test_what_is_not_a_span_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_quiet_hours(text)
