"""Queries on who came: marks on confirmed registrations, and walk-ins per category."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, func, not_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.status import RegistrationStatus
from storage.models import Person, Registration, WalkIn
from storage.phone_registrants import without_telegram


def _confirmed(event_id: int) -> tuple[ColumnElement[bool], ...]:
    return (
        Registration.event_id == event_id,
        Registration.status == RegistrationStatus.CONFIRMED,
    )


async def set_mark(session: AsyncSession, *, event_id: int, person_id: int, came: bool) -> bool:
    """Mark a confirmed registrant; False when the person holds no confirmed seat."""
    result = await session.execute(
        update(Registration)
        .where(*_confirmed(event_id), Registration.person_id == person_id)
        .values(attended=came)
        .returning(Registration.id)
    )
    return result.first() is not None


async def toggle_mark(session: AsyncSession, *, event_id: int, person_id: int) -> bool | None:
    """Flip came and did not come (unmarked counts as did not come); None when not confirmed."""
    # One statement, so two quick taps cannot both read the old mark.
    result = await session.execute(
        update(Registration)
        .where(*_confirmed(event_id), Registration.person_id == person_id)
        .values(attended=not_(func.coalesce(Registration.attended, false())))
        .returning(Registration.attended)
    )
    row = result.first()
    return None if row is None else bool(row[0])


async def mark_everyone(session: AsyncSession, event_id: int) -> int:
    """Mark every confirmed registrant as present; returns how many."""
    result = await session.execute(
        update(Registration)
        .where(*_confirmed(event_id))
        .values(attended=True)
        .returning(Registration.id)
    )
    return len(result.all())


async def attendees(
    session: AsyncSession, event_id: int
) -> list[tuple[int, str | None, bool | None, bool]]:
    """Confirmed registrants as (person id, name, mark, signed up by phone without
    Telegram), by name."""
    rows = await session.execute(
        select(Person.id, Person.full_name, Registration.attended, without_telegram())
        .join(Registration, Registration.person_id == Person.id)
        .where(*_confirmed(event_id))
        .order_by(Person.full_name, Person.id)
    )
    return [(pid, name, attended, bool(phoned)) for pid, name, attended, phoned in rows.all()]


async def walk_in(session: AsyncSession, *, event_id: int, category: str) -> WalkIn:
    """The event's walk-in count for a category, added at zero if there is none yet."""
    row = (
        await session.execute(
            select(WalkIn).where(WalkIn.event_id == event_id, WalkIn.category == category)
        )
    ).scalar_one_or_none()
    if row is None:
        row = WalkIn(event_id=event_id, category=category, count=0)
        session.add(row)
    return row


async def walk_ins(session: AsyncSession, event_id: int) -> dict[str, int]:
    """Walk-ins of an event by category."""
    rows = await session.execute(
        select(WalkIn.category, WalkIn.count).where(WalkIn.event_id == event_id)
    )
    return {category: count for category, count in rows.all()}
