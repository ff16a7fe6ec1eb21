"""What staff see of events: the list with its counts, an event's card, its registrants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.branches import manages
from bot.domain.errors import EventNotFoundError, OutsideBranchError
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


async def check_branch(session: AsyncSession, event_id: int, *, branch: str | None) -> None:
    """OutsideBranchError unless staff of ``branch`` manage the event (None: every event).

    Every staff button that carries an event, and every typed answer or command that names
    one, passes here first (``handlers.common``); an event that does not exist passes, and
    the use case says so.
    """
    if branch is None:
        return
    found, event_branch = await staff_events.branch_of(session, event_id)
    if found and not manages(branch, event_branch):
        raise OutsideBranchError(event_id)


async def page(
    session: AsyncSession, *, number: int, now: datetime, branch: str | None = None
) -> StaffPage:
    """Drafts and published events that have not begun or began in the last days, soonest
    first (only ``branch``'s, for its staff); a page past the end shows the last one."""
    since = now - RECENT
    total = await staff_events.count_listed(session, since=since, branch=branch)
    pages = max(1, -(-total // PAGE_SIZE))
    number = min(max(number, 0), pages - 1)
    items = await staff_events.listed(
        session, since=since, offset=number * PAGE_SIZE, limit=PAGE_SIZE, branch=branch
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
