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

from bot.domain.branches import manages
from bot.domain.status import NotificationKind
from storage import notifications, people, phone_registrants, staff
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
    session: AsyncSession,
    *,
    day: date,
    tz: ZoneInfo,
    admins: Collection[int],
    now: datetime,
    branched: bool = True,
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
    readers = [
        (person_id, keyed_to)
        for person_id, branch in await storage.readers(session, admins=admins)
        if person_id not in done
        # A branch's staff hear only of its events, and of none on a day it has none
        # (with no branches configured, ``branched`` False, a branch given once is none).
        and (keyed_to := _first_of(found, branch if branched else None)) is not None
    ]
    rows = [
        {
            "person_id": person_id,
            "event_id": keyed_to,
            "kind": NotificationKind.SUMMARY,
            "variant": variant,
            "due_at": now,
            # A morning summary is of no use the next day.
            "expires_at": _midnight(day + timedelta(days=1), tz),
            "payload": json.dumps({"day": variant}),
            "created_at": now,
        }
        for person_id, keyed_to in readers
    ]
    await notifications.enqueue(session, rows)
    return len(rows)


def _first_of(found: list[EventFigures], branch: str | None) -> int | None:
    """The first of the events staff of ``branch`` manage (None: all), if any."""
    return next((f.event.id for f in found if manages(branch, f.event.branch_key)), None)


async def branch_of(
    session: AsyncSession, telegram_id: int, *, admins: Collection[int], branched: bool = True
) -> str | None:
    """The branch whose events the staff member's summary tells of (None: every branch;
    always when the configuration has no branches, ``branched`` False)."""
    if not branched:
        return None
    return await storage.branch_of(session, telegram_id, admins=admins)


async def still_staff(session: AsyncSession, telegram_id: int, *, admins: Collection[int]) -> bool:
    """Whether someone a staff message was queued for is staff still (names and phones go
    only to staff: a message to someone who left is dropped, not sent)."""
    return telegram_id in admins or await staff.is_member(session, telegram_id)


async def queue_calls(
    session: AsyncSession, *, day: date, tz: ZoneInfo, admins: Collection[int], now: datetime
) -> int:
    """The day before an event with people signed up without Telegram, queue its call list
    for each staff member who wrote any of them down, once; not for those who get the
    morning summary (it lists whom to call tomorrow). Returns how many were queued."""
    tomorrow = day + timedelta(days=1)
    found = await phone_registrants.writers(
        session, since=_midnight(tomorrow, tz), until=_midnight(tomorrow + timedelta(days=1), tz)
    )
    variant = day.isoformat()
    done = await storage.calls_queued(session, variant=variant)
    rows = []
    for event_id, starts_at, telegram_id in found:
        if not await still_staff(session, telegram_id, admins=admins):
            continue
        person = await people.ensure(session, telegram_id, now=now)
        if person.morning_summary or (person.id, event_id) in done:
            continue
        rows.append(
            {
                "person_id": person.id,
                "event_id": event_id,
                "kind": NotificationKind.CALLS,
                "variant": variant,
                "due_at": now,
                "expires_at": starts_at,
                "payload": "{}",
                "created_at": now,
            }
        )
    await notifications.enqueue(session, rows)
    return len(rows)


async def contents(
    session: AsyncSession, *, day: date, tz: ZoneInfo, branch: str | None = None
) -> Summary:
    """The day's and the next day's events with their counts and whom to call; only
    ``branch``'s, for its staff."""
    days = []
    for offset in (0, 1):
        start = day + timedelta(days=offset)
        found = await storage.events_between(
            session,
            since=_midnight(start, tz),
            until=_midnight(start + timedelta(days=1), tz),
            branch=branch,
        )
        days.append(
            [DayEvent(f, await phone_registrants.callers(session, f.event.id)) for f in found]
        )
    return Summary(day, days[0], days[1])
