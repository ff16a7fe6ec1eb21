"""News of new events: all, or some kinds or audiences; unsubscribe in one tap."""

from __future__ import annotations

from bot.domain.interests import Interests
from bot.services import announcements
from handlers import callbacks, keyboards, render
from handlers.common import Reply


@callbacks.SUBSCRIPTIONS.handles
async def show_subscriptions(reply: Reply) -> None:
    await _show(reply, await reply.read(announcements.subscription, reply.user.id))


@callbacks.SUBSCRIBE.handles
async def on_subscribe(reply: Reply, choice: str) -> None:
    d = reply.deps
    try:
        interests = await reply.write(
            announcements.choose,
            reply.user.id,
            choice,
            known_kinds=[k.key for k in d.config.event_kinds],
            known_branches=[b.key for b in d.config.branches],
            now=d.now(),
        )
    except ValueError:
        await reply.refuse(render.not_available(reply.tr))
        return
    await _show(reply, interests)


@callbacks.UNSUBSCRIBE_ON_SCREEN.handles
async def on_unsubscribe_on_screen(reply: Reply) -> None:
    await reply.write(announcements.unsubscribe, reply.user.id)
    await reply.ack(render.unsubscribed(reply.tr))
    await _show(reply, None)


@callbacks.UNSUBSCRIBE_HERE.handles
async def on_unsubscribe_here(reply: Reply) -> None:
    """Pressed under an announcement: the buttons go, the message stays."""
    await reply.write(announcements.unsubscribe, reply.user.id)
    await reply.ack(render.unsubscribed(reply.tr))
    await reply.clear_buttons()


async def _show(reply: Reply, interests: Interests | None) -> None:
    d = reply.deps
    audiences = await reply.read(announcements.audience_options, now=d.now(), interests=interests)
    await reply.show(
        render.subscriptions(reply.tr, interests, branches=bool(d.config.branches)),
        keyboards.subscriptions(d.config, reply.tr, interests, audiences),
    )
