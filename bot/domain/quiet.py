"""Quiet hours: at night (by default 21:00–08:00, the library's time) the bot does not
wake people. What can wait for the morning waits; what cannot — a reminder, or news of
an event that starts before the morning — goes out without a sound."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.status import NotificationKind

_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–—]\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    def contains(self, local: time) -> bool:
        if self.start <= self.end:  # e.g. 13:00-14:00
            return self.start <= local < self.end
        return local >= self.start or local < self.end  # across midnight

    def quiet_at(self, moment: datetime, tz: ZoneInfo) -> bool:
        return self.contains(moment.astimezone(tz).time())

    def morning_after(self, moment: datetime, tz: ZoneInfo) -> datetime:
        """The next end of quiet hours after ``moment`` (UTC), by the library's clock: on
        the night the clocks change it is still 08:00 on the wall."""
        local = moment.astimezone(tz)
        day = local.date()
        for days in (0, 1):
            candidate = datetime.combine(day + timedelta(days=days), self.end, tzinfo=tz)
            if candidate.astimezone(UTC) > moment:
                return candidate.astimezone(UTC)
        raise AssertionError("a day always has a morning")


def parse_quiet_hours(text: str) -> QuietHours | None:
    """``"21:00-08:00"``; ``""`` or ``"off"`` for none. Raises ValueError otherwise."""
    if text.strip().lower() in ("", "off", "none"):
        return None
    found = _SPAN.match(text)
    if found is None:
        raise ValueError("format")
    h1, m1, h2, m2 = (int(v) for v in found.groups())
    try:
        start, end = time(h1, m1), time(h2, m2)
    except ValueError:
        raise ValueError("range") from None
    if start == end:
        raise ValueError("empty")
    return QuietHours(start, end)


@dataclass(frozen=True)
class Deliver:
    silent: bool


@dataclass(frozen=True)
class Hold:
    until: datetime


# Sent at night without a sound: a reminder is due when it is due.
_SILENT_AT_NIGHT = frozenset({NotificationKind.REMINDER})
# About an event that is over: never urgent.
_WAIT_FOR_THE_MORNING = frozenset({NotificationKind.FEEDBACK})


def delivery(
    kind: NotificationKind,
    *,
    now: datetime,
    event_starts_at: datetime,
    quiet: QuietHours | None,
    tz: ZoneInfo,
) -> Deliver | Hold:
    """Whether a message goes now (with or without a sound) or waits for the morning."""
    if quiet is None or not quiet.quiet_at(now, tz):
        return Deliver(silent=False)
    morning = quiet.morning_after(now, tz)
    if kind in _WAIT_FOR_THE_MORNING:
        return Hold(morning)
    if kind in _SILENT_AT_NIGHT or event_starts_at <= morning:
        return Deliver(silent=True)
    return Hold(morning)
