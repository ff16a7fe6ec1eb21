"""Two bot processes on one PostgreSQL: what changes a person's things takes their row
first (storage.people.get), so /forget and the other use cases take turns, never waiting
for each other for ever and never leaving a registration on a row /forget emptied."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.domain.signup import Step
from bot.domain.status import NotificationStatus, RegistrationStatus
from bot.outbox import dispatcher
from bot.services import people, series, signup, visitors
from bot.services.registration import Outcome
from storage import notifications
from storage import people as people_storage
from storage.database import Database
from storage.models import Event, Notification, Person, Registration
from tests.conftest import REMINDERS
from tests.factories import make_event, make_person


@pytest.fixture(autouse=True)
def _postgres_only(db: Database) -> None:
    if db.is_sqlite:
        pytest.skip("SQLite writers hold the database lock: these interleavings cannot happen")


def forget_meanwhile(
    db: Database, now: datetime, started: list[asyncio.Task[None]]
) -> Callable[[Callable[..., Awaitable[Any]]], Callable[..., Awaitable[Any]]]:
    """Wraps a function so that, the first time it has run, /forget starts in "the other
    process" and is given time to go on, unless it has to wait."""

    async def forget() -> None:
        async with db.transaction() as session:
            await people.forget(session, 77, now=now, default_reminders=REMINDERS)

    def wrap(real: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def then_forget(*args: Any, **kwargs: Any) -> Any:
            result = await real(*args, **kwargs)
            if not started:
                started.append(asyncio.create_task(forget()))
                await asyncio.sleep(0.3)
            return result

        return then_forget

    return wrap


async def registrations_and_seats(db: Database) -> tuple[list[str], int]:
    """The statuses of every registration, and the seats the event counts taken."""
    async with db.session() as session:
        statuses = (await session.execute(select(Registration.status))).scalars().all()
        return list(statuses), (await session.execute(select(Event.seats_taken))).scalar_one()


async def tap(
    db: Database,
    event_id: int,
    now: datetime,
    *,
    use_case: Callable[..., Awaitable[Any]] = signup.tap,
    between: Callable[[], Awaitable[None]] | None = None,
) -> object:
    """A returning resident's «Sign up» as the bot runs it: the look-up (``between`` then
    runs), then the use case in the same unit."""
    unit = db.unit()
    try:
        visitor = await unit.read(visitors.identify, 77)
        if between is not None:
            await between()
        result, _card = await unit.write(
            use_case,
            telegram_id=77,
            person_id=visitor.person_id,
            event_id=event_id,
            default_reminders=REMINDERS,
            now=now,
            in_dialog=visitor.in_dialog,
        )
    finally:
        await unit.close()
    return result


async def test_a_tap_after_a_forget_registers_no_emptied_row(db: Database, now: datetime) -> None:
    """The tap's look-up loaded a returning resident's row (with consent) when /forget
    committed: the tap must not register the row /forget emptied; they are a newcomer
    now, asked for their name."""
    event = await make_event(db, now=now)
    await make_person(db, 77, now=now)

    async def forget() -> None:
        async with db.transaction() as session:
            await people.forget(session, 77, now=now, default_reminders=REMINDERS)

    result = await tap(db, event.id, now, between=forget)
    assert isinstance(result, signup.Ask) and result.step == Step.NAME
    assert await registrations_and_seats(db) == ([], 0)


async def test_a_forget_during_a_tap_waits_for_it_and_cancels_it(
    db: Database, now: datetime
) -> None:
    """The other order: the tap holds the person's row when /forget comes; /forget waits
    for the registration, then cancels it and frees the seat."""
    event = await make_event(db, now=now)
    await make_person(db, 77, now=now)
    forgetting: list[asyncio.Task[None]] = []
    result = await tap(
        db, event.id, now, use_case=forget_meanwhile(db, now, forgetting)(signup.tap)
    )
    await asyncio.gather(*forgetting)
    assert isinstance(result, Outcome)
    assert await registrations_and_seats(db) == ([RegistrationStatus.CANCELLED], 0)


async def test_sign_up_for_all_and_a_forget_take_turns(
    db: Database, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """«Sign up for all» read the person when /forget came: /forget waits for it, then
    cancels what it registered."""
    event = await make_event(db, now=now)
    async with db.transaction() as session:
        await session.execute(update(Event).values(series_id=event.id))
    await make_person(db, 77, now=now)
    forgetting: list[asyncio.Task[None]] = []
    wrap = forget_meanwhile(db, now, forgetting)
    monkeypatch.setattr(people_storage, "by_telegram_id", wrap(people_storage.by_telegram_id))
    unit = db.unit()
    try:
        await unit.read(visitors.identify, 77)
        await unit.write(
            series.register_all,
            event_id=event.id,
            telegram_id=77,
            default_reminders=REMINDERS,
            now=now,
        )
    finally:
        await unit.close()
    await asyncio.gather(*forgetting)
    assert await registrations_and_seats(db) == ([RegistrationStatus.CANCELLED], 0)


async def test_the_outbox_finding_someone_blocked_and_their_forget_take_turns(
    db: Database, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The outbox records a send to someone who has just blocked the bot while they
    /forget: neither waits for the other for ever (PostgreSQL would end one with
    "deadlock detected", and /forget would fail)."""
    event = await make_event(db, now=now)
    person = await make_person(db, 77, now=now)
    async with db.transaction() as session:
        await signup.begin(
            session,
            telegram_id=77,
            event_id=event.id,
            now=now,
            default_reminders=REMINDERS,
            person_id=person.id,
        )
    async with db.transaction() as session:
        notification_id = (await session.execute(select(Notification.id))).scalars().first()
        assert notification_id is not None  # a reminder
        await session.execute(
            update(Notification)
            .where(Notification.id == notification_id)
            .values(status=NotificationStatus.SENDING, claimed_by="lane")
        )
    forgetting: list[asyncio.Task[None]] = []
    wrap = forget_meanwhile(db, now, forgetting)
    # After whichever of its two statements comes first, /forget comes.
    monkeypatch.setattr(notifications, "finish", wrap(notifications.finish))
    monkeypatch.setattr(people_storage, "mark_unreachable", wrap(people_storage.mark_unreachable))
    async with db.transaction() as session:
        await dispatcher.record(
            session,
            notification_id,
            person_id=person.id,
            worker="lane",
            status=NotificationStatus.BLOCKED,
            retry_at=None,
            now=now,
        )
    await asyncio.gather(*forgetting)
    async with db.session() as session:
        left = (await session.execute(select(Person.telegram_id, Person.full_name))).all()
    assert left == [(None, None)]
