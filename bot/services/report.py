"""The project report: what was held and who was trained, in a period."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage import report
from storage.report import EventLine


@dataclass(frozen=True)
class Report:
    start: datetime
    end: datetime  # exclusive
    program: str | None
    by_kind: dict[str, int]
    trained_by_category: dict[str, int]
    distinct_people: int
    events: list[EventLine]
    by_event_category: dict[tuple[int, str], int] = field(default_factory=dict)
    """(event id, category) -> attendances: the attendance table."""
    by_kind_category: dict[tuple[str, str], int] = field(default_factory=dict)
    """(event kind, category) -> attendances: the chart and the totals by kind."""

    @property
    def held(self) -> int:
        return sum(self.by_kind.values())

    @property
    def trained(self) -> int:
        return sum(self.trained_by_category.values())


async def build(
    session: AsyncSession, *, start: datetime, end: datetime, program: str | None = None
) -> Report:
    """Four statements; the totals by kind and by category are sums of the per-event ones."""
    lines = await report.events(session, start=start, end=end, program=program)
    by_event_category = await report.attendance_by_event(
        session, start=start, end=end, program=program
    )
    kind_of = {line.event_id: line.kind for line in lines}
    trained: Counter[str] = Counter()
    by_kind_category: Counter[tuple[str, str]] = Counter()
    for (event_id, category), n in by_event_category.items():
        trained[category] += n
        # An event moved into the period between the two statements has no line yet.
        if (kind := kind_of.get(event_id)) is not None:
            by_kind_category[kind, category] += n
    return Report(
        start=start,
        end=end,
        program=program,
        by_kind=dict(Counter(line.kind for line in lines)),
        trained_by_category=dict(trained),
        distinct_people=await report.distinct_people_who_came(
            session, start=start, end=end, program=program
        ),
        events=lines,
        by_event_category=by_event_category,
        by_kind_category=dict(by_kind_category),
    )
