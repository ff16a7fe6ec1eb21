"""Who came: registered people marked one by one, walk-ins counted per category."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import NotRegisteredError
from bot.services.registration import visible_event
from storage import attendance
from storage.models import Event


async def mark(session: AsyncSession, *, event_id: int, person_id: int, came: bool) -> None:
    if not await attendance.set_mark(session, event_id=event_id, person_id=person_id, came=came):
        raise NotRegisteredError(event_id)


async def everyone_came(session: AsyncSession, *, event_id: int) -> int:
    """Mark every confirmed registrant as present; returns how many."""
    await visible_event(session, event_id)
    return await attendance.mark_everyone(session, event_id)


async def add_walk_ins(session: AsyncSession, *, event_id: int, category: str, delta: int) -> int:
    """Add (or, with a negative delta, remove) walk-ins; never below zero. Returns the count."""
    await visible_event(session, event_id, lock=True)
    row = await attendance.walk_in(session, event_id=event_id, category=category)
    row.count = max(row.count + delta, 0)
    await session.flush()
    return row.count


@dataclass(frozen=True)
class Attendee:
    person_id: int
    name: str
    attended: bool | None
    without_telegram: bool = False  # signed up by staff: a resident who phoned


@dataclass(frozen=True)
class Sheet:
    """An event's attendance as staff see it."""

    event: Event
    attendees: list[Attendee]
    walk_ins: dict[str, int]

    @property
    def came(self) -> int:
        return sum(1 for a in self.attendees if a.attended)


async def sheet(session: AsyncSession, *, event_id: int) -> Sheet:
    event = await visible_event(session, event_id)
    rows = await attendance.attendees(session, event_id)
    attendees = [
        Attendee(pid, name or "—", attended, phoned) for pid, name, attended, phoned in rows
    ]
    return Sheet(event, attendees, await attendance.walk_ins(session, event_id))


async def toggle(session: AsyncSession, *, event_id: int, person_id: int) -> bool:
    """Came <-> did not come (not marked counts as did not come); returns the new mark."""
    came = await attendance.toggle_mark(session, event_id=event_id, person_id=person_id)
    if came is None:
        raise NotRegisteredError(event_id)
    return came
