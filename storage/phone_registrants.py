"""Queries on residents who phoned the library: people without Telegram whom staff wrote down."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.status import ACTIVE_REGISTRATION, EventStatus, RegistrationStatus
from storage.models import Event, Person, Registration


def without_telegram() -> ColumnElement[bool]:
    """A person staff wrote down (their data not deleted): staff call them instead of
    the bot writing to them."""
    return and_(
        Person.telegram_id.is_(None), Person.added_by.is_not(None), Person.forgotten_at.is_(None)
    )


@dataclass(frozen=True)
class Caller:
    """Someone registered for an event without Telegram, as the call list shows them."""

    person_id: int
    name: str
    phone: str | None
    category: str | None
    status: RegistrationStatus
    promoted_at: datetime | None
    told_at: datetime | None

    @property
    def to_tell(self) -> bool:
        """Moved from the waiting list to a seat, and nobody has phoned them yet."""
        return (
            self.status == RegistrationStatus.CONFIRMED
            and self.promoted_at is not None
            and self.told_at is None
        )


async def add_person(
    session: AsyncSession,
    *,
    name: str,
    category: str,
    phone: str | None,
    added_by: int,
    now: datetime,
) -> Person:
    """A resident without Telegram; they agreed on the phone, so consent is recorded now."""
    person = Person(
        telegram_id=None,
        full_name=name,
        category=category,
        phone=phone,
        consent_at=now,
        created_at=now,
        added_by=added_by,
    )
    session.add(person)
    await session.flush()
    return person


async def hold_phone(session: AsyncSession, phone: str) -> None:
    """Hold this (normalised) phone until the transaction ends, so that two staff writing
    down the same caller at once make one person: the second waits here, then finds the
    first's. On SQLite a writing transaction holds the whole database (BEGIN IMMEDIATE)
    already; on PostgreSQL a transaction-scoped advisory lock keyed on the phone."""
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.blake2b(f"phone-registrant:{phone}".encode(), digest_size=8).digest()
    key = int.from_bytes(digest, "big", signed=True)
    await session.execute(select(func.pg_advisory_xact_lock(key)))


async def by_phone(session: AsyncSession, phone: str) -> Person | None:
    """The person staff wrote down before with this phone (the earliest, if several)."""
    stmt = (
        select(Person).where(Person.phone == phone, without_telegram()).order_by(Person.id).limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def callers(session: AsyncSession, event_id: int) -> list[Caller]:
    """The event's registrants without Telegram: seats first, each group in order."""
    confirmed_first = Registration.status != RegistrationStatus.CONFIRMED
    stmt = (
        select(
            Person.id,
            Person.full_name,
            Person.phone,
            Person.category,
            Registration.status,
            Registration.promoted_at,
            Registration.told_at,
        )
        .join(Registration, Registration.person_id == Person.id)
        .where(
            Registration.event_id == event_id,
            Registration.status.in_(ACTIVE_REGISTRATION),
            without_telegram(),
        )
        .order_by(confirmed_first, Registration.queued_at, Registration.id)
    )
    return [
        Caller(pid, name or "—", phone, category, RegistrationStatus(status), promoted, told)
        for pid, name, phone, category, status, promoted, told in (
            await session.execute(stmt)
        ).all()
    ]


async def writers(
    session: AsyncSession, *, since: datetime, until: datetime
) -> list[tuple[int, datetime, int]]:
    """(event id, its start, staff Telegram id) for each published event starting in
    [since, until) and each staff member who wrote down someone registered for it."""
    stmt = (
        select(Event.id, Event.starts_at, Person.added_by)
        .distinct()
        .join(Registration, Registration.event_id == Event.id)
        .join(Person, Person.id == Registration.person_id)
        .where(
            Event.status == EventStatus.PUBLISHED,
            Event.starts_at >= since,
            Event.starts_at < until,
            Registration.status.in_(ACTIVE_REGISTRATION),
            without_telegram(),
        )
        .order_by(Event.starts_at, Event.id, Person.added_by)
    )
    return [
        (event_id, starts_at, added_by)
        for event_id, starts_at, added_by in (await session.execute(stmt)).all()
        if added_by is not None
    ]


async def phoned_person(session: AsyncSession, person_id: int) -> Person | None:
    """The person, if staff wrote them down and their data is still kept."""
    stmt = select(Person).where(Person.id == person_id, without_telegram())
    return (await session.execute(stmt)).scalar_one_or_none()


async def mark_told(session: AsyncSession, *, event_id: int, person_id: int, now: datetime) -> bool:
    """Staff phoned a promoted person; False when there was nothing to tell them."""
    result = await session.execute(
        update(Registration)
        .where(
            Registration.event_id == event_id,
            Registration.person_id == person_id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.promoted_at.is_not(None),
            Registration.told_at.is_(None),
        )
        .values(told_at=now)
        .returning(Registration.id)
    )
    return result.first() is not None
