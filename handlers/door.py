"""Checking in at the door: residents scan the event's door QR code (a /start deep link);
staff get the printable code from the event's card and can replace it."""

from __future__ import annotations

from bot.domain.door import PREFIX
from bot.services import door
from bot.services.door import AskCategory, CheckedIn, DoorCodeInvalidError
from handlers import callbacks, posters
from handlers import door_views as views
from handlers.common import Reply


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
    d = reply.deps
    code = await reply.write(door.door_code, event_id=event_id, replace=replace, now=d.now())
    await reply.ack()
    png = await posters.draw(
        reply,
        code.event,
        link=reply.deep_link(PREFIX + code.token),
        call_to_action=views.call_to_action(reply.tr),
    )
    await reply.send_file(
        png,
        f"event-{event_id}-door.png",
        views.code_caption(d.config, reply.tr, code, replaced=replace),
        markup=views.code_buttons(reply.tr, event_id),
    )
