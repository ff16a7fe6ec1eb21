"""Who wants news of new events, and telling them."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import RegistrationClosedError
from bot.domain.rules import closed_reason
from bot.domain.status import ACTIVE_REGISTRATION, NotificationKind
from bot.services import outbox
from bot.services.registration import visible_event
from storage import notifications, people
from storage.models import Person, Registration, Subscription


def _kinds(row: Subscription | None) -> frozenset[str] | None:
    if row is None:
        return None
    return frozenset(k for k in row.kinds.split(",") if k)


async def subscription(session: AsyncSession, telegram_id: int) -> frozenset[str] | None:
    """None: not subscribed; empty: every kind; otherwise the chosen kinds."""
    person = await people.by_telegram_id(session, telegram_id)
    if person is None:
        return None
    return _kinds(await session.get(Subscription, person.id))


async def choose(
    session: AsyncSession,
    telegram_id: int,
    choice: str,
    *,
    known_kinds: Collection[str],
    now: datetime,
) -> frozenset[str] | None:
    """``"*"`` subscribes to every kind; a kind key toggles that kind (from "every kind" it
    narrows to that one; toggling the last one off unsubscribes). Returns the new state."""
    if choice != "*" and choice not in known_kinds:
        raise ValueError(choice)
    person = await people.ensure(session, telegram_id, now=now)
    row = await session.get(Subscription, person.id)
    current = _kinds(row) or frozenset()
    if choice == "*":
        chosen: frozenset[str] = frozenset()
    else:
        chosen = current ^ {choice}
        if not chosen:
            await session.execute(delete(Subscription).where(Subscription.person_id == person.id))
            return None
    if row is None:
        row = Subscription(person_id=person.id, created_at=now)
        session.add(row)
    row.kinds = ",".join(sorted(chosen))
    await session.flush()
    return chosen


async def unsubscribe(session: AsyncSession, telegram_id: int) -> None:
    person = await people.by_telegram_id(session, telegram_id)
    if person is not None:
        await session.execute(delete(Subscription).where(Subscription.person_id == person.id))


async def announce(session: AsyncSession, *, event_id: int, now: datetime) -> int:
    """Queue the event's card for every subscriber who wants its kind; returns the total.

    Running it again queues nobody twice, so an interrupted announcement is resumed.
    """
    event = await visible_event(session, event_id)
    if reason := closed_reason(event.status, event.starts_at, now):
        raise RegistrationClosedError(reason)
    registered = (
        select(Registration.id)
        .where(
            Registration.event_id == event.id,
            Registration.person_id == Subscription.person_id,
            Registration.status.in_(ACTIVE_REGISTRATION),
        )
        .exists()
    )
    stmt = (
        select(Subscription.person_id, Subscription.kinds)
        .join(Person, Person.id == Subscription.person_id)
        .where(Person.telegram_id.is_not(None), Person.unreachable_at.is_(None), ~registered)
    )
    wanted = [
        pid
        for pid, kinds in (await session.execute(stmt)).all()
        if not kinds or event.kind in kinds.split(",")
    ]
    await outbox.announce(session, event=event, person_ids=wanted, now=now)
    counts = await notifications.counts(
        session, event_id=event.id, kind=NotificationKind.ANNOUNCEMENT
    )
    return sum(counts.values())
