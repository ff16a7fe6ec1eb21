"""Checking in at the door on a real database (issue 12): people scanning at the same
moment are each counted, and what someone's walk-in records is deleted with their data."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from bot.services import door, people, registration
from bot.services.door import CheckedIn
from storage.database import Database
from storage.models import DoorWalkIn, Registration, WalkIn
from tests.conftest import NOW, REMINDERS
from tests.factories import make_event, make_person

CATEGORIES = ("library_users", "pensioners")


async def _scan(db: Database, token: str, telegram_id: int, category: str) -> object:
    async with db.transaction() as session:
        return await door.check_in(
            session,
            token=token,
            telegram_id=telegram_id,
            categories=CATEGORIES,
            now=NOW,
            category=category,
        )


async def test_forty_walk_ins_scanning_at_once_are_forty(db: Database) -> None:
    event = await make_event(
        db, now=NOW - timedelta(hours=1), starts_in=timedelta(hours=1, minutes=10)
    )
    async with db.transaction() as session:
        token = (await door.door_code(session, event_id=event.id, now=NOW)).token
    results = await asyncio.gather(
        *(_scan(db, token, 5000 + i, CATEGORIES[i % 2]) for i in range(40)),
        *(_scan(db, token, 5000 + i, CATEGORIES[i % 2]) for i in range(10)),  # twice
    )
    assert all(isinstance(r, CheckedIn) for r in results)
    async with db.session() as session:
        counts = dict((await session.execute(select(WalkIn.category, WalkIn.count))).all())
    assert counts == {"library_users": 20, "pensioners": 20}


async def test_forgetting_someone_deletes_which_events_they_walked_in_to(db: Database) -> None:
    event = await make_event(
        db, now=NOW - timedelta(hours=1), starts_in=timedelta(hours=1, minutes=10)
    )
    async with db.transaction() as session:
        token = (await door.door_code(session, event_id=event.id, now=NOW)).token
    await _scan(db, token, 6001, "pensioners")
    async with db.transaction() as session:
        await people.forget(session, 6001, default_reminders=REMINDERS, now=NOW)
    async with db.session() as session:
        left = (await session.execute(select(func.count()).select_from(DoorWalkIn))).scalar()
        counts = dict((await session.execute(select(WalkIn.category, WalkIn.count))).all())
    assert left == 0
    assert counts == {"pensioners": 1}  # the figure stays


async def test_two_staff_asking_for_a_new_events_code_at_once_get_the_same_one(
    db: Database,
) -> None:
    """Two librarians (or two processes) open the door code of an event that has none yet:
    both get it, and it is one code, not an error for the second."""
    event = await make_event(db, now=NOW - timedelta(hours=1), starts_in=timedelta(days=1))

    async def ask() -> str:
        async with db.transaction() as session:
            return (await door.door_code(session, event_id=event.id, now=NOW)).token

    tokens = await asyncio.gather(*(ask() for _ in range(8)))
    assert len(set(tokens)) == 1
    async with db.session() as session:
        assert (await door.door_code(session, event_id=event.id, now=NOW)).token == tokens[0]


async def test_someone_counted_from_the_waiting_list_is_not_counted_again_with_a_seat(
    db: Database,
) -> None:
    event = await make_event(
        db, now=NOW - timedelta(hours=1), starts_in=timedelta(hours=1, minutes=10), capacity=1
    )
    async with db.transaction() as session:
        token = (await door.door_code(session, event_id=event.id, now=NOW)).token
    seated = await make_person(db, 7001, now=NOW)
    waiting = await make_person(db, 7002, now=NOW)
    for person in (seated, waiting):
        async with db.transaction() as session:
            await registration.register(
                session,
                event_id=event.id,
                person_id=person.id,
                default_reminders=REMINDERS,
                now=NOW,
            )
    first = await _scan(db, token, 7002, "pensioners")  # on the waiting list: a walk-in
    assert isinstance(first, CheckedIn) and not first.registered and not first.already
    async with db.transaction() as session:  # the seat holder cancels: 7002 gets the seat
        await registration.cancel(
            session, event_id=event.id, person_id=seated.id, default_reminders=REMINDERS, now=NOW
        )
    again = await _scan(db, token, 7002, "pensioners")
    assert isinstance(again, CheckedIn) and again.already
    async with db.session() as session:
        counts = dict((await session.execute(select(WalkIn.category, WalkIn.count))).all())
        marks = (
            await session.execute(
                select(Registration.attended).where(Registration.person_id == waiting.id)
            )
        ).scalar_one()
    assert counts == {"pensioners": 1} and marks is not True  # counted once
