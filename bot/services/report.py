"""The project report: what was held and who was trained, in a period; what is planned."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import programs
from storage import feedback, report
from storage.feedback import Figures
from storage.report import EventLine, ProgramDetails

__all__ = [
    "EventLine",
    "Figures",
    "ProgramDetails",
    "Report",
    "UnknownProgramError",
    "build",
    "find_program",
]


class UnknownProgramError(LookupError):
    """A programme named in ``/report …`` or ``--program`` that does not exist."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(name)
        self.name = name
        self.known = known


@dataclass(frozen=True)
class Report:
    start: datetime
    end: datetime  # exclusive
    program: ProgramDetails | None
    """The programme chosen, or the one every event of the period belongs to."""
    by_kind: dict[str, int]
    trained_by_category: dict[str, int]
    distinct_people: int
    events: list[EventLine]
    """The events held (started by the time the report was made), by date."""
    by_event_category: dict[tuple[int, str], int] = field(default_factory=dict)
    """(event id, category) -> attendances: the attendance table."""
    by_kind_category: dict[tuple[str, str], int] = field(default_factory=dict)
    """(event kind, category) -> attendances: the chart and the totals by kind."""
    planned: list[EventLine] = field(default_factory=list)
    """Events of the period that have not started yet: not counted, listed apart."""
    feedback: dict[int, Figures] = field(default_factory=dict)
    """Event id -> how many answered the question after it, and their average rating."""
    comments: list[tuple[int, int, str]] = field(default_factory=list)
    """(event id, rating, comment) of the period's answers: nobody's name."""

    @property
    def feedback_overall(self) -> Figures:
        """All answers of the period, and their average (each answer weighs the same)."""
        answered = sum(f.answered for f in self.feedback.values())
        total = sum(f.answered * f.average for f in self.feedback.values() if f.average)
        return Figures(answered, total / answered if answered else None)

    @property
    def held(self) -> int:
        return sum(self.by_kind.values())

    @property
    def trained(self) -> int:
        return sum(self.trained_by_category.values())


async def find_program(session: AsyncSession, name: str) -> int:
    """The id of the programme called ``name`` (any letter case); UnknownProgramError
    (with the known names) if there is none."""
    found = await programs.find_id(session, name)
    if found is not None:
        return found
    known = (await programs.names(session)).values()
    raise UnknownProgramError(name, sorted(known, key=str.casefold))


async def build(
    session: AsyncSession,
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    program_id: int | None = None,
    program_name: str | None = None,
) -> Report:
    """The report of [start, end): events held by ``now`` counted, later ones planned.

    ``program_name`` (looked up as by :func:`find_program`) or ``program_id`` keeps one
    programme's events. With neither, the programme whose events are all of the
    period's, if there is exactly one, gives the document its title block.
    Six statements (seven with a programme); the totals by kind and by category are sums
    of the per-event ones.
    """
    if program_name is not None:
        program_id = await find_program(session, program_name)
    lines = await report.events(session, start=start, end=end, program_id=program_id)
    held = [line for line in lines if line.starts_at <= now]
    planned = [line for line in lines if line.starts_at > now]
    by_event_category = await report.attendance_by_event(
        session, start=start, end=end, program_id=program_id, until=now
    )
    kind_of = {line.event_id: line.kind for line in held}
    trained: Counter[str] = Counter()
    by_kind_category: Counter[tuple[str, str]] = Counter()
    for (event_id, category), n in by_event_category.items():
        trained[category] += n
        # An event moved into the period between the two statements has no line yet.
        if (kind := kind_of.get(event_id)) is not None:
            by_kind_category[kind, category] += n
    chosen = program_id
    if chosen is None:
        ids = {line.program_id for line in lines}
        chosen = ids.pop() if len(ids) == 1 else None
    return Report(
        start=start,
        end=end,
        program=await report.program(session, chosen) if chosen is not None else None,
        by_kind=dict(Counter(line.kind for line in held)),
        trained_by_category=dict(trained),
        distinct_people=await report.distinct_people_who_came(
            session, start=start, end=end, program_id=program_id, until=now
        ),
        events=held,
        by_event_category=by_event_category,
        by_kind_category=dict(by_kind_category),
        planned=planned,
        feedback=await feedback.by_event(
            session, start=start, end=end, program_id=program_id, until=now
        ),
        comments=await feedback.comments(
            session, start=start, end=end, program_id=program_id, until=now
        ),
    )
