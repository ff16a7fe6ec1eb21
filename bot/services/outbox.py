"""What goes into the outbox when something happens: reminders, promotions, changes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import reminders
from bot.domain.status import ACTIVE_REGISTRATION, NotificationKind, RegistrationStatus
from storage import notifications
from storage.models import Event


def offsets_for(event: Event, default: Sequence[timedelta]) -> tuple[timedelta, ...]:
    """The event's own reminder offsets, or the library's default ones."""
    if event.reminder_offsets is None:
        return tuple(default)
    return reminders.parse_offsets(event.reminder_offsets)


def _row(
    event: Event,
    person_id: int,
    kind: NotificationKind,
    *,
    due: datetime,
    now: datetime,
    variant: str = "",
    payload: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "event_id": event.id,
        "person_id": person_id,
        "kind": kind,
        "variant": variant,
        "due_at": due,
        # Nothing about an event is worth sending once it has begun.
        "expires_at": event.starts_at,
        "payload": json.dumps(payload or {}),
        "created_at": now,
    }


async def schedule_reminders(
    session: AsyncSession,
    *,
    event: Event,
    person_ids: Sequence[int],
    default: Sequence[timedelta],
    now: datetime,
) -> None:
    """Reminders still ahead for these confirmed registrants."""
    rows = [
        _row(
            event,
            pid,
            NotificationKind.REMINDER,
            due=due,
            now=now,
            variant=reminders.reminder_variant(offset, event.starts_at),
        )
        for offset, due in reminders.schedule(event.starts_at, offsets_for(event, default), now=now)
        for pid in person_ids
    ]
    await notifications.enqueue(session, rows)


async def registration_gone(session: AsyncSession, *, event_id: int, person_id: int) -> None:
    """The person no longer has a seat: nothing more about the event for them."""
    await notifications.drop(
        session,
        event_id=event_id,
        person_id=person_id,
        kinds=[NotificationKind.REMINDER, NotificationKind.PROMOTED, NotificationKind.CHANGED],
    )


async def promoted(
    session: AsyncSession,
    *,
    event: Event,
    person_id: int,
    registration_updated_at: datetime,
    default: Sequence[timedelta],
    now: datetime,
) -> None:
    """Tell the person they have a seat now, and remind them like everyone else."""
    variant = registration_updated_at.isoformat()
    await notifications.enqueue(
        session,
        [_row(event, person_id, NotificationKind.PROMOTED, due=now, now=now, variant=variant)],
    )
    await schedule_reminders(session, event=event, person_ids=[person_id], default=default, now=now)


async def phone_promoted(
    session: AsyncSession, *, event: Event, staff_person_id: int, now: datetime
) -> None:
    """Tell the staff member who wrote someone down that they got a seat and must be phoned
    (no name in the message's row: it is rendered from the call list as it is sent)."""
    await notifications.enqueue(
        session,
        [
            _row(
                event,
                staff_person_id,
                NotificationKind.PHONE_PROMOTED,
                due=now,
                now=now,
                variant=now.isoformat(),
            )
        ],
    )


async def event_changed(
    session: AsyncSession,
    *,
    event: Event,
    old: dict[str, str],
    default: Sequence[timedelta],
    now: datetime,
) -> int:
    """Tell registrants what changed and move their reminders; returns how many are told."""
    # Whatever is on its way (an announcement, news of a seat) lives until the new start.
    await notifications.move_expiry(session, event_id=event.id, expires_at=event.starts_at)
    people = await notifications.recipients(
        session, event_id=event.id, statuses=ACTIVE_REGISTRATION
    )
    await notifications.enqueue(
        session,
        [
            _row(
                event,
                pid,
                NotificationKind.CHANGED,
                due=now,
                now=now,
                variant=now.isoformat(),
                payload=old,
            )
            for pid in people
        ],
    )
    await reschedule(session, event=event, default=default, now=now)
    return len(people)


async def reschedule(
    session: AsyncSession, *, event: Event, default: Sequence[timedelta], now: datetime
) -> None:
    """Replace the pending reminders of an event after its time or offsets changed."""
    await notifications.drop(session, event_id=event.id, kinds=[NotificationKind.REMINDER])
    confirmed = await notifications.recipients(
        session, event_id=event.id, statuses=(RegistrationStatus.CONFIRMED,)
    )
    await schedule_reminders(session, event=event, person_ids=confirmed, default=default, now=now)


async def event_cancelled(session: AsyncSession, *, event: Event, now: datetime) -> int:
    """Tell registrants the event is off; nothing else about it is sent."""
    await notifications.drop(session, event_id=event.id)
    people = await notifications.recipients(
        session, event_id=event.id, statuses=ACTIVE_REGISTRATION
    )
    # The notice is sent even though the event's start passes; it must not expire then.
    rows = [
        _row(event, pid, NotificationKind.CANCELLED, due=now, now=now) | {"expires_at": None}
        for pid in people
    ]
    await notifications.enqueue(session, rows)
    return len(people)


async def announce(
    session: AsyncSession, *, event: Event, person_ids: Sequence[int], now: datetime
) -> None:
    await notifications.enqueue(
        session,
        [_row(event, pid, NotificationKind.ANNOUNCEMENT, due=now, now=now) for pid in person_ids],
    )
