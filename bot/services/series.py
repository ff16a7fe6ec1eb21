"""A weekly series for residents: «Sign up for all» the occurrences still ahead."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import DomainError, EventNotFoundError, RegistrationClosedError
from bot.domain.status import RegistrationStatus
from bot.services.registration import register, visible_event
from storage import events, people
from storage.models import Event, Person


class NoProfileError(DomainError):
    """«Sign up for all» before the person's first sign-up (name, category, consent)."""


class SeriesResult(StrEnum):
    """What «Sign up for all» did at one occurrence."""

    CONFIRMED = "confirmed"
    WAITING = "waiting"
    ALREADY = "already"  # a seat or a place in line held before
    CLOSED = "closed"  # started or cancelled meanwhile


@dataclass(frozen=True)
class SeriesOutcome:
    event: Event
    result: SeriesResult
    position: int | None = None  # in the waiting list


def has_profile(person: Person | None) -> bool:
    """Whether one tap registers the person (the sign-up's questions are answered)."""
    return (
        person is not None
        and person.consent_at is not None
        and bool(person.full_name)
        and bool(person.category)
    )


async def open_count(
    session: AsyncSession, event: Event, *, person_id: int | None, now: datetime
) -> int:
    """How many occurrences, from ``event`` on, «Sign up for all» would register the person
    (None: someone without a profile) for; 0 when there is no further one."""
    if event.series_id is None:
        return 0
    ahead = await events.series_ahead(session, event, now=now, person_id=person_id)
    return len(ahead) if any(e.id != event.id for e in ahead) else 0


async def register_all(
    session: AsyncSession,
    *,
    event_id: int,
    telegram_id: int,
    default_reminders: Sequence[timedelta],
    now: datetime,
) -> list[SeriesOutcome]:
    """Register the person for every occurrence of the event's series from it on, each as
    a tap on its card would: a seat, or a place in its waiting list when it is full.

    Raises EventNotFoundError for an event that is not part of a series residents see,
    and NoProfileError for someone who has not signed up once (see signup.begin)."""
    # The person held first, then the events (see storage.people.get): a /forget in
    # another process goes before or after, not between.
    person = await people.by_telegram_id(session, telegram_id, lock=True)
    event = await series_event(session, event_id)
    if person is None or not has_profile(person):
        raise NoProfileError(event_id)
    return await register_person(
        session, event, person_id=person.id, default_reminders=default_reminders, now=now
    )


async def series_event(session: AsyncSession, event_id: int) -> Event:
    """An event residents see that belongs to a series; raises EventNotFoundError."""
    event = await visible_event(session, event_id)
    if event.series_id is None:
        raise EventNotFoundError(event_id)
    return event


async def register_person(
    session: AsyncSession,
    event: Event,
    *,
    person_id: int,
    default_reminders: Sequence[timedelta],
    now: datetime,
) -> list[SeriesOutcome]:
    """:func:`register_all` for a person with a profile."""
    ahead = await events.series_ahead(session, event, now=now)
    outcomes = []
    if not ahead or ahead[0].id != event.id:  # the card shown has started or closed
        outcomes.append(SeriesOutcome(event, SeriesResult.CLOSED))
    # Soonest first: every registration locks its event, always in the same order.
    for occurrence in ahead:
        try:
            done = await register(
                session,
                event_id=occurrence.id,
                person_id=person_id,
                default_reminders=default_reminders,
                now=now,
            )
        except (RegistrationClosedError, EventNotFoundError):
            outcomes.append(SeriesOutcome(occurrence, SeriesResult.CLOSED))
            continue
        if done.already:
            result = SeriesResult.ALREADY
        elif done.status == RegistrationStatus.CONFIRMED:
            result = SeriesResult.CONFIRMED
        else:
            result = SeriesResult.WAITING
        outcomes.append(SeriesOutcome(done.event, result, done.position))
    return outcomes
