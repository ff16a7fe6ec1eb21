"""Queries on the library channel's posts: one per event."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ChannelPost


async def claim(session: AsyncSession, event_id: int, *, now: datetime) -> bool:
    """Take the event's post for this process; False when it was posted (or is being)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    result = await session.execute(
        insert(ChannelPost)
        .values(event_id=event_id, posted_at=now)
        .on_conflict_do_nothing()
        .returning(ChannelPost.event_id)
    )
    return result.first() is not None


async def posted(session: AsyncSession, event_id: int, message_id: int) -> None:
    await session.execute(
        update(ChannelPost).where(ChannelPost.event_id == event_id).values(message_id=message_id)
    )


async def release(session: AsyncSession, event_id: int) -> None:
    """Telegram refused the post: it may be tried again."""
    await session.execute(delete(ChannelPost).where(ChannelPost.event_id == event_id))
