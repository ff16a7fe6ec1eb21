"""What a sign-in sheet prints: the event's header facts and who has a seat, in order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.status import RegistrationStatus
from storage.models import Event, Person, Program, Registration
from storage.phone_registrants import without_telegram


@dataclass(frozen=True)
class SheetEvent:
    """The facts above the table."""

    id: int
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    status: str
    program: str | None  # the programme's name, if the event belongs to one
    place_key: str | None = None  # a configured place (see bot/services/places.py)


@dataclass(frozen=True)
class SheetPerson:
    """A line of the table: someone with a seat."""

    name: str | None  # None once the person asked to be forgotten
    category: str | None
    phone: str | None
    without_telegram: bool  # written down by staff when they phoned


async def sheet_event(session: AsyncSession, event_id: int) -> SheetEvent | None:
    """The event with its programme's name, in one statement; any status."""
    stmt = (
        select(
            Event.id,
            Event.title,
            Event.kind,
            Event.starts_at,
            Event.ends_at,
            Event.place,
            Event.status,
            Program.name,
            Event.place_key,
        )
        .outerjoin(Program, Program.id == Event.program_id)
        .where(Event.id == event_id)
    )
    row = (await session.execute(stmt)).first()
    return None if row is None else SheetEvent(*row)


async def seated(session: AsyncSession, event_id: int) -> list[SheetPerson]:
    """Everyone with a confirmed seat, in registration order (the waiting list is not on
    the sheet: they are not expected; a walk-in writes their name on a blank line)."""
    stmt = (
        select(Person.full_name, Person.category, Person.phone, without_telegram())
        .select_from(Registration)
        .join(Person, Person.id == Registration.person_id)
        .where(
            Registration.event_id == event_id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .order_by(Registration.queued_at, Registration.id)
    )
    return [
        SheetPerson(name, category, phone, bool(phoned))
        for name, category, phone, phoned in (await session.execute(stmt)).all()
    ]
