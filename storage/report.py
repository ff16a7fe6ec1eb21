"""Report figures, counted in SQL: per event, and attendances per event and category.

Only what has happened is held: the attendance counts stop at ``now`` (an event of the
period that has not started yet is planned, listed apart with its registrations so far).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, case, func, select, union_all
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
    program_name: str | None = None
    """The programme's name, if the event belongs to one."""
    program_id: int | None = None
    audience: str = ""
    report_label: str | None = None
    report_title: str | None = None
    partner: str | None = None
    report_note: str | None = None
    place_key: str | None = None
    """The configured place's key (see bot/services/places.py), if it has one."""
    branch_key: str | None = None
    """The branch the event belongs to; None: the library as a whole."""

    @property
    def attended(self) -> int:
        """Everyone who came: registered people marked present and walk-ins."""
        return self.came + self.walk_ins


@dataclass(frozen=True)
class ProgramDetails:
    """What the report document says of a programme: its title block, purpose, frame,
    link and signature."""

    id: int
    name: str
    purpose: str = ""
    frame: str = ""
    link: str = ""
    signer_position: str = ""
    signer_name: str = ""
    starts_on: date | None = None
    ends_on: date | None = None


def in_period(
    start: datetime,
    end: datetime,
    program_id: int | None,
    until: datetime | None = None,
    branch: str | None = None,
) -> list[ColumnElement[bool]]:
    """Events that started in [start, end) (and by ``until``, when given) and were not
    cancelled (drafts never count); of one branch, when ``branch`` is given."""
    conditions = [
        Event.status == EventStatus.PUBLISHED,
        Event.starts_at >= start,
        Event.starts_at < end,
    ]
    if until is not None:
        conditions.append(Event.starts_at <= until)
    if program_id is not None:
        conditions.append(Event.program_id == program_id)
    if branch is not None:
        conditions.append(Event.branch_key == branch)
    return conditions


async def events(
    session: AsyncSession,
    *,
    start: datetime,
    end: datetime,
    program_id: int | None,
    branch: str | None = None,
) -> list[EventLine]:
    """Every event of the period, held or planned (the caller splits them at "now")."""
    # Both counts are restricted to the period's events: a month's report must not
    # aggregate every registration ever made.
    period = in_period(start, end, program_id, branch=branch)
    period_events = select(Event.id).where(*period)
    regs = (
        select(
            Registration.event_id,
            func.count()
            .filter(Registration.status == RegistrationStatus.CONFIRMED)
            .label("registered"),
            func.count().filter(Registration.attended.is_(True)).label("came"),
            func.count().filter(Registration.attended.is_not(None)).label("marked"),
        )
        .where(Registration.event_id.in_(period_events))
        .group_by(Registration.event_id)
        .subquery()
    )
    walk = (
        select(
            WalkIn.event_id, func.sum(WalkIn.count).label("walk_ins"), func.count().label("rows")
        )
        .where(WalkIn.event_id.in_(period_events))
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
            Program.name,
            Event.program_id,
            Event.audience,
            Event.report_label,
            Event.report_title,
            Event.partner,
            Event.report_note,
            Event.place_key,
            Event.branch_key,
        )
        .outerjoin(regs, regs.c.event_id == Event.id)
        .outerjoin(walk, walk.c.event_id == Event.id)
        .outerjoin(Program, Program.id == Event.program_id)
        .where(*period)
        .order_by(Event.starts_at, Event.id)
    )
    return [EventLine(*row) for row in (await session.execute(stmt)).all()]


async def distinct_people_who_came(
    session: AsyncSession,
    *,
    start: datetime,
    end: datetime,
    program_id: int | None,
    until: datetime,
    branch: str | None = None,
) -> int:
    stmt = (
        select(func.count(func.distinct(Registration.person_id)))
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.attended.is_(True), *in_period(start, end, program_id, until, branch))
    )
    return (await session.execute(stmt)).scalar_one()


async def attendance_by_event(
    session: AsyncSession,
    *,
    start: datetime,
    end: datetime,
    program_id: int | None,
    until: datetime,
    branch: str | None = None,
) -> dict[tuple[int, str], int]:
    """Attendances per (event, category) of the events held by ``until``: a registered
    person marked present, or a walk-in; someone who never named a category counts as
    "other"."""
    period = in_period(start, end, program_id, until, branch)
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


async def held_by_branch(
    session: AsyncSession,
    *,
    start: datetime,
    end: datetime,
    program_id: int | None,
    until: datetime,
) -> dict[tuple[str | None, str], int]:
    """Events held by ``until``, per (branch, kind); branch None: events of no branch."""
    stmt = (
        select(Event.branch_key, Event.kind, func.count())
        .where(*in_period(start, end, program_id, until))
        .group_by(Event.branch_key, Event.kind)
    )
    return {(branch, kind): n for branch, kind, n in (await session.execute(stmt)).all()}


async def attendance_by_branch(
    session: AsyncSession,
    *,
    start: datetime,
    end: datetime,
    program_id: int | None,
    until: datetime,
) -> dict[tuple[str | None, str], int]:
    """Attendances per (branch, category) of the events held by ``until``, counted as
    :func:`attendance_by_event` counts them (registered people marked present, and
    walk-ins): one statement, grouped by the event's branch in SQL."""
    period = in_period(start, end, program_id, until)
    category = func.coalesce(Person.category, "other")
    came = (
        select(
            Event.branch_key.label("branch"), category.label("category"), func.count().label("n")
        )
        .select_from(Registration)
        .join(Event, Event.id == Registration.event_id)
        .join(Person, Person.id == Registration.person_id)
        .where(Registration.attended.is_(True), *period)
        .group_by(Event.branch_key, category)
    )
    walked = (
        select(
            Event.branch_key.label("branch"),
            WalkIn.category.label("category"),
            func.sum(WalkIn.count).label("n"),
        )
        .join(Event, Event.id == WalkIn.event_id)
        .where(WalkIn.count > 0, *period)
        .group_by(Event.branch_key, WalkIn.category)
    )
    both = union_all(came, walked).subquery()
    stmt = select(both.c.branch, both.c.category, func.sum(both.c.n)).group_by(
        both.c.branch, both.c.category
    )
    return {
        (branch, category): int(n) for branch, category, n in (await session.execute(stmt)).all()
    }


_DETAILS = (
    Program.id,
    Program.name,
    Program.purpose,
    Program.frame,
    Program.link,
    Program.signer_position,
    Program.signer_name,
    Program.starts_on,
    Program.ends_on,
)


async def program(session: AsyncSession, program_id: int) -> ProgramDetails | None:
    row = (await session.execute(select(*_DETAILS).where(Program.id == program_id))).first()
    return ProgramDetails(*row) if row else None
