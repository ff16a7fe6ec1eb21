"""``/summary`` (staff): the morning summary's setting, turned on or off with a button;
and the summary's buttons, which answer in a new message and leave the summary be."""

from __future__ import annotations

from bot.services import summary
from handlers import attendance, callbacks, staff_events
from handlers import summary_views as views
from handlers.common import Reply


async def cmd_summary(reply: Reply) -> None:
    on = await reply.read(summary.wanted, reply.user.id)
    await reply.show(views.setting(reply.tr, on), views.setting_buttons(reply.tr, on))


@callbacks.SUMMARY.handles
async def on_choice(reply: Reply, choice: str) -> None:
    on = await reply.write(summary.choose, reply.user.id, on=choice == "on", now=reply.deps.now())
    await reply.show(views.setting(reply.tr, on), views.setting_buttons(reply.tr, on))


@callbacks.SUMMARY_ATTENDANCE.handles
async def on_attendance(reply: Reply, event_id: int) -> None:
    reply.keep_pressed()
    await attendance.show(reply, event_id, 0)


@callbacks.SUMMARY_CARD.handles
async def on_card(reply: Reply, event_id: int) -> None:
    reply.keep_pressed()
    await staff_events.show_card(reply, event_id)
