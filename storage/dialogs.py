"""Multi-step flow state, kept in the database so a restart or another process can go on.

Residents' sign-up lives in ``dialog``, staff flows in ``staff_dialog``; both tables have
the same columns and are handled here.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Dialog, StaffDialog

Row = Dialog | StaffDialog
Table = type[Dialog] | type[StaffDialog]


async def get(
    session: AsyncSession, telegram_id: int, *, table: Table = Dialog, lock: bool = False
) -> tuple[str, dict[str, Any]] | None:
    """``lock``: read the row afresh and hold it until the transaction ends (PostgreSQL;
    on SQLite a writer holds the whole database already)."""
    row: Row | None = await session.get(
        table, telegram_id, with_for_update=lock or None, populate_existing=lock
    )
    if row is None:
        return None
    return row.state, json.loads(row.data)


async def put(
    session: AsyncSession,
    telegram_id: int,
    state: str,
    data: dict[str, Any],
    *,
    now: datetime,
    table: Table = Dialog,
) -> None:
    """One UPDATE for a question already open (a row the session holds is updated with
    it), an INSERT after it for the first."""
    encoded = json.dumps(data)
    changed = await session.execute(
        update(table)
        .where(table.telegram_id == telegram_id)
        .values(state=state, data=encoded, updated_at=now)
    )
    if getattr(changed, "rowcount", 0) == 0:
        session.add(table(telegram_id=telegram_id, state=state, data=encoded, updated_at=now))
        await session.flush()


async def clear(session: AsyncSession, telegram_id: int, *, table: Table = Dialog) -> None:
    await session.execute(delete(table).where(table.telegram_id == telegram_id))


async def clear_older(
    session: AsyncSession, *, before: datetime, table: Table = Dialog, state_prefix: str = ""
) -> int:
    """Delete the rows last written before ``before`` (of states starting with
    ``state_prefix``); returns how many."""
    result = await session.execute(
        delete(table).where(table.updated_at < before, table.state.startswith(state_prefix))
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def get_staff_unless_newer(
    session: AsyncSession, telegram_id: int
) -> tuple[str, dict[str, Any]] | None:
    """The staff row, unless the resident row was written after it (then that question
    was asked last)."""
    stmt = (
        select(StaffDialog.state, StaffDialog.data)
        .outerjoin(Dialog, Dialog.telegram_id == StaffDialog.telegram_id)
        .where(
            StaffDialog.telegram_id == telegram_id,
            (Dialog.updated_at.is_(None)) | (Dialog.updated_at <= StaffDialog.updated_at),
        )
    )
    row = (await session.execute(stmt)).first()
    return None if row is None else (row.state, json.loads(row.data))
