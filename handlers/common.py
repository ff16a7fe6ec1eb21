"""Small helpers every handler uses."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from bot.deps import Deps
from bot.services.registration import Promotion
from handlers import render

log = logging.getLogger(__name__)


def deps(context: ContextTypes.DEFAULT_TYPE) -> Deps:
    result = context.bot_data["deps"]
    assert isinstance(result, Deps)
    return result


async def show(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Redraw the message a button belongs to, or send a new one for a command."""
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        try:
            await query.message.edit_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
        except BadRequest as exc:
            # Pressing the same button twice redraws the same content; that is fine.
            if "not modified" not in exc.message:
                raise
        return
    await send(update, context, text, markup)


async def send(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_message(chat.id, text, parse_mode=ParseMode.HTML, reply_markup=markup)


async def notify_promoted(
    context: ContextTypes.DEFAULT_TYPE, promotions: Sequence[Promotion]
) -> None:
    """Tell people who got a seat from the waiting list; one failure does not stop the rest."""
    d = deps(context)
    for promotion in promotions:
        person = promotion.person
        if person.telegram_id is None:
            continue
        tr = d.catalogs.get(person.language)
        try:
            await context.bot.send_message(
                person.telegram_id,
                render.promoted(d.config, tr, promotion.event),
                parse_mode=ParseMode.HTML,
            )
        except (Forbidden, BadRequest) as exc:
            log.warning(
                "promotion notice for event %s not delivered: %s", promotion.event.id, exc.message
            )
