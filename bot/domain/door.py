"""When the door QR code of an event checks people in: from half an hour before the start
to the end (an event without an end is taken to last as long as the calendar file says)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from enum import StrEnum

OPENS_BEFORE = timedelta(minutes=30)
ASSUMED_LENGTH = timedelta(hours=1, minutes=30)

PREFIX = "door_"
# secrets.token_urlsafe(12): 16 characters of the URL-safe alphabet, which a /start
# payload allows; 96 random bits, so a code cannot be guessed from another event's.
CODE = r"[A-Za-z0-9_-]{16}"
DEEP_LINK = re.compile(rf"^{PREFIX}({CODE})\Z", re.ASCII)


class Door(StrEnum):
    EARLY = "early"
    OPEN = "open"
    OVER = "over"


def window(starts_at: datetime, ends_at: datetime | None) -> tuple[datetime, datetime]:
    """When scanning the code counts: (opens, closes)."""
    return starts_at - OPENS_BEFORE, ends_at or starts_at + ASSUMED_LENGTH


def door(starts_at: datetime, ends_at: datetime | None, now: datetime) -> Door:
    opens, closes = window(starts_at, ends_at)
    if now < opens:
        return Door.EARLY
    return Door.OPEN if now <= closes else Door.OVER
