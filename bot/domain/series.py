"""A weekly series: how often an event repeats, and the starts of its occurrences.

Pure: the caller passes the library's timezone. Each occurrence starts at the same
wall-clock time a week after the one before, so 14:00 stays 14:00 when the clocks change
in between (the UTC moments are then 167 or 169 hours apart, not 168).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.days import written_day

MIN_TIMES = 2
MAX_TIMES = 52  # a year of weeks
TIMES_PRESETS = (4, 8, 12)  # offered as buttons
WEEK = timedelta(weeks=1)

_TIMES = re.compile(r"[0-9]{1,3}")


class SeriesError(ValueError):
    """A repetition that cannot be taken; ``code`` names the problem, ``params`` fill the text."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Repeat:
    """Every week, ``times`` occurrences in all, or every week up to ``until`` (inclusive)."""

    times: int | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if (self.times is None) == (self.until is None):
            raise ValueError("a repetition is a number of times or a last day")

    def count(self, first: date) -> int:
        """How many occurrences, the first on ``first``, there are."""
        if self.times is not None:
            return self.times
        assert self.until is not None
        return (self.until - first).days // 7 + 1

    def to_text(self) -> str:
        """The stored form: ``"8"`` or ``"2026-05-01"``."""
        return str(self.times) if self.times is not None else str(self.until)

    @classmethod
    def from_text(cls, value: str) -> Repeat:
        """What :meth:`to_text` stored; raises ValueError."""
        if value.isdigit():
            return cls(times=int(value))
        return cls(until=date.fromisoformat(value))


def parse_times(text: str) -> int:
    """How many times in all: a number from 2 to 52."""
    value = text.strip()
    if not _TIMES.fullmatch(value):
        raise SeriesError("times_format")
    times = int(value)
    if not MIN_TIMES <= times <= MAX_TIMES:
        raise SeriesError("times_range", min=MIN_TIMES, max=MAX_TIMES)
    return times


def parse_until(text: str) -> date:
    """A last day written ``01.05.2026`` or ``2026-05-01``."""
    value = text.strip()
    try:
        day = written_day(value)
    except ValueError:
        raise SeriesError("until_invalid", value=value) from None
    if day is None:
        raise SeriesError("until_format")
    return day


def parse_repeat(text: str) -> Repeat:
    """A number of times (``8``) or a last day (``01.05.2026``)."""
    value = text.strip()
    if _TIMES.fullmatch(value):
        return Repeat(times=parse_times(value))
    try:
        return Repeat(until=parse_until(value))
    except SeriesError as exc:
        if exc.code == "until_invalid":
            raise
        raise SeriesError("repeat_format") from None


def check(repeat: Repeat, first: date) -> int:
    """The number of occurrences, checked: at least two, within a year of ``first``."""
    if repeat.until is not None:
        if repeat.until < first + WEEK:
            raise SeriesError("until_soon", earliest=first + WEEK)
        latest = first + WEEK * (MAX_TIMES - 1)
        if repeat.until > latest:
            raise SeriesError("until_far", latest=latest)
    count = repeat.count(first)
    if not MIN_TIMES <= count <= MAX_TIMES:
        raise SeriesError("times_range", min=MIN_TIMES, max=MAX_TIMES)
    return count


def days(repeat: Repeat, first: date) -> list[date]:
    """The days of the occurrences, a week apart, the first on ``first``."""
    return [first + WEEK * n for n in range(check(repeat, first))]


def starts(first: datetime, repeat: Repeat, tz: ZoneInfo) -> list[datetime]:
    """The UTC starts of the occurrences: ``first`` (UTC), then the same wall-clock time in
    ``tz`` every week. Raises SeriesError("time_gap", day=...) when the clocks jump over
    that time on one of the days."""
    local = first.astimezone(tz)
    at = time(local.hour, local.minute, local.second)
    result = []
    for day in days(repeat, local.date()):
        wall = datetime.combine(day, at)
        utc = wall.replace(tzinfo=tz).astimezone(UTC)
        if utc.astimezone(tz).replace(tzinfo=None) != wall:
            raise SeriesError("time_gap", day=day)
        result.append(utc)
    return result
