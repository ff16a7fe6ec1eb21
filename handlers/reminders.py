"""The two buttons under a reminder: "I'll come" and "I can't come"."""

from __future__ import annotations

from bot.services import registration
from handlers import callbacks, render
from handlers.cards import cancel_registration
from handlers.common import Reply


@callbacks.COMING.handles
async def on_coming(reply: Reply, event_id: int) -> None:
    await reply.write(
        registration.acknowledge, event_id=event_id, telegram_id=reply.user.id, now=reply.deps.now()
    )
    await reply.ack(render.coming(reply.tr))
    await reply.clear_buttons()


@callbacks.NOT_COMING.handles
async def on_not_coming(reply: Reply, event_id: int) -> None:
    """Same as cancelling in /my: the seat goes to the first in line. The reminder becomes
    the notice (one edit: its buttons go, nothing else is sent)."""
    result = await cancel_registration(reply, event_id)
    await reply.show(render.cancelled(reply.tr, result.event, result.was))
