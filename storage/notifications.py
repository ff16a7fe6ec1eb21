"""The outbox: enqueue idempotently, claim atomically, record the outcome."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.domain.status import NotificationKind, NotificationStatus
from storage.database import note_queued
from storage.models import Event, Notification, Person, Registration
from storage.upsert import built_once

PENDING = NotificationStatus.PENDING
SENDING = NotificationStatus.SENDING


async def enqueue(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Add notifications. One that exists already (same person, event, kind, variant) is
    kept as it is, unless it had been dropped: then it is wanted again (a registration
    cancelled and made again, an event moved back) and is re-armed."""
    if not rows:
        return
    # On the table, not through the ORM's bulk insert (no object is made or kept, and it
    # costs a registration about a millisecond less), in the update's transaction.
    connection = await session.connection()
    await connection.execute(
        _enqueue_statement(session), [{"status": PENDING, "payload": "{}", **row} for row in rows]
    )
    note_queued(session, min(row["due_at"] for row in rows))


def _enqueue_statement(session: AsyncSession) -> Any:
    return built_once(session, Notification, _build_enqueue)


def _build_enqueue(insert_into: Callable[[Any], Any]) -> Any:
    table = Notification.__table__
    insert = insert_into(table)
    return insert.on_conflict_do_update(
        index_elements=["person_id", "event_id", "kind", "variant"],
        set_={
            "status": PENDING,
            "due_at": insert.excluded.due_at,
            "expires_at": insert.excluded.expires_at,
            "payload": insert.excluded.payload,
            "attempts": 0,
            "claimed_by": None,
            "claimed_at": None,
        },
        where=table.c.status == NotificationStatus.DROPPED,
    )


async def recipients(session: AsyncSession, *, event_id: int, statuses: Sequence[str]) -> list[int]:
    """Ids of the event's registrants with these statuses who can be reached."""
    stmt = (
        select(Registration.person_id)
        .join(Person, Person.id == Registration.person_id)
        .where(
            Registration.event_id == event_id,
            Registration.status.in_(statuses),
            Person.telegram_id.is_not(None),
            Person.unreachable_at.is_(None),
        )
    )
    return list((await session.execute(stmt)).scalars())


def _claimable(now: datetime, lease: timedelta) -> Any:
    # A claim older than the lease belongs to a process that died while sending;
    # nothing is sent once its event has begun.
    return and_(
        or_(
            Notification.status == PENDING,
            and_(Notification.status == SENDING, Notification.claimed_at < now - lease),
        ),
        or_(Notification.expires_at.is_(None), Notification.expires_at > now),
    )


async def claim_next(
    session: AsyncSession,
    *,
    now: datetime,
    worker: str,
    lease: timedelta,
    event_id: int | None = None,
    kind: NotificationKind | None = None,
) -> Notification | None:
    """Take the earliest due notification for this worker, or None.

    One conditional UPDATE: on PostgreSQL the candidate row is locked with SKIP LOCKED,
    so concurrent workers take different rows; on SQLite writers are serialised. A person
    with a message in flight is passed over until it is sent, so that messages sent side
    by side never overtake each other in one chat (a process's lanes claim one after
    another, so each sees the others' claims; two processes claiming for one person in
    the same instant could still both send, in either order).
    """
    in_flight = aliased(Notification)
    # The few people with a message being sent, found through the status index once,
    # not looked up again for every candidate row.
    busy = select(in_flight.person_id).where(
        in_flight.status == SENDING, in_flight.claimed_at >= now - lease
    )
    candidate = (
        select(Notification.id)
        .join(Person, Person.id == Notification.person_id)
        .where(
            _claimable(now, lease),
            Notification.due_at <= now,
            Person.telegram_id.is_not(None),
            Person.unreachable_at.is_(None),
            Notification.person_id.not_in(busy),
        )
        .order_by(Notification.due_at, Notification.id)
        .limit(1)
    )
    if event_id is not None:
        candidate = candidate.where(Notification.event_id == event_id)
    if kind is not None:
        candidate = candidate.where(Notification.kind == kind)
    if session.get_bind().dialect.name == "postgresql":
        candidate = candidate.with_for_update(skip_locked=True, of=Notification)
    stmt = (
        update(Notification)
        .where(Notification.id == candidate.scalar_subquery(), _claimable(now, lease))
        .values(
            status=SENDING, claimed_by=worker, claimed_at=now, attempts=Notification.attempts + 1
        )
        .returning(Notification.id)
        .execution_options(synchronize_session=False)
    )
    claimed = (await session.execute(stmt)).scalar_one_or_none()
    if claimed is None:
        return None
    return await session.get(Notification, claimed, populate_existing=True)


async def finish(
    session: AsyncSession,
    notification_id: int,
    *,
    worker: str,
    status: NotificationStatus,
    now: datetime,
) -> None:
    """Record the outcome of a claim this worker still holds (not if it was dropped meanwhile)."""
    await session.execute(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.claimed_by == worker,
            Notification.status == SENDING,
        )
        .values(status=status, sent_at=now if status == NotificationStatus.SENT else None)
    )


async def release(
    session: AsyncSession,
    notification_id: int,
    *,
    worker: str,
    retry_at: datetime | None = None,
    tried: bool = True,
) -> None:
    """Give a claimed notification back: at its place in line, or later (``retry_at``).
    ``tried=False``: it was not sent at all (quiet hours), so the claim is no attempt."""
    values: dict[str, Any] = {"status": PENDING, "claimed_by": None, "claimed_at": None}
    if retry_at is not None:
        values["due_at"] = retry_at
    if not tried:
        values["attempts"] = Notification.attempts - 1
    await session.execute(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.claimed_by == worker,
            Notification.status == SENDING,
        )
        .values(**values)
    )


