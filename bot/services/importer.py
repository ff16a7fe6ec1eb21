"""Importing events from CSV: validated in full first, then stored in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.event_import import EventImportError, RowProblem, decode_csv, parse_events_csv
from storage import events
from storage.models import Event


async def import_csv(
    session: AsyncSession,
    data: bytes,
    *,
    kinds: Mapping[str, str],
    tz: ZoneInfo,
    now: datetime,
) -> list[Event]:
    """Store every event of the file, or raise (EventImportError / ValueError) and store none."""
    drafts = parse_events_csv(decode_csv(data), kinds=kinds, tz=tz, now=now)
    same = await events.existing(session, {(d.title, d.starts_at) for d in drafts})
    duplicates = [
        RowProblem(d.row, "duplicate", params={"id": same[d.title, d.starts_at]})
        for d in drafts
        if (d.title, d.starts_at) in same
    ]
    if duplicates:
        raise EventImportError(duplicates)
    return await events.add_many(session, drafts, now=now)
