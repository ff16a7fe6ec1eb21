"""Queries behind the staff's list and card of events: counts in SQL, one statement a page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, ScalarSelect, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.status import (
    ACTIVE_REGISTRATION,
    EventStatus,
    NotificationKind,
    NotificationStatus,
    RegistrationStatus,
)
from storage.models import Event, Notification, Person, Program, Registration
from storage.phone_registrants import without_telegram


@dataclass(frozen=True)
class EventFigures:
    """An event with what staff count on it."""

    event: Event
    registered: int  # confirmed: the seats taken
    waiting: int
    came: int
    program: str | None = None  # the programme's name


@dataclass(frozen=True)
class Registrant:
    name: str | None  # None once the person asked to be forgotten
    phone: str | None
    category: str | None
    status: RegistrationStatus
    registered_at: datetime
    attended: bool | None
    without_telegram: bool = False  # a resident who phoned, signed up by staff


@dataclass(frozen=True)
class Progress:
    """Where an event's announcement stands."""

    total: int
    sent: int
    undelivered: int  # failed, blocked the bot, or dropped because the event began
    pending: int  # still to be sent to someone who can be reached

    @property
    def done(self) -> bool:
        return self.pending == 0


def _listed(since: datetime, branch: str | None) -> tuple[ColumnElement[bool], ...]:
    # Drafts and published events, also those that began recently (attendance is marked
    # after the event); cancelled ones are off the list but keep their card. A branch's
    # staff see only its events.
    listed = (Event.status != EventStatus.CANCELLED, Event.starts_at > since)
    return listed if branch is None else (*listed, Event.branch_key == branch)


async def branch_of(session: AsyncSession, event_id: int) -> tuple[bool, str | None]:
    """Whether the event exists, and its branch (None: the library as a whole)."""
    row = (await session.execute(select(Event.branch_key).where(Event.id == event_id))).first()
    return (False, None) if row is None else (True, row[0])


def _count_of(*conditions: ColumnElement[bool]) -> ScalarSelect[int]:
    """A correlated count of the event's registrations (served by the (event, status) index)."""
    return (
        select(func.count())
        .where(Registration.event_id == Event.id, *conditions)
        .correlate(Event)
        .scalar_subquery()
    )


def _program_name() -> ScalarSelect[str]:
    return (
        select(Program.name)
        .where(Program.id == Event.program_id)
        .correlate(Event)
        .scalar_subquery()
    )


def _figures_columns() -> tuple[ScalarSelect[int], ScalarSelect[int]]:
    waiting = _count_of(Registration.status == RegistrationStatus.WAITING)
    came = _count_of(
        Registration.status == RegistrationStatus.CONFIRMED, Registration.attended.is_(True)
    )
    return waiting, came


async def count_listed(session: AsyncSession, *, since: datetime, branch: str | None = None) -> int:
    stmt = select(func.count()).select_from(Event).where(*_listed(since, branch))
    return (await session.execute(stmt)).scalar_one()


async def listed(
    session: AsyncSession,
    *,
    since: datetime,
    offset: int,
    limit: int,
    branch: str | None = None,
) -> list[EventFigures]:
    """A page of the staff list, soonest first, with the counts, in one statement."""
    waiting, came = _figures_columns()
    # The page is cut first and counted after: PostgreSQL would otherwise compute the
    # counts for every row OFFSET skips, which on a late page is most of the year.
    page = (
        select(Event.id)
        .where(*_listed(since, branch))
        .order_by(Event.starts_at, Event.id)
        .offset(offset)
        .limit(limit)
        .subquery()
    )
    stmt = (
        select(Event, waiting, came, _program_name())
        .join(page, page.c.id == Event.id)
        .order_by(Event.starts_at, Event.id)
    )
    rows = (await session.execute(stmt)).all()
    return [EventFigures(event, event.seats_taken, w, c, p) for event, w, c, p in rows]


async def figures(session: AsyncSession, event_id: int) -> EventFigures | None:
    """Any event, drafts and cancelled ones included, with its counts."""
    waiting, came = _figures_columns()
    stmt = select(Event, waiting, came, _program_name()).where(Event.id == event_id)
    row = (await session.execute(stmt.execution_options(populate_existing=True))).first()
    if row is None:
        return None
    event, w, c, p = row
    return EventFigures(event, event.seats_taken, w, c, p)


async def figures_of(session: AsyncSession, *conditions: ColumnElement[bool]) -> list[EventFigures]:
    """The events that meet the conditions, soonest first, with their counts."""
    waiting, came = _figures_columns()
    stmt = select(Event, waiting, came).where(*conditions).order_by(Event.starts_at, Event.id)
    rows = (await session.execute(stmt)).all()
    return [EventFigures(event, event.seats_taken, w, c) for event, w, c in rows]


async def registrants(session: AsyncSession, event_id: int) -> list[Registrant]:
    """Everyone registered or waiting: the confirmed first, each group in registration order."""
    confirmed_first = case((Registration.status == RegistrationStatus.CONFIRMED, 0), else_=1)
    stmt = (
        select(
            Person.full_name,
            Person.phone,
            Person.category,
            Registration.status,
            Registration.queued_at,
            Registration.attended,
            without_telegram(),
        )
        .join(Person, Person.id == Registration.person_id)
        .where(Registration.event_id == event_id, Registration.status.in_(ACTIVE_REGISTRATION))
        .order_by(confirmed_first, Registration.queued_at, Registration.id)
    )
    return [
        Registrant(name, phone, category, RegistrationStatus(status), at, attended, bool(phoned))
        for name, phone, category, status, at, attended, phoned in (
            await session.execute(stmt)
        ).all()
    ]


async def announcement_progress(session: AsyncSession, event_id: int) -> Progress:
    """Counts of the event's announcements; a message waiting for someone who blocked the
    bot meanwhile will not go out, so it is counted as undelivered, not pending."""
    unsent = Notification.status.in_((NotificationStatus.PENDING, NotificationStatus.SENDING))
    reachable = and_(Person.telegram_id.is_not(None), Person.unreachable_at.is_(None))
    stmt = (
        select(
            func.count(),
            func.count().filter(Notification.status == NotificationStatus.SENT),
            func.count().filter(and_(unsent, reachable)),
        )
        .select_from(Notification)
        .join(Person, Person.id == Notification.person_id)
        .where(
            Notification.event_id == event_id,
            Notification.kind == NotificationKind.ANNOUNCEMENT,
        )
    )
    total, sent, pending = (await session.execute(stmt)).one()
    return Progress(total=total, sent=sent, undelivered=total - sent - pending, pending=pending)
