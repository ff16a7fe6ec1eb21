"""Multi-step flow state, kept in the database so a restart or another process can go on.

Residents' sign-up lives in ``dialog``, staff flows in ``staff_dialog``; both tables have
the same columns and are handled here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Delete, Select, bindparam, delete, select
from sqlalchemy import Table as SqlTable
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from storage.models import Dialog, StaffDialog
from storage.upsert import built_once

Table = type[Dialog] | type[StaffDialog]

# A question's row is read and written at every answer: the statements are built once for
# each table and run with the Telegram id bound (see storage/people.py for why).
_OF: dict[Table, Select[Any]] = {
    table: select(table).where(table.telegram_id == bindparam("dialog_of"))
    for table in (Dialog, StaffDialog)
}
_OF_LOCKED = {
    table: stmt.with_for_update().execution_options(populate_existing=True)
    for table, stmt in _OF.items()
}


def _rows(table: Table) -> SqlTable:
    return cast(SqlTable, table.__table__)


# The row's writes are on the table, not through the ORM (which would match them against
# every object the session holds, at more cost than the statement's): ``put`` and ``clear``
# bring a row the session holds up to date themselves.
_CLEAR: dict[Table, Delete] = {
    table: delete(_rows(table)).where(_rows(table).c.telegram_id == bindparam("dialog_of"))
    for table in (Dialog, StaffDialog)
}


def _put(session: AsyncSession, table: Table) -> Any:
    """INSERT … ON CONFLICT of the table's row."""

    def build(insert_into: Callable[[Any], Any]) -> Any:
        insert = insert_into(_rows(table))
        return insert.on_conflict_do_update(
            index_elements=["telegram_id"],
            set_={name: insert.excluded[name] for name in ("state", "data", "updated_at")},
        )

    return built_once(session, table, build)


async def get(
    session: AsyncSession, telegram_id: int, *, table: Table = Dialog, lock: bool = False
) -> tuple[str, dict[str, Any]] | None:
    """``lock``: read the row afresh and hold it until the transaction ends (PostgreSQL;
    on SQLite a writer holds the whole database already)."""
    statement = (_OF_LOCKED if lock else _OF)[table]
    row = (await session.execute(statement, {"dialog_of": telegram_id})).scalar_one_or_none()
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
    """One statement, for the first question as for the next (two processes asking at
    once: the later one's question stays); a row the session holds is updated with it."""
    values = {"state": state, "data": json.dumps(data), "updated_at": now}
    await session.execute(_put(session, table), {"telegram_id": telegram_id, **values})
    held = session.identity_map.get(identity_key(table, telegram_id))
    if held is not None:
        for name, value in values.items():
            set_committed_value(held, name, value)


async def clear(session: AsyncSession, telegram_id: int, *, table: Table = Dialog) -> None:
    await session.execute(_CLEAR[table], {"dialog_of": telegram_id})
    held = session.identity_map.get(identity_key(table, telegram_id))
    if held is not None:  # gone: not to be found in the session afterwards
        session.expunge(held)


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
