"""``/summary`` (staff): the morning summary's setting, turned on or off with a button."""

from __future__ import annotations

from bot.services import summary
from handlers import callbacks
from handlers import summary_views as views
from handlers.common import Reply


async def cmd_summary(reply: Reply) -> None:
    on = await reply.read(summary.wanted, reply.user.id)
    await reply.show(views.setting(reply.tr, on), views.setting_buttons(reply.tr, on))


@callbacks.SUMMARY.handles
async def on_choice(reply: Reply, choice: str) -> None:
    on = await reply.write(summary.choose, reply.user.id, on=choice == "on", now=reply.deps.now())
    await reply.show(views.setting(reply.tr, on), views.setting_buttons(reply.tr, on))
