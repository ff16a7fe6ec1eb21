"""What residents browse: the list of upcoming events and an event's card."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import ClosedReason
from bot.domain.geo import distance_km
from bot.domain.rules import closed_reason, seats_left
from bot.domain.status import ACTIVE_REGISTRATION, RegistrationStatus
from bot.services import series
from bot.services.registration import Outcome, visible_event
from storage import events, registrations
from storage.models import Event

PAGE_SIZE = 6
NEAREST_LIMIT = 8  # events in «Near me»: one screen of big buttons


@dataclass(frozen=True)
class Page:
    events: Sequence[Event]
    page: int
    pages: int
    branch: str | None = None  # the list narrowed to a branch's events (and the library's)


@dataclass(frozen=True)
class Nearby:
    """Upcoming events nearest first, with their distance in km; ``others``: upcoming
    events whose place has no known coordinates (or beyond the list's length)."""

    events: Sequence[tuple[Event, float]]
    others: int


@dataclass(frozen=True)
class EventView:
    """An event as one resident sees it."""

    event: Event
    seats_left: int | None
    waiting: int  # counted only where the card shows it: no seat left, still open
    closed: ClosedReason | None
    my_status: RegistrationStatus | None
    my_position: int | None
    # How many occurrences of its weekly series, from this one on, «Sign up for all»
    # would register the person for; 0: no such button.
    series_open: int = 0


@dataclass(frozen=True)
class MyRegistration:
    event: Event
    status: RegistrationStatus
    position: int | None


async def upcoming_page(
    session: AsyncSession, *, page: int, now: datetime, branch: str | None = None
) -> Page:
    """One page of upcoming events; a page past the end shows the last one. ``branch``:
    only that branch's events and those of no branch."""
    total = await events.count_upcoming(session, now=now, branch=branch)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    rows = await events.upcoming(
        session, now=now, offset=page * PAGE_SIZE, limit=PAGE_SIZE, branch=branch
    )
    return Page(rows, page, pages, branch)


async def nearest(
    session: AsyncSession,
    *,
    latitude: float,
    longitude: float,
    places: Mapping[str, tuple[float, float]],
    now: datetime,
    limit: int = NEAREST_LIMIT,
) -> Nearby:
    """Upcoming events at the ``places`` (key -> latitude, longitude) nearest first, the
    sooner first at the same distance. The location is only used here: nothing stores it."""
    found = [
        (event, distance_km(latitude, longitude, *places[event.place_key]))
        for event in await events.upcoming_at_places(session, now=now, place_keys=list(places))
        if event.place_key is not None
    ]
    found.sort(key=lambda pair: (round(pair[1], 3), pair[0].starts_at, pair[0].id))
    total = await events.count_upcoming(session, now=now)
    shown = found[:limit]
    return Nearby(shown, total - len(shown))


async def event_view(
    session: AsyncSession, *, event_id: int, person_id: int | None, now: datetime
) -> EventView:
    """The event as this person sees it (``person_id`` None: someone without a profile)."""
    event = await visible_event(session, event_id)
    my_status = None
    my_position = None
    if person_id is not None:
        reg = await registrations.find(session, event_id=event_id, person_id=person_id)
        if reg is not None and reg.status in ACTIVE_REGISTRATION:
            my_status = RegistrationStatus(reg.status)
            if my_status == RegistrationStatus.WAITING:
                my_position = await registrations.waiting_position(session, reg)
    left = seats_left(event.capacity, event.seats_taken)
    closed = closed_reason(event.status, event.starts_at, now)
    return EventView(
        event=event,
        seats_left=left,
        waiting=await _waiting_shown(session, event.id, left, closed),
        closed=closed,
        my_status=my_status,
        my_position=my_position,
        series_open=await series.open_count(session, event, person_id=person_id, now=now),
    )


async def _waiting_shown(
    session: AsyncSession, event_id: int, left: int | None, closed: ClosedReason | None
) -> int:
    """The waiting list's length where the card shows it (no seat left, still open); 0
    elsewhere, without counting."""
    return await events.waiting_count(session, event_id) if left == 0 and not closed else 0


async def view_after(session: AsyncSession, outcome: Outcome, *, now: datetime) -> EventView:
    """The event as the person sees it right after :func:`registration.register`, in its
    transaction: the event, their status and place in line are the outcome's (its event
    was read locked, and its seats are counted as the registration left them). The
    waiting list is counted only when the card shows it, with no seat left; 0 otherwise."""
    event = outcome.event
    left = seats_left(event.capacity, event.seats_taken)
    closed = closed_reason(event.status, event.starts_at, now)
    return EventView(
        event=event,
        seats_left=left,
        waiting=await _waiting_shown(session, event.id, left, closed),
        closed=closed,
        my_status=outcome.status,
        my_position=outcome.position,
        series_open=await series.open_count(session, event, person_id=outcome.person_id, now=now),
    )


async def my_upcoming(
    session: AsyncSession, *, person_id: int | None, now: datetime
) -> list[MyRegistration]:
    if person_id is None:
        return []
    result = []
    for reg, event in await registrations.upcoming_for_person(session, person_id, now=now):
        status = RegistrationStatus(reg.status)
        position = None
        if status == RegistrationStatus.WAITING:
            position = await registrations.waiting_position(session, reg)
        result.append(MyRegistration(event, status, position))
    return result
