"""Report periods as staff type them: a year, a month, or two dates; then a project name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d")


@dataclass(frozen=True)
class Period:
    start: datetime  # inclusive, UTC
    end: datetime  # exclusive, UTC
    program: str | None


def _day(text: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _bounds(first: date, after_last: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Local midnights in the library's zone, so a day is the library's day, in UTC.

    Raises ValueError for a day at the calendar's ends whose midnight has no UTC moment
    (1 January of year 1 east of Greenwich).
    """
    try:
        return (
            datetime.combine(first, time(), tzinfo=tz).astimezone(UTC),
            datetime.combine(after_last, time(), tzinfo=tz).astimezone(UTC),
        )
    except OverflowError:
        raise ValueError(f"{first}..{after_last}") from None


def _next_day(day: date) -> date:
    """The following day; ValueError after 31.12.9999, the last day ``date`` holds."""
    if day == date.max:
        raise ValueError(day)
    return day + timedelta(days=1)


def parse_period(text: str, *, tz: ZoneInfo, today: date) -> Period:
    """``""`` (this year), ``"2026"``, ``"2026-03"``, or ``"01.01.2026 31.12.2026"``
    (also ``YYYY-MM-DD``; the last day included), optionally followed by a project name.

    Raises ValueError when the period cannot be read.
    """
    words = text.split()
    first = words[0] if words else ""
    if not words:
        start, end = _bounds(date(today.year, 1, 1), date(today.year + 1, 1, 1), tz)
        rest: list[str] = []
    elif m := _YEAR.match(first):
        year = int(m.group(1))
        start, end = _bounds(date(year, 1, 1), date(year + 1, 1, 1), tz)
        rest = words[1:]
    elif m := _MONTH.match(first):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(text)
        following = date(year + month // 12, month % 12 + 1, 1)
        start, end = _bounds(date(year, month, 1), following, tz)
        rest = words[1:]
    elif (since := _day(first)) and len(words) >= 2 and (until := _day(words[1])):
        if until < since:
            raise ValueError(text)
        start, end = _bounds(since, _next_day(until), tz)
        rest = words[2:]
    else:
        raise ValueError(text)
    return Period(start, end, " ".join(rest) or None)
