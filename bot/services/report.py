"""The project report: what was held and who was trained, in a period; what is planned."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import programs
from storage import feedback, report
from storage.database import long_reads
from storage.feedback import Figures
from storage.report import EventLine, ProgramDetails

__all__ = [
    "BranchFigures",
    "EventLine",
    "Figures",
    "ProgramDetails",
    "Report",
    "UnknownBranchError",
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


class UnknownBranchError(LookupError):
    """A branch asked for (``--branch``, or a button of an older configuration) that is not
    configured."""

    def __init__(self, key: str, known: Sequence[str]) -> None:
        super().__init__(key)
        self.key = key
        self.known = list(known)


@dataclass(frozen=True)
class BranchFigures:
    """One row of the per-branch table: what a branch held and who came to it."""

    key: str | None
    """The branch's key; None: events of no branch (the library as a whole)."""
    by_kind: dict[str, int] = field(default_factory=dict)
    """Event kind -> events held."""
    by_category: dict[str, int] = field(default_factory=dict)
    """Participant category -> attendances."""

    @property
    def held(self) -> int:
        return sum(self.by_kind.values())

    @property
    def trained(self) -> int:
        return sum(self.by_category.values())


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
    branch: str | None = None
    """The branch the report covers (every figure is that branch's); None: all of them."""
    branches: list[BranchFigures] = field(default_factory=list)
    """The per-branch table, for a report of all branches when branches are configured:
    every configured branch in the configuration's order (zeros too), then branches no
    longer configured, then events of no branch if there are any. Its rows sum to the
    totals."""

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
    branch: str | None = None,
    branches: Sequence[str] = (),
) -> Report:
    """The report of [start, end): events held by ``now`` counted, later ones planned.

    ``program_name`` (looked up as by :func:`find_program`) or ``program_id`` keeps one
    programme's events. With neither, the programme whose events are all of the
    period's, if there is exactly one, gives the document its title block.
    Six statements (seven with a programme); the totals by kind and by category are sums
    of the per-event ones.

    ``branches`` are the configured branches' keys: with some, a report of all branches
    (``branch`` None) adds the per-branch table (two more statements), and ``branch``
    keeps one branch's events (UnknownBranchError for a key that is not among them).
    """
    if branch is not None and branch not in branches:
        raise UnknownBranchError(branch, branches)
    await long_reads(session)
    if program_name is not None:
        program_id = await find_program(session, program_name)
    lines = await report.events(session, start=start, end=end, program_id=program_id, branch=branch)
    held = [line for line in lines if line.starts_at <= now]
    planned = [line for line in lines if line.starts_at > now]
    by_event_category = await report.attendance_by_event(
        session, start=start, end=end, program_id=program_id, until=now, branch=branch
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
            session, start=start, end=end, program_id=program_id, until=now, branch=branch
        ),
        events=held,
        by_event_category=by_event_category,
        by_kind_category=dict(by_kind_category),
        planned=planned,
        feedback=await feedback.by_event(
            session, start=start, end=end, program_id=program_id, until=now, branch=branch
        ),
        comments=await feedback.comments(
            session, start=start, end=end, program_id=program_id, until=now, branch=branch
        ),
        branch=branch,
        branches=await _by_branch(
            session, start=start, end=end, now=now, program_id=program_id, configured=branches
        )
        if branches and branch is None
        else [],
    )


async def _by_branch(
    session: AsyncSession,
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    program_id: int | None,
    configured: Sequence[str],
) -> list[BranchFigures]:
    """The per-branch table: two statements grouped by the events' branch."""
    held = await report.held_by_branch(
        session, start=start, end=end, program_id=program_id, until=now
    )
    came = await report.attendance_by_branch(
        session, start=start, end=end, program_id=program_id, until=now
    )
    present = {key for key, _ in held} | {key for key, _ in came}
    gone = sorted(key for key in present if key is not None and key not in configured)
    keys: list[str | None] = [*configured, *gone]
    if None in present:
        keys.append(None)
    return [
        BranchFigures(
            key,
            by_kind={kind: n for (b, kind), n in held.items() if b == key},
            by_category={category: n for (b, category), n in came.items() if b == key},
        )
        for key in keys
    ]
