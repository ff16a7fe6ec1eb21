"""The two buttons under a reminder: "I'll come" and "I can't come"."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.domain.errors import DomainError
from bot.services import registration
from handlers import render
from handlers.cards import cancel_registration
from handlers.common import reply_for


async def on_coming(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    reply = await reply_for(update, context)
    d = reply.deps
    assert context.match is not None
    try:
        async with d.db.transaction() as session:
            await registration.acknowledge(
                session,
                event_id=int(context.match.group(1)),
                telegram_id=reply.user.id,
                now=d.now(),
            )
    except DomainError as exc:
        await reply.refuse(render.error(reply.tr, exc))
        return
    await reply.ack(render.coming(reply.tr))
    await reply.clear_buttons()


async def on_not_coming(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Same as cancelling in /my: the seat goes to the first in line."""
    reply = await reply_for(update, context)
    assert context.match is not None
    result = await cancel_registration(reply, int(context.match.group(1)))
    if result is None:
        return
    await reply.clear_buttons()
    await reply.send(render.cancelled(reply.tr, result.event, result.was))
