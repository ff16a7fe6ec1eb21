"""Blocked or unblocked: Telegram tells the bot with a my_chat_member update."""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.ext import ContextTypes

from bot.services import people
from handlers.common import deps


async def on_my_chat_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    d = deps(context)
    status = change.new_chat_member.status
    async with d.db.transaction() as session:
        if status == ChatMember.BANNED:
            await people.blocked_bot(session, change.from_user.id, now=d.now())
        elif status == ChatMember.MEMBER:
            await people.returned(session, change.from_user.id)
    d.poke()  # what was held back for them can go now
