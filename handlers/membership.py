"""Blocked or unblocked: Telegram tells the bot with a my_chat_member update."""

from __future__ import annotations

from telegram import ChatMember

from bot.services import people
from handlers.common import Reply


async def on_my_chat_member(reply: Reply) -> None:
    change = reply.update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    d = reply.deps
    status = change.new_chat_member.status
    if status == ChatMember.BANNED:
        await reply.write(people.blocked_bot, change.from_user.id, now=d.now())
    elif status == ChatMember.MEMBER:
        await reply.write(people.returned, change.from_user.id)
    d.poke()  # what was held back for them can go now
