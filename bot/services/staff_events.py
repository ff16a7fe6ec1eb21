"""What staff see of events: the list with its counts, an event's card, its registrants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import EventNotFoundError
from storage import staff_events
from storage.staff_events import EventFigures, Progress, Registrant

PAGE_SIZE = 8
# Events stay on the list this long after they began, so attendance can be marked.
RECENT = timedelta(days=7)


@dataclass(frozen=True)
class StaffPage:
    items: list[EventFigures]
    page: int
    pages: int


@dataclass(frozen=True)
class StaffCard:
    figures: EventFigures
    announcement: Progress


async def page(session: AsyncSession, *, number: int, now: datetime) -> StaffPage:
    """Drafts and published events that have not begun or began in the last days, soonest
    first; a page past the end shows the last one."""
    since = now - RECENT
    total = await staff_events.count_listed(session, since=since)
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(number, 0), pages - 1)
    items = await staff_events.listed(
        session, since=since, offset=number * PAGE_SIZE, limit=PAGE_SIZE
    )
    return StaffPage(items, number, pages)


async def card(session: AsyncSession, *, event_id: int) -> StaffCard:
    """Any event, drafts and cancelled ones included."""
    figures = await staff_events.figures(session, event_id)
    if figures is None:
        raise EventNotFoundError(event_id)
    return StaffCard(figures, await staff_events.announcement_progress(session, event_id))


async def registrants(
    session: AsyncSession, *, event_id: int
) -> tuple[EventFigures, list[Registrant]]:
    figures = await staff_events.figures(session, event_id)
    if figures is None:
        raise EventNotFoundError(event_id)
    return figures, await staff_events.registrants(session, event_id)


async def announcement_progress(session: AsyncSession, *, event_id: int) -> Progress:
    return await staff_events.announcement_progress(session, event_id)