async def renew(session: AsyncSession, notification_id: int, *, worker: str, now: datetime) -> bool:
    """A live worker still sending a message extends its claim (False: no longer its own)."""
    result = await session.execute(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.claimed_by == worker,
            Notification.status == SENDING,
        )
        .values(claimed_at=now)
        .returning(Notification.id)
    )
    return result.first() is not None


async def claimants(session: AsyncSession, *, prefix: str) -> list[str]:
    """Who holds claims on messages being sent, of the workers whose names begin so."""
    stmt = (
        select(Notification.claimed_by)
        .where(
            Notification.status == SENDING,
            Notification.claimed_by.startswith(prefix, autoescape=True),
        )
        .distinct()
    )
    return [w for w in (await session.execute(stmt)).scalars() if w is not None]


async def release_claims_of(session: AsyncSession, workers: Sequence[str]) -> int:
    """Give back, at their place in line, the messages these (dead) workers were sending."""
    if not workers:
        return 0
    result = await session.execute(
        update(Notification)
        .where(Notification.status == SENDING, Notification.claimed_by.in_(workers))
        .values(status=PENDING, claimed_by=None, claimed_at=None)
        .returning(Notification.id)
    )
    return len(result.all())


async def drop(
    session: AsyncSession,
    *,
    event_id: int,
    person_id: int | None = None,
    kinds: Sequence[NotificationKind] | None = None,
) -> None:
    """Drop what has not been sent yet for an event (and person, and kinds), including a
    message being sent right now: if its send fails, it is not tried again."""
    conditions = [Notification.event_id == event_id, Notification.status.in_((PENDING, SENDING))]
    if person_id is not None:
        conditions.append(Notification.person_id == person_id)
    if kinds is not None:
        conditions.append(Notification.kind.in_(kinds))
    else:  # the staff's summary is only keyed to the day's first event: it is about the day
        conditions.append(Notification.kind != NotificationKind.SUMMARY)
    await session.execute(
        update(Notification).where(*conditions).values(status=NotificationStatus.DROPPED)
    )


async def move_expiry(session: AsyncSession, *, event_id: int, expires_at: datetime) -> None:
    """The event moved: what is still to be sent about it expires at its new start."""
    await session.execute(
        update(Notification)
        .where(
            Notification.event_id == event_id,
            Notification.status.in_((PENDING, SENDING)),
            Notification.expires_at.is_not(None),  # a cancellation notice never expires
            Notification.kind != NotificationKind.SUMMARY,  # it expires with its day
            # The question after an event expires days after its end, not at its start.
            Notification.kind != NotificationKind.FEEDBACK,
        )
        .values(expires_at=expires_at)
    )


async def drop_for_person(session: AsyncSession, person_id: int) -> None:
    """Nothing more is sent to someone who asked to be forgotten."""
    await session.execute(
        update(Notification)
        .where(Notification.person_id == person_id, Notification.status.in_((PENDING, SENDING)))
        .values(status=NotificationStatus.DROPPED)
    )


async def drop_expired(session: AsyncSession, *, now: datetime, lease: timedelta) -> int:
    """Drop notifications whose event has begun (also those a dead process had claimed)."""
    unsent = or_(
        Notification.status == PENDING,
        and_(Notification.status == SENDING, Notification.claimed_at < now - lease),
    )
    result = await session.execute(
        update(Notification)
        .where(unsent, Notification.expires_at <= now)
        .values(status=NotificationStatus.DROPPED)
        .returning(Notification.id)
    )
    return len(result.all())


async def drop_superseded_reminders(session: AsyncSession, *, now: datetime) -> int:
    """After downtime, of several overdue reminders for one registration send only the latest."""
    later = aliased(Notification)
    newer_due = (
        select(later.id)
        .where(
            later.person_id == Notification.person_id,
            later.event_id == Notification.event_id,
            later.kind == NotificationKind.REMINDER,
            later.status == PENDING,
            later.due_at > Notification.due_at,
            later.due_at <= now,
        )
        .exists()
    )
    result = await session.execute(
        update(Notification)
        .where(
            Notification.kind == NotificationKind.REMINDER,
            Notification.status == PENDING,
            Notification.due_at <= now,
            newer_due,
        )
        .values(status=NotificationStatus.DROPPED)
        .returning(Notification.id)
    )
    return len(result.all())


async def next_due(session: AsyncSession, *, now: datetime) -> datetime | None:
    """When the next notification that can be sent is due."""
    stmt = (
        select(func.min(Notification.due_at))
        .join(Person, Person.id == Notification.person_id)
        .where(
            Notification.status == PENDING,
            or_(Notification.expires_at.is_(None), Notification.expires_at > now),
            Person.telegram_id.is_not(None),
            Person.unreachable_at.is_(None),
        )
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def counts(session: AsyncSession, *, event_id: int, kind: NotificationKind) -> dict[str, int]:
    """How many of an event's notifications of one kind are in each state."""
    stmt = (
        select(Notification.status, func.count())
        .where(Notification.event_id == event_id, Notification.kind == kind)
        .group_by(Notification.status)
    )
    return {status: n for status, n in (await session.execute(stmt)).all()}


async def with_context(session: AsyncSession, notification: Notification) -> tuple[Event, Person]:
    event = await session.get(Event, notification.event_id, populate_existing=True)
    person = await session.get(Person, notification.person_id, populate_existing=True)
    assert event is not None and person is not None
    return event, person
