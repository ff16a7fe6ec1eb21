"""Checking in at the door: residents scan the event's door QR code (a /start deep link);
staff get the printable code from the event's card and can replace it."""

from __future__ import annotations

import asyncio

from bot.domain.door import PREFIX
from bot.services import door
from bot.services.door import AskCategory, CheckedIn, DoorCodeInvalidError
from handlers import callbacks
from handlers import door_views as views
from handlers.common import Reply
from handlers.render import kind_name, when


async def check_in(reply: Reply, token: str, category: str | None = None) -> None:
    d = reply.deps
    try:
        result = await reply.write(
            door.check_in,
            token=token,
            telegram_id=reply.user.id,
            categories=[c.key for c in d.config.categories],
            now=d.now(),
            category=category,
        )
    except DoorCodeInvalidError:
        await reply.show(views.invalid(reply.tr))
        return
    if isinstance(result, CheckedIn):
        await reply.show(views.checked_in(reply.tr, result))
    elif isinstance(result, AskCategory):
        await reply.show(
            views.category_question(reply.tr, result),
            views.categories(d.config, reply.tr, result.token),
        )
    else:
        await reply.show(views.not_open(d.config, reply.tr, result))


@callbacks.DOOR_CATEGORY.handles
async def on_category(reply: Reply, token: str, category: str) -> None:
    await check_in(reply, token, category)


@callbacks.DOOR_CODE.handles
async def on_door_code(reply: Reply, event_id: int) -> None:
    await _send_code(reply, event_id, replace=False)


@callbacks.NEW_DOOR_CODE.handles
async def on_new_door_code(reply: Reply, event_id: int) -> None:
    await _send_code(reply, event_id, replace=True)


async def _send_code(reply: Reply, event_id: int, *, replace: bool) -> None:
    from bot.exports import poster  # noqa: PLC0415  (drawing libraries: loaded when first used)

    d = reply.deps
    code = await reply.write(door.door_code, event_id=event_id, replace=replace, now=d.now())
    await reply.ack()
    event = code.event
    text = poster.PosterText(
        library=d.config.library.name,
        title=event.title,
        kind=kind_name(d.config, reply.tr, event.kind),
        when=when(reply.tr, event, d.config.library.timezone),
        place=event.place,
        link=reply.deep_link(PREFIX + code.token),
        call_to_action=views.call_to_action(reply.tr),
    )
    png = await asyncio.to_thread(poster.render, text)  # a fraction of a second of CPU
    await reply.send_file(
        png,
        f"event-{event_id}-door.png",
        views.code_caption(d.config, reply.tr, code, replaced=replace),
        markup=views.code_buttons(reply.tr, event_id),
    )
