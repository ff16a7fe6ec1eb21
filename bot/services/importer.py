"""Importing events from CSV: validated in full first, then stored in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Config
from bot.domain.event_import import (
    EventDraft,
    EventImportError,
    RowProblem,
    decode_csv,
    occurrences,
    parse_events_csv,
)
from bot.services import places
from bot.services.programs import same_name
from storage import events, programs
from storage.models import Event


async def import_csv(
    session: AsyncSession,
    data: bytes,
    *,
    kinds: Mapping[str, str],
    tz: ZoneInfo,
    now: datetime,
    config: Config | None = None,
    staff_branch: str | None = None,
) -> list[Event]:
    """Store every event of the file, or raise (EventImportError / ValueError) and store none.

    With ``config``, a place named by the key or a name of one of its ``[[places]]`` is
    that place (the event belongs to its branch); any other text is a one-off place of
    ``staff_branch``, the importing staff member's (None: the whole library). A branch's
    staff cannot name another branch's place."""
    rows = parse_events_csv(decode_csv(data), kinds=kinds, tz=tz, now=now)
    if config is not None:
        rows = _with_places(config, rows, staff_branch)
    rows = await _with_programs(session, rows)
    # A row with repeat_weeks or repeat_until stands for every occurrence of its series.
    expanded = [occurrences(row, tz) for row in rows]
    drafts = [d for group in expanded for d in group]
    same = await events.existing(session, {(d.title, d.starts_at, d.branch_key) for d in drafts})
    duplicates = [
        RowProblem(d.row, "duplicate", params={"id": same[d.title, d.starts_at, d.branch_key]})
        for d in drafts
        if (d.title, d.starts_at, d.branch_key) in same
    ]
    if duplicates:
        raise EventImportError(duplicates)
    # Single events in one statement; each series on its own, to share its id. The
    # events come back in the file's order.
    single = [g[0] for row, g in zip(rows, expanded, strict=True) if row.repeat is None]
    stored = iter(await events.add_many(session, single, now=now))
    created: list[Event] = []
    for row, group in zip(rows, expanded, strict=True):
        if row.repeat is None:
            created.append(next(stored))
        else:
            created += await events.add_many(session, group, now=now, series=True)
    return created


async def _with_programs(session: AsyncSession, drafts: list[EventDraft]) -> list[EventDraft]:
    """The drafts with the id of the programme each names (case and spaces aside).

    An unknown name is a problem listing the known ones, not a new programme: a typo
    must not make a second programme the report then splits the events between."""
    if all(d.program is None for d in drafts):
        return drafts  # no look-up: a file without programmes costs one statement
    known = await programs.names(session)
    found: list[EventDraft] = []
    problems: list[RowProblem] = []
    for draft in drafts:
        if draft.program is None:
            found.append(draft)
            continue
        match = next((i for i, n in known.items() if same_name(n, draft.program)), None)
        if match is None:
            listed = ", ".join(f"«{n}»" for n in known.values()) or "—"
            problems.append(
                RowProblem(
                    draft.row,
                    "unknown_program",
                    "program",
                    {"value": draft.program, "known": listed},
                )
            )
        else:
            found.append(replace(draft, program_id=match))
    if problems:
        raise EventImportError(problems)
    return found


def _with_places(
    config: Config, drafts: list[EventDraft], staff_branch: str | None
) -> list[EventDraft]:
    """The drafts with the configured place each names, and the branch each belongs to."""
    found: list[EventDraft] = []
    problems: list[RowProblem] = []
    for draft in drafts:
        other = places.elsewhere(config, draft.place, staff_branch=staff_branch)
        if other is not None:
            problems.append(
                RowProblem(draft.row, "place_other_branch", "place", {"value": draft.place})
            )
            continue
        chosen = places.choose(config, draft.place, staff_branch=staff_branch)
        found.append(
            replace(
                draft,
                place=chosen.place,
                place_key=chosen.place_key,
                branch_key=chosen.branch_key,
            )
        )
    if problems:
        raise EventImportError(problems)
    return found
