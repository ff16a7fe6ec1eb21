"""Queries on checking in at the door: events' door codes, and walk-ins who scanned one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.status import RegistrationStatus
from storage.models import DoorCode, DoorWalkIn, Event, Registration, WalkIn
from storage.upsert import insert_for


async def code(session: AsyncSession, event_id: int) -> str | None:
    stmt = select(DoorCode.token).where(DoorCode.event_id == event_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def set_code(
    session: AsyncSession, event_id: int, token: str, *, now: datetime, replace: bool
) -> str:
    """The event's door code from now on: ``token``, or, unless ``replace``, the one it
    has already (made meanwhile by someone else, whose printout must keep working). One
    statement, so two first requests at once agree on one code."""
    insert = insert_for(session)
    stmt = insert(DoorCode).values(event_id=event_id, token=token, created_at=now)
    if replace:  # the old one stops working
        stmt = stmt.on_conflict_do_update(
            index_elements=[DoorCode.event_id], set_={"token": token, "created_at": now}
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=[DoorCode.event_id])
    await session.execute(stmt)
    found = await code(session, event_id)
    assert found is not None
    return found


async def event_by_code(session: AsyncSession, token: str) -> Event | None:
    stmt = (
        select(Event).join(DoorCode, DoorCode.event_id == Event.id).where(DoorCode.token == token)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def registration_status(
    session: AsyncSession, *, event_id: int, person_id: int
) -> RegistrationStatus | None:
    stmt = select(Registration.status).where(
        Registration.event_id == event_id, Registration.person_id == person_id
    )
    status = (await session.execute(stmt)).scalar_one_or_none()
    return None if status is None else RegistrationStatus(status)


async def add_walk_in(
    session: AsyncSession, *, event_id: int, person_id: int, now: datetime
) -> bool:
    """Note that this person checked in without a seat; False if they had already (one
    statement, so two quick scans cannot both count)."""
    insert = insert_for(session)
    result = await session.execute(
        insert(DoorWalkIn)
        .values(event_id=event_id, person_id=person_id, at=now)
        .on_conflict_do_nothing()
        .returning(DoorWalkIn.person_id)
    )
    return result.first() is not None


async def forget_person(session: AsyncSession, person_id: int) -> None:
    """Which events someone walked in to is theirs to delete; the counts stay."""
    await session.execute(delete(DoorWalkIn).where(DoorWalkIn.person_id == person_id))


async def mark_came(session: AsyncSession, *, event_id: int, person_id: int) -> bool:
    """Mark a confirmed registrant as came; False when they were marked so already."""
    result = await session.execute(
        update(Registration)
        .where(
            Registration.event_id == event_id,
            Registration.person_id == person_id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.attended.is_not(True),
        )
        .values(attended=True)
        .returning(Registration.id)
    )
    return result.first() is not None


async def count_walk_in(session: AsyncSession, *, event_id: int, category: str) -> None:
    """One more walk-in of ``category``, in one statement: people scan the code at the
    door at the same moment, and two first ones must not both create the count."""
    insert = insert_for(session)
    stmt = insert(WalkIn).values(event_id=event_id, category=category, count=1)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[WalkIn.event_id, WalkIn.category],
            set_={"count": WalkIn.count + 1},
        )
    )


async def walked_in(session: AsyncSession, *, event_id: int, person_id: int) -> bool:
    stmt = select(DoorWalkIn.person_id).where(
        DoorWalkIn.event_id == event_id, DoorWalkIn.person_id == person_id
    )
    return (await session.execute(stmt)).first() is not None
