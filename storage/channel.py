"""Queries on the library channel's posts: one per event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, delete, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ChannelPost
from storage.upsert import insert_for

# Longer than a post can take (PTB's timeouts and a retry): a post taken this long ago and
# still without a message id was never made (the process stopped in between).
CLAIM_LEASE = timedelta(minutes=10)

# Telegram's message ids start at 1. An event whose post the channel refused (the bot is
# not one of its administrators, or there is no such channel) keeps its row with this
# message id and REFUSED_AT as its time: it may be taken again at once, and while any such
# row is left staff have been told of the problem (so they are told once, not at every 📣).
REFUSED = 0
REFUSED_AT = datetime(2000, 1, 1, tzinfo=UTC)


async def claim(session: AsyncSession, event_id: int, *, now: datetime) -> bool:
    """Take the event's post for this process; False when it was posted (or is being).
    A post taken more than :data:`CLAIM_LEASE` ago by a process that never made it, or
    one the channel refused, is taken over in the same statement (two processes cannot
    both take it); a refused one keeps its mark until it is posted."""
    insert = insert_for(session)
    stmt = insert(ChannelPost).values(event_id=event_id, posted_at=now)
    result = await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[ChannelPost.event_id],
            set_={"posted_at": now},
            where=and_(
                or_(ChannelPost.message_id.is_(None), ChannelPost.message_id == REFUSED),
                ChannelPost.posted_at < now - CLAIM_LEASE,
            ),
        ).returning(ChannelPost.event_id)
    )
    return result.first() is not None


async def posted(session: AsyncSession, event_id: int, message_id: int) -> None:
    """The post is made: the channel works, so the refused ones are forgotten (each is
    posted at its event's next 📣, and a new problem is told again)."""
    await session.execute(
        update(ChannelPost).where(ChannelPost.event_id == event_id).values(message_id=message_id)
    )
    await session.execute(delete(ChannelPost).where(ChannelPost.message_id == REFUSED))


async def refused(session: AsyncSession, event_id: int) -> bool:
    """The channel refused the post: marked so; True when no refusal was marked before
    (staff have not been told yet)."""
    told = await session.scalar(select(exists().where(ChannelPost.message_id == REFUSED)))
    await session.execute(
        update(ChannelPost)
        .where(ChannelPost.event_id == event_id)
        .values(message_id=REFUSED, posted_at=REFUSED_AT)
    )
    return not told


async def release(session: AsyncSession, event_id: int) -> None:
    """The post could not be made (Telegram out of reach): it may be tried again."""
    await session.execute(delete(ChannelPost).where(ChannelPost.event_id == event_id))
