"""Queries on staff members and their open input."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import StaffDialog, StaffMember


async def is_member(session: AsyncSession, telegram_id: int) -> bool:
    stmt = select(StaffMember.telegram_id).where(StaffMember.telegram_id == telegram_id)
    return (await session.execute(stmt)).first() is not None


async def get_input(session: AsyncSession, telegram_id: int) -> tuple[str, dict[str, Any]] | None:
    """The staff member's open input: its state and data, or None."""
    row = await session.get(StaffDialog, telegram_id)
    if row is None:
        return None
    return row.state, json.loads(row.data)


async def put_input(
    session: AsyncSession, telegram_id: int, state: str, data: dict[str, Any], *, now: datetime
) -> None:
    row = await session.get(StaffDialog, telegram_id)
    if row is None:
        session.add(
            StaffDialog(telegram_id=telegram_id, state=state, data=json.dumps(data), updated_at=now)
        )
    else:
        row.state, row.data, row.updated_at = state, json.dumps(data), now
    await session.flush()


async def clear_input(session: AsyncSession, telegram_id: int) -> None:
    await session.execute(delete(StaffDialog).where(StaffDialog.telegram_id == telegram_id))
