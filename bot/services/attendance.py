"""Who came: registered people marked one by one, walk-ins counted per category."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import NotRegisteredError
from bot.domain.status import RegistrationStatus
from bot.services.registration import visible_event
from storage.models import Event, Person, Registration, WalkIn


async def mark(session: AsyncSession, *, event_id: int, person_id: int, came: bool) -> None:
    result = await session.execute(
        update(Registration)
        .where(
            Registration.event_id == event_id,
            Registration.person_id == person_id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .values(attended=came)
        .returning(Registration.id)
    )
    if result.first() is None:
        raise NotRegisteredError(event_id)


async def everyone_came(session: AsyncSession, *, event_id: int) -> int:
    """Mark every confirmed registrant as present; returns how many."""
    await visible_event(session, event_id)
    result = await session.execute(
        update(Registration)
        .where(
            Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED
        )
        .values(attended=True)
        .returning(Registration.id)
    )
    return len(result.all())


async def add_walk_ins(session: AsyncSession, *, event_id: int, category: str, delta: int) -> int:
    """Add (or, with a negative delta, remove) walk-ins; never below zero. Returns the count."""
    await visible_event(session, event_id, lock=True)
    row = (
        await session.execute(
            select(WalkIn).where(WalkIn.event_id == event_id, WalkIn.category == category)
        )
    ).scalar_one_or_none()
    if row is None:
        row = WalkIn(event_id=event_id, category=category, count=0)
        session.add(row)
    row.count = max(row.count + delta, 0)
    await session.flush()
    return row.count


@dataclass(frozen=True)
class Attendee:
    person_id: int
    name: str
    attended: bool | None


@dataclass(frozen=True)
class Sheet:
    """An event's attendance as staff see it."""

    event: Event
    attendees: list[Attendee]
    walk_ins: dict[str, int]

    @property
    def came(self) -> int:
        return sum(1 for a in self.attendees if a.attended)


async def sheet(session: AsyncSession, *, event_id: int) -> Sheet:
    event = await visible_event(session, event_id)
    rows = await session.execute(
        select(Person.id, Person.full_name, Registration.attended)
        .join(Registration, Registration.person_id == Person.id)
        .where(
            Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED
        )
        .order_by(Person.full_name, Person.id)
    )
    attendees = [Attendee(pid, name or "—", attended) for pid, name, attended in rows.all()]
    walk = await session.execute(
        select(WalkIn.category, WalkIn.count).where(WalkIn.event_id == event_id)
    )
    return Sheet(event, attendees, {category: n for category, n in walk.all()})


async def toggle(session: AsyncSession, *, event_id: int, person_id: int) -> bool:
    """Came <-> did not come (not marked counts as did not come); returns the new mark."""
    current = (
        await session.execute(
            select(Registration.attended).where(
                Registration.event_id == event_id,
                Registration.person_id == person_id,
                Registration.status == RegistrationStatus.CONFIRMED,
            )
        )
    ).first()
    if current is None:
        raise NotRegisteredError(event_id)
    came = not current[0]
    await mark(session, event_id=event_id, person_id=person_id, came=came)
    return came
