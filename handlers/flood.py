"""The one notice a person gets when they send faster than the bot can answer."""

from __future__ import annotations

import logging

from telegram import Bot, Update
from telegram.error import TelegramError

from bot.i18n import Catalogs, Translator

log = logging.getLogger(__name__)


def flood_notice(tr: Translator) -> str:
    return tr.gettext(
        "You are sending messages faster than I can answer, so I skipped some. "
        "Please wait a moment, then tap or write again."
    )


async def tell_flooder(bot: Bot, catalogs: Catalogs, update: Update) -> None:
    """Best effort: the notice goes through the same per-chat pacing as every reply."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return
    # No database look-up for someone flooding: their Telegram app's language will do.
    tr = catalogs.for_telegram(user.language_code if user else None)
    try:
        await bot.send_message(chat.id, flood_notice(tr))
    except TelegramError as exc:
        log.info("flood notice not sent: %s", exc.message)
