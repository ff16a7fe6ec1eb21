"""A printable A4 poster of an event with a QR code: the event's own, or its door code."""

from __future__ import annotations

import asyncio

from bot.services.places import where
from bot.services.records import Event
from handlers.common import Reply
from handlers.render import kind_name, when


async def draw(reply: Reply, event: Event, *, link: str, call_to_action: str) -> bytes:
    """The PNG, drawn off the event loop (a fraction of a second of CPU)."""
    from bot.exports import poster  # noqa: PLC0415  (drawing libraries: loaded when first used)

    d = reply.deps
    text = poster.PosterText(
        library=d.config.library.name,
        title=event.title,
        kind=kind_name(d.config, reply.tr, event.kind),
        when=when(reply.tr, event, d.config.library.timezone),
        place=where(d.config, event, reply.tr.language).line,
        link=link,
        call_to_action=call_to_action,
    )
    return await asyncio.to_thread(poster.render, text)
