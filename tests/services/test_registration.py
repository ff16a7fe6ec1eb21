"""Registration, the waiting list and cancellation against a real database."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, inspect, select

from bot.domain.errors import (
    ClosedReason,
    EventNotFoundError,
    NotRegisteredError,
    RegistrationClosedError,
)
from bot.domain.status import RegistrationStatus
from bot.services import registration
from storage import registrations
from storage.database import Database
from storage.models import Event, Registration
from tests.conftest import REMINDERS
from tests.factories import make_event, make_person

CONFIRMED = RegistrationStatus.CONFIRMED
WAITING = RegistrationStatus.WAITING


async def register(
    db: Database, event_id: int, person_id: int, now: datetime
) -> registration.Outcome:
    async with db.transaction() as session:
        return await registration.register(
            session, event_id=event_id, person_id=person_id, now=now, default_reminders=REMINDERS
        )


async def cancel(
    db: Database, event_id: int, person_id: int, now: datetime
) -> registration.Cancellation:
    async with db.transaction() as session:
        return await registration.cancel(
            session, event_id=event_id, person_id=person_id, now=now, default_reminders=REMINDERS
        )


async def seats_taken(db: Database, event_id: int) -> int:
    async with db.session() as session:
        return (
            await session.execute(select(Event.seats_taken).where(Event.id == event_id))
        ).scalar_one()


async def test_first_seats_are_confirmed_then_the_waiting_list_is_numbered(
    db: Database, now: datetime
) -> None:
    event = await make_event(db, now=now, capacity=2)
    people = [await make_person(db, 100 + i, now=now) for i in range(4)]
    results = [await register(db, event.id, p.id, now) for p in people]
    assert [(r.status, r.position) for r in results] == [
        (CONFIRMED, None),
        (CONFIRMED, None),
        (WAITING, 1),
        (WAITING, 2),
    ]
    assert await seats_taken(db, event.id) == 2


async def test_a_new_registration_is_held_by_the_session_as_written(
    db: Database, now: datetime
) -> None:
    """The new row is written with one INSERT outside the ORM's flush, yet the session
    holds it as a flush would: found by its key without a statement, with every column
    loaded as written, and a change to it saved with the transaction."""
    event = await make_event(db, now=now)
    person = await make_person(db, 1, now=now)
    async with db.transaction() as session:
        added = await registrations.put(
            session,
            existing=None,
            event_id=event.id,
            person_id=person.id,
            status=CONFIRMED,
            now=now,
        )
        state = inspect(added)
        assert state.persistent and not state.expired_attributes
        assert await session.get(Registration, added.id) is added
        row = (
            await session.execute(select(Registration.__table__).where(Registration.id == added.id))
        ).one()
        assert (row.event_id, row.person_id, row.status) == (event.id, person.id, CONFIRMED)
        assert (added.queued_at, added.attended, added.told_at) == (now, None, None)
        added.attended = True
    async with db.session() as session:
        attended = await session.scalar(
            select(Registration.attended).where(Registration.id == added.id)
        )
    assert attended is True


async def test_registering_twice_changes_nothing(db: Database, now: datetime) -> None:
    event = await make_event(db, now=now, capacity=1)
    first, second = await make_person(db, 1, now=now), await make_person(db, 2, now=now)
    await register(db, event.id, first.id, now)
    await register(db, event.id, second.id, now)
    again = await register(db, event.id, first.id, now)
    waiting_again = await register(db, event.id, second.id, now)
    assert (again.status, again.already) == (CONFIRMED, True)
    assert (waiting_again.status, waiting_again.position, waiting_again.already) == (
        WAITING,
        1,
        True,
    )
    assert await seats_taken(db, event.id) == 1


async def test_cancelling_a_seat_promotes_the_first_in_line(db: Database, now: datetime) -> None:
    event = await make_event(db, now=now, capacity=1)
    a, b, c = [await make_person(db, i, now=now) for i in (1, 2, 3)]
    for p in (a, b, c):
        await register(db, event.id, p.id, now)
    result = await cancel(db, event.id, a.id, now)
    assert result.was == CONFIRMED
    assert result.promoted is not None and result.promoted.person.id == b.id
    # c moved up to number 1
    again = await register(db, event.id, c.id, now)
    assert (again.status, again.position) == (WAITING, 1)
    assert await seats_taken(db, event.id) == 1


async def test_leaving_the_waiting_list_promotes_nobody(db: Database, now: datetime) -> None:
    event = await make_event(db, now=now, capacity=1)
    a, b = await make_person(db, 1, now=now), await make_person(db, 2, now=now)
    await register(db, event.id, a.id, now)
    await register(db, event.id, b.id, now)
    result = await cancel(db, event.id, b.id, now)
    assert (result.was, result.promoted) == (WAITING, None)
    assert await seats_taken(db, event.id) == 1


async def test_a_cancelled_seat_with_nobody_waiting_returns_to_the_pool(
    db: Database, now: datetime
) -> None:
    event = await make_event(db, now=now, capacity=1)
    a, b = await make_person(db, 1, now=now), await make_person(db, 2, now=now)
    await register(db, event.id, a.id, now)
    await cancel(db, event.id, a.id, now)
    assert await seats_taken(db, event.id) == 0
    assert (await register(db, event.id, b.id, now)).status == CONFIRMED
    # and the first person can come back, reusing their row
    assert (await register(db, event.id, a.id, now)).status == WAITING


async def test_unlimited_events_never_fill(db: Database, now: datetime) -> None:
    event = await make_event(db, now=now, capacity=None)
    for i in range(30):
        person = await make_person(db, i, now=now)
        assert (await register(db, event.id, person.id, now)).status == CONFIRMED


@pytest.mark.parametrize(
    ("status", "starts_in", "error", "reason"),
    [
        ("published", timedelta(minutes=-1), RegistrationClosedError, ClosedReason.STARTED),
        ("published", timedelta(0), RegistrationClosedError, ClosedReason.STARTED),
        ("cancelled", timedelta(days=1), RegistrationClosedError, ClosedReason.CANCELLED),
        ("draft", timedelta(days=1), EventNotFoundError, None),
    ],
)
async def test_closed_events_cannot_be_joined(
    db: Database,
    now: datetime,
    status: str,
    starts_in: timedelta,
    error: type[Exception],
    reason: ClosedReason | None,
) -> None:
    event = await make_event(db, now=now, status=status, starts_in=starts_in)
    person = await make_person(db, 1, now=now)
    with pytest.raises(error) as info:
        await register(db, event.id, person.id, now)
    if reason is not None:
        assert isinstance(info.value, RegistrationClosedError) and info.value.reason == reason
    assert await seats_taken(db, event.id) == 0


async def test_missing_event_and_missing_registration_are_errors(
    db: Database, now: datetime
) -> None:
    event = await make_event(db, now=now)
    person = await make_person(db, 1, now=now)
    with pytest.raises(EventNotFoundError):
        await register(db, 999_999, person.id, now)
    with pytest.raises(NotRegisteredError):
        await cancel(db, event.id, person.id, now)


async def test_cannot_cancel_after_the_start(db: Database, now: datetime) -> None:
    event = await make_event(db, now=now, starts_in=timedelta(hours=1))
    person = await make_person(db, 1, now=now)
    await register(db, event.id, person.id, now)
    with pytest.raises(RegistrationClosedError):
        await cancel(db, event.id, person.id, now + timedelta(hours=2))


async def test_hundreds_of_simultaneous_taps_never_overbook(db: Database, now: datetime) -> None:
    """200 people tap «Sign up» for 25 seats at the same moment, each in its own transaction."""
    capacity, crowd = 25, 200
    event = await make_event(db, now=now, capacity=capacity)
    people = [await make_person(db, 1000 + i, now=now) for i in range(crowd)]
    results = await asyncio.gather(*(register(db, event.id, p.id, now) for p in people))
    statuses = [r.status for r in results]
    assert statuses.count(CONFIRMED) == capacity
    assert statuses.count(WAITING) == crowd - capacity
    assert await seats_taken(db, event.id) == capacity
    async with db.session() as session:
        confirmed = (
            await session.execute(
                select(func.count()).where(
                    Registration.event_id == event.id, Registration.status == CONFIRMED
                )
            )
        ).scalar_one()
    assert confirmed == capacity


async def test_simultaneous_cancellations_and_taps_keep_the_count_exact(
    db: Database, now: datetime
) -> None:
    """Cancellations racing new registrations: every freed seat goes to exactly one person."""
    capacity = 10
    event = await make_event(db, now=now, capacity=capacity)
    holders = [await make_person(db, 2000 + i, now=now) for i in range(capacity)]
    for p in holders:
        await register(db, event.id, p.id, now)
    newcomers = [await make_person(db, 3000 + i, now=now) for i in range(40)]
    await asyncio.gather(
        *(cancel(db, event.id, p.id, now) for p in holders[:5]),
        *(register(db, event.id, p.id, now) for p in newcomers),
    )
    async with db.session() as session:
        rows = (
            await session.execute(
                select(Registration.status, func.count())
                .where(Registration.event_id == event.id)
                .group_by(Registration.status)
            )
        ).all()
    counts = dict(rows)
    assert counts[CONFIRMED] == capacity
    assert counts[WAITING] == 35
    assert await seats_taken(db, event.id) == capacity


async def test_a_person_who_cancelled_and_taps_twice_at_once_gets_one_seat(
    db: Database, now: datetime
) -> None:
    event = await make_event(db, now=now, capacity=3)
    person = await make_person(db, 1, now=now)
    await register(db, event.id, person.id, now)
    await cancel(db, event.id, person.id, now)
    results = await asyncio.gather(*(register(db, event.id, person.id, now) for _ in range(4)))
    assert sorted(r.already for r in results) == [False, True, True, True]
    assert {r.status for r in results} == {CONFIRMED}
    assert await seats_taken(db, event.id) == 1


async def test_a_newcomer_double_tapping_gets_one_registration(db: Database, now: datetime) -> None:
    event = await make_event(db, now=now, capacity=1)
    person = await make_person(db, 1, now=now)
    results = await asyncio.gather(*(register(db, event.id, person.id, now) for _ in range(5)))
    assert [r.already for r in results].count(False) == 1
    assert await seats_taken(db, event.id) == 1


async def test_failed_statements_do_not_carry_personal_data(db: Database, now: datetime) -> None:
    """SQLAlchemy puts bound parameters into error texts, which end up in logs."""
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from storage.models import Person

    await make_person(db, 77, now=now)
    with pytest.raises(IntegrityError) as info:
        async with db.transaction() as session:
            await session.execute(
                insert(Person).values(
                    telegram_id=77, full_name="Таємне Ім'я", phone="+380991112233", created_at=now
                )
            )
    assert "Таємне" not in str(info.value) and "380991112233" not in str(info.value)
