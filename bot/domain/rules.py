"""When a registration may be made or cancelled."""

from __future__ import annotations

from datetime import datetime

from bot.domain.errors import ClosedReason
from bot.domain.status import EventStatus


def closed_reason(status: str, starts_at: datetime, now: datetime) -> ClosedReason | None:
    """Why registration for an event is closed at ``now``, or None when it is open.

    Registration closes when the event starts; drafts and cancelled events cannot be joined.
    """
    if status == EventStatus.CANCELLED:
        return ClosedReason.CANCELLED
    if status != EventStatus.PUBLISHED:
        return ClosedReason.NOT_PUBLISHED
    if starts_at <= now:
        return ClosedReason.STARTED
    return None


def seats_left(capacity: int | None, seats_taken: int) -> int | None:
    """Free seats, or None when the event has no limit."""
    if capacity is None:
        return None
    return max(capacity - seats_taken, 0)
