"""The staff's morning summary: who asked for it, queueing it once a day, and its contents.

It goes through the outbox like every other message the bot sends by itself: one row per
staff member and day (kind ``summary``, the day as its variant, keyed to the first of the
days' events), so queueing again, after a restart too, adds nothing.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.status import NotificationKind
from storage import notifications, people, phone_registrants
from storage import summary as storage
from storage.phone_registrants import Caller
from storage.staff_events import EventFigures


@dataclass(frozen=True)
class DayEvent:
    figures: EventFigures
    callers: list[Caller]  # registered without Telegram: staff phone them

    @property
    def to_tell(self) -> int:
        return sum(1 for c in self.callers if c.to_tell)


@dataclass(frozen=True)
class Summary:
    day: date
    today: list[DayEvent]
    tomorrow: list[DayEvent]


async def wanted(session: AsyncSession, telegram_id: int) -> bool:
    """Whether this staff member gets the morning summary."""
    person = await people.by_telegram_id(session, telegram_id)
    return person is not None and person.morning_summary


async def choose(session: AsyncSession, telegram_id: int, *, on: bool, now: datetime) -> bool:
    """Turn the summary on or off for this staff member (a person row is made if they have
    none yet); returns the choice."""
    person = await people.ensure(session, telegram_id, now=now)
    person.morning_summary = on
    return on


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=tz)


async def queue(
    session: AsyncSession, *, day: date, tz: ZoneInfo, admins: Collection[int], now: datetime
) -> int:
    """Queue the summary of ``day`` (the library's date) for every staff member who wants it,
    when there are events that day or the next; returns how many were queued. Safe to
    call again: nobody gets a day's summary twice."""
    found = await storage.events_between(
        session, since=_midnight(day, tz), until=_midnight(day + timedelta(days=2), tz)
    )
    if not found:
        return 0
    variant = day.isoformat()
    done = await storage.already_queued(session, variant=variant)
    readers = [p for p in await storage.readers(session, admins=admins) if p not in done]
    rows = [
        {
            "person_id": person_id,
            "event_id": found[0].event.id,
            "kind": NotificationKind.SUMMARY,
            "variant": variant,
            "due_at": now,
            # A morning summary is of no use the next day.
            "expires_at": _midnight(day + timedelta(days=1), tz),
            "payload": json.dumps({"day": variant}),
            "created_at": now,
        }
        for person_id in readers
    ]
    await notifications.enqueue(session, rows)
    return len(rows)


async def contents(session: AsyncSession, *, day: date, tz: ZoneInfo) -> Summary:
    """The day's and the next day's events with their counts and whom to call."""
    days = []
    for offset in (0, 1):
        start = day + timedelta(days=offset)
        found = await storage.events_between(
            session, since=_midnight(start, tz), until=_midnight(start + timedelta(days=1), tz)
        )
        days.append(
            [DayEvent(f, await phone_registrants.callers(session, f.event.id)) for f in found]
        )
    return Summary(day, days[0], days[1])
