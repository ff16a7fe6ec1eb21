"""Report figures, counted in SQL: per event, and attendances per event and category."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.status import EventStatus, RegistrationStatus
from storage.models import Event, Person, Program, Registration, WalkIn


@dataclass(frozen=True)
class EventLine:
    event_id: int
    starts_at: datetime
    title: str
    kind: str
    registered: int
    came: int
    walk_ins: int
    marked: bool
    place: str = ""
    program: str | None = None

    @property
    def attended(self) -> int:
        """Everyone who came: registered people marked present and walk-ins."""
        return self.came + self.walk_ins


def _in_period(start: datetime, end: datetime, program: str | None) -> list[ColumnElement[bool]]:
    """Events that started in [start, end) and were not cancelled (drafts never count)."""
    conditions = [
        Event.status == EventStatus.PUBLISHED,
        Event.starts_at >= start,
        Event.starts_at < end,
    ]
    if program:
        conditions.append(Event.program_id.in_(select(Program.id).where(Program.name == program)))
    return conditions


async def events(
    session: AsyncSession, *, start: datetime, end: datetime, program: str | None
) -> list[EventLine]:
    # Both counts are restricted to the period's events: a month's report must not
    # aggregate every registration ever made.
    period = _in_period(start, end, program)
    in_period = select(Event.id).where(*period)
    regs = (
        select(
            Registration.event_id,
            func.count()
            .filter(Registration.status == RegistrationStatus.CONFIRMED)
            .label("registered"),
            func.count().filter(Registration.attended.is_(True)).label("came"),
            func.count().filter(Registration.attended.is_not(None)).label("marked"),
        )
        .where(Registration.event_id.in_(in_period))
        .group_by(Registration.event_id)
        .subquery()
    )
    walk = (
        select(
            WalkIn.event_id, func.sum(WalkIn.count).label("walk_ins"), func.count().label("rows")
        )
        .where(WalkIn.event_id.in_(in_period))
        .group_by(WalkIn.event_id)
        .subquery()
    )
    stmt = (
        select(
            Event.id,
            Event.starts_at,
            Event.title,
            Event.kind,
            func.coalesce(regs.c.registered, 0),
            func.coalesce(regs.c.came, 0),
            func.coalesce(walk.c.walk_ins, 0),
            case(
                (and_(func.coalesce(regs.c.marked, 0) == 0, walk.c.rows.is_(None)), False),
                else_=True,
            ),
            Event.place,
            select(Program.name).where(Program.id == Event.program_id).scalar_subquery(),
        )
        .outerjoin(regs, regs.c.event_id == Event.id)
        .outerjoin(walk, walk.c.event_id == Event.id)
        .where(*period)
        .order_by(Event.starts_at, Event.id)
    )
    return [EventLine(*row) for row in (await session.execute(stmt)).all()]


async def distinct_people_who_came(
    session: AsyncSession, *, start: datetime, end: datetime, program: str | None
) -> int:
    stmt = (
        select(func.count(func.distinct(Registration.person_id)))
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.attended.is_(True), *_in_period(start, end, program))
    )
    return (await session.execute(stmt)).scalar_one()


async def attendance_by_event(
    session: AsyncSession, *, start: datetime, end: datetime, program: str | None
) -> dict[tuple[int, str], int]:
    """Attendances per (event, category): a registered person marked present, or a walk-in;
    someone who never named a category counts as "other"."""
    period = _in_period(start, end, program)
    category = func.coalesce(Person.category, "other")
    came = (
        select(Event.id, category, func.count())
        .select_from(Registration)
        .join(Event, Event.id == Registration.event_id)
        .join(Person, Person.id == Registration.person_id)
        .where(Registration.attended.is_(True), *period)
        .group_by(Event.id, category)
    )
    walked = (
        select(Event.id, WalkIn.category, func.sum(WalkIn.count))
        .join(Event, Event.id == WalkIn.event_id)
        .where(WalkIn.count > 0, *period)
        .group_by(Event.id, WalkIn.category)
    )
    totals: dict[tuple[int, str], int] = {}
    for stmt in (came, walked):
        for event_id, cat, n in (await session.execute(stmt)).all():
            totals[event_id, cat] = totals.get((event_id, cat), 0) + int(n)
    return totals
