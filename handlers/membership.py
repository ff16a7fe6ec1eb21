"""Blocked or unblocked: Telegram tells the bot with a my_chat_member update."""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.ext import ContextTypes

from handlers.common import deps
from storage import people


async def on_my_chat_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    d = deps(context)
    async with d.db.transaction() as session:
        person = await people.by_telegram_id(session, change.from_user.id)
        if person is None:
            return
        if change.new_chat_member.status == ChatMember.BANNED:
            await people.mark_unreachable(session, person.id, now=d.now())
        elif change.new_chat_member.status == ChatMember.MEMBER:
            await people.mark_reachable(session, change.from_user.id)
    d.poke()
