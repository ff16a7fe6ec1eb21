"""News of new events: all, or some kinds or audiences; unsubscribe in one tap."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.domain.interests import Interests
from bot.services import announcements
from handlers import keyboards, render
from handlers.common import Reply, reply_for


async def on_subscriptions(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    reply = await reply_for(update, context)
    async with reply.deps.db.session() as session:
        interests = await announcements.subscription(session, reply.user.id)
    await _show(reply, interests)


async def cmd_subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await on_subscriptions(update, context)


async def on_subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    reply = await reply_for(update, context)
    d = reply.deps
    assert context.match is not None
    try:
        async with d.db.transaction() as session:
            interests = await announcements.choose(
                session,
                reply.user.id,
                context.match.group(1),
                known_kinds=[k.key for k in d.config.event_kinds],
                now=d.now(),
            )
    except ValueError:
        await reply.refuse(render.not_available(reply.tr))
        return
    await _show(reply, interests)


async def on_unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    reply = await reply_for(update, context)
    async with reply.deps.db.transaction() as session:
        await announcements.unsubscribe(session, reply.user.id)
    await reply.ack(render.unsubscribed(reply.tr))
    assert context.match is not None
    if context.match.group(1):  # pressed on the subscriptions screen
        await _show(reply, None)
    else:  # under an announcement
        await reply.clear_buttons()


async def _show(reply: Reply, interests: Interests | None) -> None:
    d = reply.deps
    async with d.db.session() as session:
        audiences = await announcements.audience_options(session, now=d.now(), interests=interests)
    await reply.show(
        render.subscriptions(reply.tr, interests),
        keyboards.subscriptions(d.config, reply.tr, interests, audiences),
    )
