"""The project report: what was held and who was trained, in a period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage import report
from storage.models import Event
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
    return Report(
        start=start,
        end=end,
        program=program,
        by_kind=await report.by_kind(session, start=start, end=end, program=program),
        trained_by_category=await report.trained_by_category(
            session, start=start, end=end, program=program
        ),
        distinct_people=await report.distinct_people_who_came(
            session, start=start, end=end, program=program
        ),
        events=await report.events(session, start=start, end=end, program=program),
        by_event_category=await report.attendance_by(
            session, Event.id, start=start, end=end, program=program
        ),
        by_kind_category=await report.attendance_by(
            session, Event.kind, start=start, end=end, program=program
        ),
    )
