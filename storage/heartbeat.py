"""The running bot's heartbeat row (no commit here: the caller's transaction)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Heartbeat


async def beat(
    session: AsyncSession, *, instance: str, started_at: datetime, now: datetime
) -> None:
    """Note that ``instance`` (started at ``started_at``) is alive at ``now``."""
    updated = await session.execute(
        update(Heartbeat)
        .where(Heartbeat.instance == instance)
        .values(started_at=started_at, beat_at=now)
    )
    if updated.rowcount == 0:  # type: ignore[attr-defined]
        session.add(Heartbeat(instance=instance, started_at=started_at, beat_at=now))
