"""Queries on the library channel's posts: one per event."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ChannelPost
from storage.upsert import insert_for

# Longer than a post can take (PTB's timeouts and a retry): a post taken this long ago and
# still without a message id was never made (the process stopped in between).
CLAIM_LEASE = timedelta(minutes=10)


async def claim(session: AsyncSession, event_id: int, *, now: datetime) -> bool:
    """Take the event's post for this process; False when it was posted (or is being).
    A post taken more than :data:`CLAIM_LEASE` ago by a process that never made it is
    taken over, in the same statement (two processes cannot both take it)."""
    insert = insert_for(session)
    stmt = insert(ChannelPost).values(event_id=event_id, posted_at=now)
    result = await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[ChannelPost.event_id],
            set_={"posted_at": now},
            where=and_(ChannelPost.message_id.is_(None), ChannelPost.posted_at < now - CLAIM_LEASE),
        ).returning(ChannelPost.event_id)
    )
    return result.first() is not None


async def posted(session: AsyncSession, event_id: int, message_id: int) -> None:
    await session.execute(
        update(ChannelPost).where(ChannelPost.event_id == event_id).values(message_id=message_id)
    )


async def release(session: AsyncSession, event_id: int) -> None:
    """Telegram refused the post: it may be tried again."""
    await session.execute(delete(ChannelPost).where(ChannelPost.event_id == event_id))
