"""Seats and the waiting list.

Seats are counted on the event row and taken with one conditional UPDATE. Every change
to an event's registrations happens while the event row is locked (``events.get(lock=True)``;
on SQLite writers hold the database lock), so reads of registrations here are fresh.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Table, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from bot.domain.status import ACTIVE_REGISTRATION, EventStatus, RegistrationStatus
from storage.models import Event, Person, Registration

_EVENT_TABLE = cast(Table, Event.__table__)
_EVENTS = _EVENT_TABLE.c
# The hot statements of a registration, built once and run with their values bound
# (building one and its cache key cost more than running it on SQLite).
_TAKE_SEAT = (
    update(_EVENT_TABLE)
    .where(
        _EVENTS.id == bindparam("event_id"),
        _EVENTS.status == EventStatus.PUBLISHED,
        _EVENTS.starts_at > bindparam("now"),
        or_(_EVENTS.capacity.is_(None), _EVENTS.seats_taken < _EVENTS.capacity),
    )
    .values(seats_taken=_EVENTS.seats_taken + 1)
    .returning(_EVENTS.seats_taken)
)
_REGISTRATION_TABLE = cast(Table, Registration.__table__)
_ADD = insert(_REGISTRATION_TABLE).returning(_REGISTRATION_TABLE.c.id)
_FIND = (
    select(Registration)
    .where(
        Registration.event_id == bindparam("event_id"),
        Registration.person_id == bindparam("person_id"),
    )
    .execution_options(populate_existing=True)
)


async def take_seat(session: AsyncSession, event_id: int, *, now: datetime) -> bool:
    """Take one seat if the event is open and not full; True when a seat was taken.

    PostgreSQL re-checks the WHERE clause after waiting for a concurrent writer of the
    same row and SQLite serialises writers, so the event is never overbooked.
    """
    # On the table, not through the ORM (which would match the UPDATE against every object
    # the session holds): the session still writes what is pending first, and the event
    # it may hold is brought up to date below from what was returned.
    row = (await session.execute(_TAKE_SEAT, {"event_id": event_id, "now": now})).first()
    if row is None:
        return False
    # The event as this session holds it counts the seat too, without reading it again.
    held = session.identity_map.get(identity_key(Event, event_id))
    if held is not None:
        set_committed_value(held, "seats_taken", row.seats_taken)
    return True


async def free_seat(session: AsyncSession, event_id: int) -> None:
    await session.execute(
        update(Event)
        .where(Event.id == event_id, Event.seats_taken > 0)
        .values(seats_taken=Event.seats_taken - 1)
    )


async def find(session: AsyncSession, *, event_id: int, person_id: int) -> Registration | None:
    """The registration as committed now, not as this session first saw it."""
    bound = {"event_id": event_id, "person_id": person_id}
    return (await session.execute(_FIND, bound)).scalar_one_or_none()


async def put(
    session: AsyncSession,
    *,
    existing: Registration | None,
    event_id: int,
    person_id: int,
    status: RegistrationStatus,
    now: datetime,
) -> Registration:
    """Create the registration or reuse a cancelled one (one row per person and event)."""
    if existing is None:
        return await _add(session, event_id=event_id, person_id=person_id, status=status, now=now)
    existing.status = status
    existing.queued_at = now
    existing.updated_at = now
    existing.promoted_at = existing.told_at = None
    await session.flush()
    return existing


async def _add(
    session: AsyncSession,
    *,
    event_id: int,
    person_id: int,
    status: RegistrationStatus,
    now: datetime,
) -> Registration:
    """A new registration: one INSERT on the table, built once, instead of the ORM's
    flush, which costs a tap more than the statement itself. The row comes back into the
    session as the flush would have left it (persistent, every column loaded)."""
    values = {
        "event_id": event_id,
        "person_id": person_id,
        "status": status,
        "queued_at": now,
        "updated_at": now,
        "acknowledged_at": None,
        "attended": None,
        "promoted_at": None,
        "told_at": None,
    }
    added = (await session.execute(_ADD, values)).scalar_one()
    registration = Registration(id=added, **values)
    make_transient_to_detached(registration)
    session.add(registration)
    return registration


async def first_waiting(session: AsyncSession, event_id: int) -> Registration | None:
    stmt = (
        select(Registration)
        .where(Registration.event_id == event_id, Registration.status == RegistrationStatus.WAITING)
        .order_by(Registration.queued_at, Registration.id)
        .limit(1)
        .execution_options(populate_existing=True)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def waiting_position(session: AsyncSession, registration: Registration) -> int:
    """1 for the first in line."""
    stmt = select(func.count()).where(
        Registration.event_id == registration.event_id,
        Registration.status == RegistrationStatus.WAITING,
        or_(
            Registration.queued_at < registration.queued_at,
            and_(
                Registration.queued_at == registration.queued_at,
                Registration.id <= registration.id,
            ),
        ),
    )
    return (await session.execute(stmt)).scalar_one()


async def upcoming_for_person(
    session: AsyncSession, person_id: int, *, now: datetime
) -> Sequence[tuple[Registration, Event]]:
    """Active registrations for events still ahead, soonest first."""
    stmt = (
        select(Registration, Event)
        .join(Event, Event.id == Registration.event_id)
        .where(
            Registration.person_id == person_id,
            Registration.status.in_(ACTIVE_REGISTRATION),
            Event.starts_at > now,
            Event.status != EventStatus.CANCELLED,
        )
        .order_by(Event.starts_at, Event.id)
    )
    return [(r, e) for r, e in (await session.execute(stmt)).all()]


async def person_of(session: AsyncSession, registration: Registration) -> Person:
    return (
        await session.execute(select(Person).where(Person.id == registration.person_id))
    ).scalar_one()
