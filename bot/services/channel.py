"""The library's channel: announcing an event posts it there once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.registration import visible_event
from storage import channel
from storage.models import Event


async def claim(session: AsyncSession, *, event_id: int, now: datetime) -> Event | None:
    """The event to post, or None when it has been posted already."""
    event = await visible_event(session, event_id)
    return event if await channel.claim(session, event_id, now=now) else None


async def posted(session: AsyncSession, *, event_id: int, message_id: int) -> None:
    await channel.posted(session, event_id, message_id)


async def refused(session: AsyncSession, *, event_id: int) -> bool:
    """The channel refused the post (the bot is not its administrator): True when staff
    should be told, that is at the first refusal since the channel last worked."""
    return await channel.refused(session, event_id)


async def failed(session: AsyncSession, *, event_id: int) -> None:
    """Telegram could not be reached: the post may be tried again."""
    await channel.release(session, event_id)
