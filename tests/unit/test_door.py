"""When an event's door code checks people in (issue 12)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.door import DEEP_LINK, Door, door

START = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
END = START + timedelta(hours=2)


@pytest.mark.parametrize(
    ("now", "ends_at", "expected"),
    [
        (START - timedelta(minutes=31), END, Door.EARLY),
        (START - timedelta(minutes=30), END, Door.OPEN),  # half an hour before: open
        (START + timedelta(hours=1), END, Door.OPEN),
        (END, END, Door.OPEN),  # up to the end itself
        (END + timedelta(seconds=1), END, Door.OVER),
        # Without an end, an event is taken to last an hour and a half.
        (START + timedelta(minutes=90), None, Door.OPEN),
        (START + timedelta(minutes=91), None, Door.OVER),
    ],
)
def test_the_door_is_open_from_half_an_hour_before_to_the_end(
    now: datetime, ends_at: datetime | None, expected: Door
) -> None:
    assert door(START, ends_at, now) == expected


@pytest.mark.parametrize(
    ("payload", "token"),
    [
        ("door_AbCdEfGh_-123456", "AbCdEfGh_-123456"),
        ("door_AbCdEfGh_-12345", None),  # cut short
        ("door_AbCdEfGh_-1234567", None),  # too long
        ("door_AbCdEfGh_-12345٣", None),  # not the alphabet codes are made of
        ("door_AbCdEfGh_-12345+", None),
        ("event_12", None),
    ],
)
def test_a_door_link_is_the_code_and_nothing_else(payload: str, token: str | None) -> None:
    found = DEEP_LINK.match(payload)
    assert (found.group(1) if found else None) == token
