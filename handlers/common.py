"""What every handler needs: its dependencies and one way to answer the person."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from telegram import (
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
    User,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.deps import Deps
from bot.i18n import Translator
from bot.services import people
from handlers import keyboards

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


def deps(context: ContextTypes.DEFAULT_TYPE) -> Deps:
    result = context.bot_data["deps"]
    assert isinstance(result, Deps)
    return result


def today(d: Deps) -> date:
    """The library's date now (what staff mean by "today" in a typed date)."""
    return d.now().astimezone(d.config.library.timezone).date()


@dataclass
class Reply:
    """Answers for one update, in the person's language.

    A button press must be answered exactly once (Telegram shows a spinner until then,
    and refuses a second answer); this keeps count.
    """

    update: Update
    context: ContextTypes.DEFAULT_TYPE
    deps: Deps
    user: User
    tr: Translator
    answered: bool = False

    @property
    def chat_id(self) -> int:
        chat = self.update.effective_chat
        assert chat is not None
        return chat.id

    async def ack(self, text: str | None = None) -> None:
        """Stop the button's spinner, with an optional pop-up text."""
        query = self.update.callback_query
        if query is not None and not self.answered:
            self.answered = True
            await query.answer(text, show_alert=text is not None)

    async def send(self, text: str, markup: Markup | None = None) -> None:
        await self.ack()
        await self.context.bot.send_message(
            self.chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup
        )

    async def show(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        """Redraw the message a button belongs to, or send a new one for a command."""
        query = self.update.callback_query
        if query is None or not isinstance(query.message, Message):
            await self.send(text, markup)
            return
        await self.ack()
        try:
            await query.message.edit_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
        except BadRequest as exc:
            # Pressing the same button twice redraws the same content; that is fine.
            if "not modified" not in exc.message:
                raise

    async def clear_buttons(self) -> None:
        """Take the buttons off the message that was pressed (they have done their job)."""
        query = self.update.callback_query
        if query is None or not isinstance(query.message, Message):
            return
        await self.ack()
        try:
            await query.message.edit_reply_markup(reply_markup=None)
        except BadRequest as exc:
            if "not modified" not in exc.message:
                raise

    async def refuse(self, text: str) -> None:
        """Explain briefly why not: a pop-up on a button, else a message with the menu."""
        if self.update.callback_query is not None and not self.answered:
            await self.ack(text)
        else:
            await self.send(text, keyboards.main_menu(self.tr))


async def reply_for(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Reply:
    d = deps(context)
    user = update.effective_user
    assert user is not None  # every handler is registered for private chats only
    tr, unreachable = await d.look_up(user)
    if unreachable:
        # Writing to the bot again means they can be reached: send what is still due.
        async with d.db.transaction() as session:
            await people.returned(session, user.id)
        d.poke()
    return Reply(update, context, d, user, tr)
