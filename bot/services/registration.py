"""Register, cancel, promote from the waiting list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import (
    ClosedReason,
    EventNotFoundError,
    NotRegisteredError,
    RegistrationClosedError,
)
from bot.domain.rules import closed_reason
from bot.domain.status import ACTIVE_REGISTRATION, EventStatus, RegistrationStatus
from bot.services import outbox
from storage import events, people, registrations
from storage.models import Event, Person, Registration


@dataclass(frozen=True)
class Outcome:
    """Where a registration attempt left the person."""

    event: Event
    person_id: int
    status: RegistrationStatus
    position: int | None  # in the waiting list
    already: bool = False


@dataclass(frozen=True)
class Promotion:
    """Someone who got a seat from the waiting list and must be told."""

    person: Person
    event: Event


@dataclass(frozen=True)
class Cancellation:
    event: Event
    was: RegistrationStatus
    promoted: Promotion | None


async def visible_event(session: AsyncSession, event_id: int, *, lock: bool = False) -> Event:
    """An event residents may see: drafts are not shown to them."""
    event = await events.get(session, event_id, lock=lock)
    if event is None or event.status == EventStatus.DRAFT:
        raise EventNotFoundError(event_id)
    return event


async def register(
    session: AsyncSession,
    *,
    event_id: int,
    person_id: int,
    default_reminders: Sequence[timedelta],
    now: datetime,
    event: Event | None = None,
) -> Outcome:
    """Give the person a seat, or a place in the waiting list when the event is full
    (``event``: the event as the caller read it in this transaction, locked)."""
    # Holding the event row serialises this with other registrations, cancellations and
    # promotions for the event: the registration read below is the latest, and a seat
    # freed a moment ago is seen by the conditional update.
    if event is None or event.id != event_id:
        event = await visible_event(session, event_id, lock=True)
    existing = await registrations.find(session, event_id=event_id, person_id=person_id)
    if existing is not None and existing.status in ACTIVE_REGISTRATION:
        status = RegistrationStatus(existing.status)
        position = None
        if status == RegistrationStatus.WAITING:
            position = await registrations.waiting_position(session, existing)
        return Outcome(event, person_id, status, position, already=True)
    if reason := closed_reason(event.status, event.starts_at, now):
        raise RegistrationClosedError(reason)
    took = await registrations.take_seat(session, event_id, now=now)
    status = RegistrationStatus.CONFIRMED if took else RegistrationStatus.WAITING
    registration = await registrations.put(
        session, existing=existing, event_id=event_id, person_id=person_id, status=status, now=now
    )
    position = None
    if status == RegistrationStatus.WAITING:
        position = await registrations.waiting_position(session, registration)
    elif await _reachable(session, person_id):
        await outbox.schedule_reminders(
            session, event=event, person_ids=[person_id], default=default_reminders, now=now
        )
    return Outcome(event, person_id, status, position)


async def cancel_for(
    session: AsyncSession,
    *,
    event_id: int,
    telegram_id: int,
    default_reminders: Sequence[timedelta],
    now: datetime,
) -> Cancellation:
    """Cancel the registration of whoever pressed the button (and only theirs)."""
    person = await people.by_telegram_id(session, telegram_id)
    if person is None:
        raise NotRegisteredError(event_id)
    return await cancel(
        session,
        event_id=event_id,
        person_id=person.id,
        default_reminders=default_reminders,
        now=now,
    )


async def cancel(
    session: AsyncSession,
    *,
    event_id: int,
    person_id: int,
    default_reminders: Sequence[timedelta],
    now: datetime,
) -> Cancellation:
    """Cancel the person's registration; a freed seat goes to the first in line."""
    event = await visible_event(session, event_id, lock=True)
    registration = await registrations.find(session, event_id=event_id, person_id=person_id)
    if registration is None or registration.status not in ACTIVE_REGISTRATION:
        raise NotRegisteredError(event_id)
    if event.starts_at <= now:
        raise RegistrationClosedError(ClosedReason.STARTED)
    was = RegistrationStatus(registration.status)
    registration.status = RegistrationStatus.CANCELLED
    registration.updated_at = now
    await session.flush()
    await outbox.registration_gone(session, event_id=event_id, person_id=person_id)
    promoted = None
    if was == RegistrationStatus.CONFIRMED:
        promoted = await _pass_seat_on(session, event, default_reminders=default_reminders, now=now)
    return Cancellation(event, was, promoted)


async def _pass_seat_on(
    session: AsyncSession, event: Event, *, default_reminders: Sequence[timedelta], now: datetime
) -> Promotion | None:
    """Give a freed seat to the first in line, or return it to the pool."""
    waiting = None
    if closed_reason(event.status, event.starts_at, now) is None:
        waiting = await registrations.first_waiting(session, event.id)
    if waiting is None:
        await registrations.free_seat(session, event.id)
        return None
    return await _promote(session, event, waiting, default_reminders=default_reminders, now=now)


async def fill_free_seats(
    session: AsyncSession, event: Event, *, default_reminders: Sequence[timedelta], now: datetime
) -> list[Promotion]:
    """After the capacity grew: promote the waiting list into the new seats, in order.

    The caller holds the event row locked.
    """
    promoted = []
    while closed_reason(event.status, event.starts_at, now) is None:
        waiting = await registrations.first_waiting(session, event.id)
        if waiting is None or not await registrations.take_seat(session, event.id, now=now):
            break
        promoted.append(
            await _promote(session, event, waiting, default_reminders=default_reminders, now=now)
        )
    return promoted


async def _promote(
    session: AsyncSession,
    event: Event,
    waiting: Registration,
    *,
    default_reminders: Sequence[timedelta],
    now: datetime,
) -> Promotion:
    """The seat is theirs: confirm, and queue the news and their reminders (someone
    without Telegram is phoned instead: they are on the event's call list, and the staff
    member who wrote them down is told to phone them)."""
    waiting.status = RegistrationStatus.CONFIRMED
    waiting.updated_at = now
    waiting.promoted_at = now
    waiting.told_at = None
    await session.flush()
    person = await registrations.person_of(session, waiting)
    if person.telegram_id is not None:
        await outbox.promoted(
            session,
            event=event,
            person_id=waiting.person_id,
            registration_updated_at=now,
            default=default_reminders,
            now=now,
        )
    elif person.added_by is not None and person.forgotten_at is None:
        staff = await people.ensure(session, person.added_by, now=now)
        await outbox.phone_promoted(session, event=event, staff_person_id=staff.id, now=now)
    return Promotion(person, event)


async def _reachable(session: AsyncSession, person_id: int) -> bool:
    """Whether the person has Telegram (someone who phoned gets no messages); no statement
    when the update has loaded the person already."""
    person = await people.get(session, person_id)
    return person is not None and person.telegram_id is not None


async def acknowledge(
    session: AsyncSession, *, event_id: int, telegram_id: int, now: datetime
) -> Event:
    """Note "I'll come", pressed on a reminder, on the person's confirmed registration."""
    event = await visible_event(session, event_id)
    person = await people.by_telegram_id(session, telegram_id)
    registration = None
    if person is not None:
        registration = await registrations.find(session, event_id=event_id, person_id=person.id)
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        raise NotRegisteredError(event_id)
    if event.starts_at <= now:
        raise RegistrationClosedError(ClosedReason.STARTED)
    registration.acknowledged_at = now
    return event
