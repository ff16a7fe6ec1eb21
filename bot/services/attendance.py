"""Who came: registered people marked one by one, walk-ins counted per category."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import NotRegisteredError
from bot.domain.status import RegistrationStatus
from bot.services.registration import visible_event
from storage.models import Registration, WalkIn


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
