"""Typed answers to the questions of /newevent and of editing an event: read and checked.

Pure: the caller passes the library's timezone and the current moment. Every refusal is
a :class:`FormError` whose ``code`` the handler turns into a polite message with an
example. The text limits are the CSV import's, so both ways of creating events agree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain import event_import
from bot.domain.event_import import LIMITS, MAX_CAPACITY, EventDraft, local_to_utc
from bot.domain.reminders import format_offsets, parse_offsets
from bot.domain.text import has_control_characters, multiline, one_line

# The questions of /newevent in order; "done" is the preview. Editing uses the same
# codes for the fields (they travel in callback data, so they are short).
STEPS = ("title", "kind", "date", "time", "dur", "place", "cap", "aud", "prog", "desc", "rem")
DONE = "done"
# Free-text fields and the import column whose limit they share.
TEXT_FIELDS = {
    "title": "title",
    "place": "place",
    "aud": "audience",
    "prog": "program",
    "desc": "description",
}
# Multi-line text is kept as typed; a title or a place is one line.
MULTILINE = frozenset({"desc"})

MIN_DURATION = timedelta(minutes=10)
MAX_DURATION = timedelta(hours=12)
DURATION_PRESETS = (60, 90, 120, 180)  # minutes, offered as buttons

_DATE_DMY = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_DATE_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_TIME = re.compile(r"([0-9]{1,2})[:.]([0-9]{2})")
_HOURS_MINUTES = re.compile(r"([0-9]{1,2}):([0-9]{2})")
_NUMBER = r"[0-9]{1,4}(?:[.,][0-9]{1,2})?"
_HOUR_UNITS = r"h|hr|hrs|hour|hours|г|год|година|години|годин"
_MINUTE_UNITS = r"m|min|mins|minute|minutes|хв|хвилина|хвилини|хвилин"
_WITH_UNITS = re.compile(
    rf"(?:(?P<h>{_NUMBER})\s*(?:{_HOUR_UNITS})\.?)?\s*(?:(?P<m>[0-9]{{1,4}})\s*(?:{_MINUTE_UNITS})\.?)?"
)


class FormError(ValueError):
    """An answer that cannot be taken; ``code`` names the problem, ``params`` fill the text."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def next_step(step: str) -> str:
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else DONE


def parse_text(text: str, field: str) -> str:
    """A title, place, audience, project or description: not blank, within the limit,
    without control characters (a description keeps its line breaks and tabs)."""
    value = multiline(text) if field in MULTILINE else one_line(text)
    if not value:
        raise FormError("empty")
    if has_control_characters(value):
        raise FormError("control_chars")
    limit = LIMITS[TEXT_FIELDS[field]]
    if len(value) > limit:
        raise FormError("too_long", max=limit, length=len(value))
    return value


def parse_kind(text: str, kinds: Mapping[str, str]) -> str:
    """A kind typed instead of tapped: its key or its name in any language."""
    key = kinds.get(" ".join(text.split()).casefold())
    if key is None:
        raise FormError("kind")
    return key


def parse_date(text: str, *, today: date) -> date:
    """``03.12.2026`` or ``2026-12-03``; not a day that has passed."""
    value = text.strip()
    if match := _DATE_DMY.fullmatch(value):
        day, month, year = (int(g) for g in match.groups())
    elif match := _DATE_ISO.fullmatch(value):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise FormError("date_format")
    try:
        result = date(year, month, day)
    except ValueError:
        raise FormError("date_invalid", value=value) from None
    if result < today:
        raise FormError("date_past")
    return result


def parse_time(text: str) -> time:
    """``14:00`` (``9:30`` and ``14.00`` too)."""
    value = text.strip()
    match = _TIME.fullmatch(value)
    if match is None:
        raise FormError("time_format")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise FormError("time_invalid", value=value)
    return time(hour, minute)


def local_start(day: date, at: time, tz: ZoneInfo, *, now: datetime) -> datetime:
    """The start in UTC: a wall-clock time that exists in ``tz`` and is still ahead."""
    try:
        utc = local_to_utc(datetime.combine(day, at), tz)
    except ValueError:
        raise FormError("time_gap") from None  # the clocks jump over it
    if utc <= now:
        raise FormError("in_past")
    return utc


def parse_duration(text: str) -> timedelta:
    """How long an event lasts: ``90`` (minutes), ``1:30``, ``2h``, ``1.5h``, ``1h30m``,
    ``1 год 30 хв``, or ``1,5`` (a fraction means hours)."""
    value = " ".join(text.split()).casefold()
    minutes: float
    if re.fullmatch(r"[0-9]{1,4}", value):
        minutes = int(value)
    elif re.fullmatch(r"[0-9]{1,2}[.,][0-9]{1,2}", value):
        minutes = float(value.replace(",", ".")) * 60
    elif match := _HOURS_MINUTES.fullmatch(value):
        if int(match.group(2)) > 59:
            raise FormError("duration_format")
        minutes = int(match.group(1)) * 60 + int(match.group(2))
    elif (match := _WITH_UNITS.fullmatch(value)) and (match["h"] or match["m"]):
        hours = float(match["h"].replace(",", ".")) if match["h"] else 0.0
        minutes = hours * 60 + (int(match["m"]) if match["m"] else 0)
    else:
        raise FormError("duration_format")
    result = timedelta(minutes=round(minutes))
    if not MIN_DURATION <= result <= MAX_DURATION:
        raise FormError("duration_range")
    return result


def parse_capacity(text: str) -> int:
    """The number of seats, as the import reads it: digits (spaces allowed, "1 000")."""
    try:
        return event_import.parse_capacity(text)
    except ValueError as exc:
        if str(exc) == "range":
            raise FormError("capacity_range", max=MAX_CAPACITY) from None
        raise FormError("capacity_format") from None


def parse_reminders(text: str) -> str:
    """``24h,1h`` -> the stored form ``"1d,1h"`` (up to five offsets)."""
    try:
        offsets = parse_offsets(text)
    except ValueError:
        raise FormError("reminders") from None
    if not offsets:
        raise FormError("reminders")
    return format_offsets(offsets)


def draft(data: Mapping[str, Any], tz: ZoneInfo) -> EventDraft:
    """The event the answers of /newevent describe (as kept in the staff dialog)."""
    day = date.fromisoformat(data["date"])
    at = time.fromisoformat(data["time"])
    starts_at = datetime.combine(day, at).replace(tzinfo=tz).astimezone(UTC)
    return EventDraft(
        title=data["title"],
        kind=data["kind"],
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=data["dur"]),
        place=data["place"],
        capacity=data["cap"],
        audience=data.get("aud") or "",
        program=data.get("prog") or None,
        description=data.get("desc") or "",
        reminders=data.get("rem"),
    )
