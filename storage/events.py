"""Queries on events."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, bindparam, func, or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.event_import import EventDraft
from bot.domain.status import ACTIVE_REGISTRATION, EventStatus, RegistrationStatus
from storage.models import Event, Registration

# Built once, run with the id bound: nearly every update reads an event, and building the
# statement and its cache key cost more than running it (see storage/people.py).
_EVENT = select(Event).where(Event.id == bindparam("event_id"))
_EVENT_LOCKED = _EVENT.with_for_update().execution_options(populate_existing=True)


async def get(session: AsyncSession, event_id: int, *, lock: bool = False) -> Event | None:
    """The event, optionally locked until the transaction ends (a no-op on SQLite,
    where writers already hold the database lock)."""
    stmt = _EVENT_LOCKED if lock else _EVENT
    return (await session.execute(stmt, {"event_id": event_id})).scalar_one_or_none()


def _upcoming(now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (Event.status == EventStatus.PUBLISHED, Event.starts_at > now)


def _in_branch(branch: str | None) -> tuple[ColumnElement[bool], ...]:
    """A branch's events and those of no branch (the library's as a whole); None: all."""
    if branch is None:
        return ()
    return (or_(Event.branch_key == branch, Event.branch_key.is_(None)),)


async def count_upcoming(session: AsyncSession, *, now: datetime, branch: str | None = None) -> int:
    stmt = select(func.count()).select_from(Event).where(*_upcoming(now), *_in_branch(branch))
    return (await session.execute(stmt)).scalar_one()


async def upcoming(
    session: AsyncSession,
    *,
    now: datetime,
    offset: int,
    limit: int,
    branch: str | None = None,
) -> Sequence[Event]:
    """Published events that have not started, soonest first (``branch``: only that
    branch's and those of no branch)."""
    stmt = (
        select(Event)
        .where(*_upcoming(now), *_in_branch(branch))
        .order_by(Event.starts_at, Event.id)
        .offset(offset)
        .limit(limit)
    )
    return (await session.execute(stmt)).scalars().all()


async def upcoming_at_places(
    session: AsyncSession, *, now: datetime, place_keys: Collection[str]
) -> Sequence[Event]:
    """Published events that have not started at these configured places, soonest first."""
    if not place_keys:
        return []
    stmt = (
        select(Event)
        .where(*_upcoming(now), Event.place_key.in_(list(place_keys)))
        .order_by(Event.starts_at, Event.id)
    )
    return (await session.execute(stmt)).scalars().all()


async def existing(
    session: AsyncSession, keys: Collection[tuple[str, datetime, str | None]]
) -> dict[tuple[str, datetime, str | None], int]:
    """Events that are not cancelled with these (title, start, branch), by key: their ids.
    Importing a file twice is a mistake; one statement checks a whole file. Two branches
    may hold the same training at the same hour (the branch None: the library's)."""
    if not keys:
        return {}
    pairs = list({(title, at) for title, at, _ in keys})
    stmt = select(Event.title, Event.starts_at, Event.branch_key, Event.id).where(
        tuple_(Event.title, Event.starts_at).in_(pairs),
        Event.status != EventStatus.CANCELLED,
    )
    return {
        (title, at, branch): id_
        for title, at, branch, id_ in (await session.execute(stmt)).all()
        if (title, at, branch) in keys
    }


async def series_ahead(
    session: AsyncSession, event: Event, *, now: datetime, person_id: int | None = None
) -> Sequence[Event]:
    """The published occurrences of the event's series from it on (itself included) that
    have not started, soonest first; with ``person_id``, only those the person holds no
    seat or place in line for. None for an event on its own."""
    if event.series_id is None:
        return []
    stmt = select(Event).where(
        Event.series_id == event.series_id,
        Event.starts_at >= event.starts_at,
        *_upcoming(now),
    )
    if person_id is not None:
        held = select(Registration.event_id).where(
            Registration.person_id == person_id,
            Registration.status.in_(ACTIVE_REGISTRATION),
        )
        stmt = stmt.where(Event.id.not_in(held))
    return (await session.execute(stmt.order_by(Event.starts_at, Event.id))).scalars().all()


async def waiting_count(session: AsyncSession, event_id: int) -> int:
    stmt = select(func.count()).where(
        Registration.event_id == event_id, Registration.status == RegistrationStatus.WAITING
    )
    return (await session.execute(stmt)).scalar_one()


async def add_many(
    session: AsyncSession,
    drafts: Sequence[EventDraft],
    *,
    now: datetime,
    status: EventStatus = EventStatus.PUBLISHED,
    series: bool = False,
) -> list[Event]:
    """Insert the events; with ``series``, they are the occurrences of one new series,
    whose id is the first one's."""
    events = [
        Event(
            title=d.title,
            kind=d.kind,
            starts_at=d.starts_at,
            ends_at=d.ends_at,
            place=d.place,
            place_key=d.place_key,
            branch_key=d.branch_key,
            capacity=d.capacity,
            seats_taken=0,
            audience=d.audience,
            program_id=d.program_id,
            report_label=d.report_label,
            report_title=d.report_title,
            partner=d.partner,
            report_note=d.report_note,
            description=d.description,
            reminder_offsets=d.reminders,
            status=status,
            created_at=now,
        )
        for d in drafts
    ]
    session.add_all(events)
    await session.flush()
    if series and events:
        for event in events:
            event.series_id = events[0].id
        await session.flush()
    return events


async def upcoming_audiences(session: AsyncSession, *, now: datetime) -> list[str]:
    """Audiences named by published events that have not started, each once, as written."""
    stmt = select(Event.audience).where(*_upcoming(now), Event.audience != "").distinct()
    return list((await session.execute(stmt)).scalars())


async def remove(session: AsyncSession, event: Event) -> None:
    """Delete an event (a draft: nothing refers to it)."""
    await session.delete(event)
    await session.flush()
