"""Checking in at the door: a registered resident who scans the event's door QR code is
marked as came; someone without a seat is counted once among the walk-ins of their
category (asked for, when their profile has none). Staff make and replace the code."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.door import Door, door, window
from bot.domain.errors import (
    ClosedReason,
    DomainError,
    EventNotFoundError,
    RegistrationClosedError,
)
from bot.domain.status import EventStatus, RegistrationStatus
from bot.services.event_admin import EventCancelledError
from storage import door as doors
from storage import events, people
from storage.models import Event


class DoorCodeInvalidError(DomainError):
    """A code no event has (replaced by staff, mistyped, made up). A cancelled event's
    code raises RegistrationClosedError (CANCELLED) instead, which says so."""


@dataclass(frozen=True)
class DoorCode:
    event: Event
    token: str
    opens: datetime
    closes: datetime


@dataclass(frozen=True)
class CheckedIn:
    """Marked as came (``registered``) or counted as a walk-in; ``already`` when an
    earlier scan had done it."""

    event: Event
    registered: bool
    already: bool


@dataclass(frozen=True)
class AskCategory:
    """Not registered and no category on their profile: which group they belong to."""

    event: Event
    token: str


@dataclass(frozen=True)
class DoorNotOpen:
    """Too early (``opens`` is when it will count) or the event is over."""

    event: Event
    door: Door
    opens: datetime


async def door_code(
    session: AsyncSession, *, event_id: int, replace: bool = False, now: datetime
) -> DoorCode:
    """The event's door code, made on first use; ``replace`` makes a new one, after
    which the old printouts check nobody in."""
    event = await events.get(session, event_id)
    if event is None:
        raise EventNotFoundError(event_id)
    if event.status == EventStatus.CANCELLED:
        raise EventCancelledError(event_id)
    if event.status == EventStatus.DRAFT:  # nobody can come to it yet
        raise RegistrationClosedError(ClosedReason.NOT_PUBLISHED)
    token = await doors.code(session, event_id)
    if token is None or replace:
        token = await doors.set_code(
            session, event_id, secrets.token_urlsafe(12), now=now, replace=replace
        )
    opens, closes = window(event.starts_at, event.ends_at)
    return DoorCode(event, token, opens, closes)


async def check_in(
    session: AsyncSession,
    *,
    token: str,
    telegram_id: int,
    categories: Collection[str],
    now: datetime,
    category: str | None = None,
) -> CheckedIn | AskCategory | DoorNotOpen:
    """What scanning the door code does (``category``: the answer to :class:`AskCategory`)."""
    event = await doors.event_by_code(session, token)
    if event is not None and event.status == EventStatus.CANCELLED:
        raise RegistrationClosedError(ClosedReason.CANCELLED)  # "this event has been cancelled"
    if event is None or event.status != EventStatus.PUBLISHED:
        raise DoorCodeInvalidError(token)
    state = door(event.starts_at, event.ends_at, now)
    if state != Door.OPEN:
        return DoorNotOpen(event, state, window(event.starts_at, event.ends_at)[0])
    person = await people.ensure(session, telegram_id, now=now)
    if await doors.walked_in(session, event_id=event.id, person_id=person.id):
        # Counted at an earlier scan (from the waiting list, say): a seat got since does
        # not make them count twice.
        return CheckedIn(event, registered=False, already=True)
    status = await doors.registration_status(session, event_id=event.id, person_id=person.id)
    if status == RegistrationStatus.CONFIRMED:
        marked = await doors.mark_came(session, event_id=event.id, person_id=person.id)
        return CheckedIn(event, registered=True, already=not marked)
    group = category if category in categories else person.category
    if group not in categories:
        return AskCategory(event, token)
    assert group is not None
    if person.category is None:
        # Kept on their profile, as a sign-up keeps it: the next door or sign-up does not
        # ask again (declining a sign-up's consent empties it, and /forget leaves it
        # without a name, as the report's counts need).
        person.category = group
    if not await doors.add_walk_in(session, event_id=event.id, person_id=person.id, now=now):
        return CheckedIn(event, registered=False, already=True)
    await doors.count_walk_in(session, event_id=event.id, category=group)
    return CheckedIn(event, registered=False, already=False)
