"""When reminders go out. Offsets are elapsed time: "24h" is 24 real hours before the
start, also across a daylight-saving change."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from bot.domain.durations import format_duration, parse_duration

MAX_OFFSETS = 5
_SEPARATORS = re.compile(r"[\s,;+]+")


def schedule(
    starts_at: datetime, offsets: Iterable[timedelta], *, now: datetime
) -> list[tuple[timedelta, datetime]]:
    """(offset, due time) of each reminder whose moment is still ahead at ``now``.

    Someone registering three hours before the start gets only the two-hour reminder;
    a person promoted from the waiting list gets the reminders still to come.
    """
    # In UTC, because Python subtracts wall-clock time from zone-aware datetimes.
    start = starts_at.astimezone(UTC)
    result = []
    for offset in sorted(set(offsets), reverse=True):
        due = start - offset
        if due > now:
            result.append((offset, due))
    return result


def reminder_variant(offset: timedelta, starts_at: datetime) -> str:
    """Tells reminders apart: the same offset before a moved event is a new reminder."""
    return f"{int(offset.total_seconds())}@{starts_at:%Y%m%dT%H%MZ}"


def parse_offsets(text: str) -> tuple[timedelta, ...]:
    """``"18h, 1h"`` (also space-, ``;``- or ``+``-separated) -> offsets, longest first.

    Raises ValueError with a readable reason.
    """
    parts = [p for p in _SEPARATORS.split(text.strip()) if p]
    if len(parts) > MAX_OFFSETS:
        raise ValueError(f"at most {MAX_OFFSETS} reminders")
    return tuple(sorted({parse_duration(p) for p in parts}, reverse=True))


def format_offsets(offsets: Iterable[timedelta]) -> str:
    return ",".join(format_duration(o) for o in sorted(offsets, reverse=True))
