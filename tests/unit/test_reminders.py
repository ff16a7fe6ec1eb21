"""When reminders go out, with a clock passed in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.reminders import format_offsets, parse_offsets, reminder_variant, schedule

H = timedelta(hours=1)
START = datetime(2026, 5, 20, 11, 0, tzinfo=UTC)  # 14:00 in Kyiv


@pytest.mark.parametrize(
    ("registered_before_start", "expected_offsets"),
    [
        (timedelta(days=3), [24 * H, 2 * H]),
        (timedelta(hours=25), [24 * H, 2 * H]),
        (timedelta(hours=24), [2 * H]),  # the 24-hour moment is now: already passed
        (timedelta(hours=3), [2 * H]),
        (timedelta(hours=2), []),
        (timedelta(minutes=5), []),
    ],
)
def test_reminders_whose_moment_passed_are_not_sent(
    registered_before_start: timedelta, expected_offsets: list[timedelta]
) -> None:
    now = START - registered_before_start
    result = schedule(START, [2 * H, 24 * H], now=now)
    assert [offset for offset, _ in result] == expected_offsets
    assert all(due == START - offset for offset, due in result)


def test_a_promotion_gets_only_the_reminders_still_ahead() -> None:
    promoted_at = START - 10 * H
    assert schedule(START, [24 * H, 2 * H], now=promoted_at) == [(2 * H, START - 2 * H)]


def test_duplicate_offsets_give_one_reminder() -> None:
    assert schedule(START, [2 * H, 2 * H, 120 * timedelta(minutes=1)], now=START - 5 * H) == [
        (2 * H, START - 2 * H)
    ]


def test_moving_an_event_makes_new_reminders() -> None:
    moved = START + timedelta(days=1)
    assert reminder_variant(2 * H, START) != reminder_variant(2 * H, moved)
    assert reminder_variant(2 * H, START) == reminder_variant(2 * H, START)


def test_offsets_are_real_hours_across_the_clock_change() -> None:
    """Clocks in Kyiv go forward at 03:00 on 29 March 2026: a 24h reminder before a
    10:00 event that day comes at 09:00 local time the day before (24 real hours)."""
    kyiv = ZoneInfo("Europe/Kyiv")
    start = datetime(2026, 3, 29, 10, 0, tzinfo=kyiv)
    ((_, due),) = schedule(start, [24 * H], now=start - timedelta(days=2))
    assert start - due == 24 * H
    assert due.astimezone(kyiv).strftime("%d.%m %H:%M") == "28.03 09:00"
    ((_, due2),) = schedule(start, [2 * H], now=start - timedelta(days=2))
    assert due2.astimezone(kyiv).strftime("%d.%m %H:%M") == "29.03 08:00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18h, 1h", (18 * H, H)),
        ("1h 18h", (18 * H, H)),
        ("30m;2h", (2 * H, timedelta(minutes=30))),
        ("", ()),
        ("45s", (timedelta(seconds=45),)),
    ],
)
def test_per_event_offsets_are_read_in_any_order(
    text: str, expected: tuple[timedelta, ...]
) -> None:
    assert parse_offsets(text) == expected
    assert parse_offsets(format_offsets(expected)) == expected


@pytest.mark.parametrize("text", ["tomorrow", "2x", "1h,1h,2h,3h,4h,5h,6h", "0s"])
def test_bad_offsets_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_offsets(text)
