"""Changing and cancelling events; the people concerned are told through the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import reminders
from bot.domain.errors import DomainError, EventNotFoundError, InvalidInputError
from bot.domain.status import EventStatus
from bot.services import outbox
from bot.services.registration import Promotion, fill_free_seats, visible_event
from storage import events
from storage.models import Event


@dataclass(frozen=True)
class Changes:
    """Fields to change; None leaves a field as it is."""

    title: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str | None = None
    capacity: int | None = None
    reminders: str | None = None  # "18h,1h"; "" for none; "default" for the library's


@dataclass(frozen=True)
class Updated:
    event: Event
    notified: int
    promoted: list[Promotion]


class EventCancelledError(DomainError):
    """A cancelled event cannot be changed."""


async def update_event(
    session: AsyncSession,
    event_id: int,
    changes: Changes,
    *,
    default_reminders: Sequence[timedelta],
    now: datetime,
) -> Updated:
    """Apply the changes; registrants hear of a new time or place, reminders move with it."""
    event = await visible_event(session, event_id, lock=True)
    if event.status == EventStatus.CANCELLED:
        raise EventCancelledError(event_id)
    old: dict[str, str] = {}
    if changes.starts_at is not None and changes.starts_at != event.starts_at:
        old["starts_at"] = event.starts_at.isoformat()
        event.starts_at = changes.starts_at
    if changes.place is not None and changes.place != event.place:
        old["place"] = event.place
        event.place = changes.place
    if changes.title is not None:
        event.title = changes.title
    if changes.ends_at is not None:
        event.ends_at = changes.ends_at
    if event.ends_at is not None and event.ends_at <= event.starts_at:
        raise InvalidInputError("ends_before_start")
    reminders_changed = False
    if changes.reminders is not None:
        new = (
            None
            if changes.reminders == "default"
            else reminders.format_offsets(reminders.parse_offsets(changes.reminders))
        )
        reminders_changed = new != event.reminder_offsets
        event.reminder_offsets = new
    promoted: list[Promotion] = []
    if changes.capacity is not None and changes.capacity != event.capacity:
        if changes.capacity < event.seats_taken:
            raise InvalidInputError("capacity_below_taken")
        event.capacity = changes.capacity
        await session.flush()
        promoted = await fill_free_seats(
            session, event, default_reminders=default_reminders, now=now
        )
    await session.flush()
    notified = 0
    if old:
        notified = await outbox.event_changed(
            session, event=event, old=old, default=default_reminders, now=now
        )
    elif reminders_changed:
        await outbox.reschedule(session, event=event, default=default_reminders, now=now)
    return Updated(event, notified, promoted)


async def cancel_event(session: AsyncSession, event_id: int, *, now: datetime) -> int:
    """Cancel the event and queue a notice for everyone registered; returns how many."""
    event = await visible_event(session, event_id, lock=True)
    if event.status == EventStatus.CANCELLED:
        raise EventCancelledError(event_id)
    event.status = EventStatus.CANCELLED
    await session.flush()
    return await outbox.event_cancelled(session, event=event, now=now)


class EventInPastError(DomainError):
    """An event that has begun cannot be published."""


async def publish_event(session: AsyncSession, event_id: int, *, now: datetime) -> bool:
    """Show a draft to residents; False when it was published already (pressed twice)."""
    event = await events.get(session, event_id, lock=True)
    if event is None:
        raise EventNotFoundError(event_id)
    if event.status == EventStatus.CANCELLED:
        raise EventCancelledError(event_id)
    if event.status == EventStatus.PUBLISHED:
        return False
    if event.starts_at <= now:
        raise EventInPastError(event_id)
    event.status = EventStatus.PUBLISHED
    await session.flush()
    return True
