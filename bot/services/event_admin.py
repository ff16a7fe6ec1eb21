"""Changing and cancelling events; the people concerned are told through the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import reminders
from bot.domain.errors import DomainError, EventNotFoundError, InvalidInputError
from bot.domain.event_import import EventDraft
from bot.domain.status import EventStatus
from bot.services import outbox
from bot.services.programs import ProgramNotFoundError
from bot.services.registration import Promotion, fill_free_seats, visible_event
from storage import events, programs
from storage.models import Event


@dataclass(frozen=True)
class Changes:
    """Fields to change; None leaves a field as it is."""

    title: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str | None = None
    # With a new place: the configured place's key (None: a one-off place) and the branch
    # the event then belongs to; both are set whenever ``place`` is given.
    place_key: str | None = None
    branch_key: str | None = None
    capacity: int | None = None
    unlimited: bool = False  # no limit on seats (capacity None would mean "unchanged")
    reminders: str | None = None  # "18h,1h"; "" for none; "default" for the library's
    kind: str | None = None
    audience: str | None = None  # "" clears it
    program_id: int | None = None
    no_program: bool = False  # takes the event out of its programme
    # The report line's wording: "" clears a field.
    report_label: str | None = None
    report_title: str | None = None
    partner: str | None = None
    report_note: str | None = None
    description: str | None = None  # "" clears it
    duration: timedelta | None = None  # sets the end from the (new) start


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
    """Apply the changes; registrants hear of a new time or place, reminders move with it.

    Moving the start without a new end keeps the event's length. Drafts can be changed
    too (staff prepare them); a cancelled event cannot.
    """
    event = await get_event(session, event_id, lock=True)
    if event.status == EventStatus.CANCELLED:
        raise EventCancelledError(event_id)
    old: dict[str, str] = {}
    if changes.starts_at is not None and changes.starts_at != event.starts_at:
        old["starts_at"] = event.starts_at.isoformat()
        if event.ends_at is not None and changes.ends_at is None:
            event.ends_at += changes.starts_at - event.starts_at
        event.starts_at = changes.starts_at
    _change_place(event, changes, old)
    if changes.title is not None:
        event.title = changes.title
    if changes.ends_at is not None:
        event.ends_at = changes.ends_at
    if changes.duration is not None:
        event.ends_at = event.starts_at + changes.duration
    if changes.kind is not None:
        event.kind = changes.kind
    if changes.audience is not None:
        event.audience = changes.audience
    await _change_report_fields(session, event, changes)
    if changes.description is not None:
        event.description = changes.description
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
    capacity = None if changes.unlimited else changes.capacity
    if (changes.unlimited or capacity is not None) and capacity != event.capacity:
        if capacity is not None and capacity < event.seats_taken:
            raise InvalidInputError("capacity_below_taken")
        event.capacity = capacity
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


def _change_place(event: Event, changes: Changes, old: dict[str, str]) -> None:
    """A new place, its key and branch; what it was goes into ``old`` for registrants."""
    if changes.place is None:
        return
    if changes.place != event.place:  # the same name keyed now: nothing to tell
        old["place"] = event.place
        if event.place_key is not None:
            old["place_key"] = event.place_key
    event.place = changes.place
    event.place_key = changes.place_key
    event.branch_key = changes.branch_key


async def _change_report_fields(session: AsyncSession, event: Event, changes: Changes) -> None:
    """The programme and the report line's wording."""
    if changes.no_program:
        event.program_id = None
    elif changes.program_id is not None:
        if not await programs.get(session, changes.program_id):
            raise ProgramNotFoundError(changes.program_id)
        event.program_id = changes.program_id
    for wording in ("report_label", "report_title", "partner", "report_note"):
        if (value := getattr(changes, wording)) is not None:
            setattr(event, wording, value or None)


async def cancel_event(session: AsyncSession, event_id: int, *, now: datetime) -> int:
    """Cancel the event and queue a notice for everyone registered; returns how many."""
    event = await visible_event(session, event_id, lock=True)
    if event.status == EventStatus.CANCELLED:
        raise EventCancelledError(event_id)
    event.status = EventStatus.CANCELLED
    await session.flush()
    return await outbox.event_cancelled(session, event=event, now=now)


async def get_event(session: AsyncSession, event_id: int, *, lock: bool = False) -> Event:
    """Any event, drafts included: for staff."""
    event = await events.get(session, event_id, lock=lock)
    if event is None:
        raise EventNotFoundError(event_id)
    return event


async def create_event(
    session: AsyncSession, draft: EventDraft, *, publish: bool, now: datetime
) -> Event:
    """Store a new event, published or as a draft residents do not see.

    Refused when its start has passed meanwhile (a draft kept open over the weekend).
    """
    if draft.starts_at <= now:
        raise InvalidInputError("in_past")
    status = EventStatus.PUBLISHED if publish else EventStatus.DRAFT
    (event,) = await events.add_many(session, [draft], now=now, status=status)
    return event


async def create_series(
    session: AsyncSession, drafts: Sequence[EventDraft], *, publish: bool, now: datetime
) -> list[Event]:
    """Store the occurrences of a weekly series (sharing a new series id), all published
    or all drafts; refused, as :func:`create_event`, when the first start has passed."""
    if drafts[0].starts_at <= now:
        raise InvalidInputError("in_past")
    status = EventStatus.PUBLISHED if publish else EventStatus.DRAFT
    return await events.add_many(session, drafts, now=now, status=status, series=True)


class EventInPastError(DomainError):
    """An event that has begun cannot be published."""


async def publish_event(session: AsyncSession, event_id: int, *, now: datetime) -> bool:
    """Show a draft to residents; False when it was published already (pressed twice)."""
    event = await get_event(session, event_id, lock=True)
    if event.status == EventStatus.CANCELLED:
        raise EventCancelledError(event_id)
    if event.status == EventStatus.PUBLISHED:
        return False
    if event.starts_at <= now:
        raise EventInPastError(event_id)
    event.status = EventStatus.PUBLISHED
    await session.flush()
    return True


class NotADraftError(DomainError):
    """Only a draft can be deleted; a published event is cancelled, so registrants hear of it."""


async def delete_draft(session: AsyncSession, event_id: int) -> str:
    """Delete a draft (nobody could see it, so nobody is told); returns its title."""
    event = await get_event(session, event_id, lock=True)
    if event.status != EventStatus.DRAFT:
        raise NotADraftError(event_id)
    title = event.title
    await events.remove(session, event)
    return title
