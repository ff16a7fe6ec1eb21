"""Multi-step flow state, kept in the database so a restart or another process can go on."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Dialog


async def get(session: AsyncSession, telegram_id: int) -> tuple[str, dict[str, Any]] | None:
    row = (
        await session.execute(select(Dialog).where(Dialog.telegram_id == telegram_id))
    ).scalar_one_or_none()
    if row is None:
        return None
    return row.state, json.loads(row.data)


async def put(
    session: AsyncSession, telegram_id: int, state: str, data: dict[str, Any], *, now: datetime
) -> None:
    row = await session.get(Dialog, telegram_id)
    if row is None:
        session.add(
            Dialog(telegram_id=telegram_id, state=state, data=json.dumps(data), updated_at=now)
        )
    else:
        row.state, row.data, row.updated_at = state, json.dumps(data), now
    await session.flush()


async def clear(session: AsyncSession, telegram_id: int) -> None:
    await session.execute(delete(Dialog).where(Dialog.telegram_id == telegram_id))
