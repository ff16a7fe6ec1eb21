"""The last line: an error in a handler is logged and the person gets a polite word."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import NetworkError, TelegramError
from telegram.ext import ContextTypes

from handlers import render
from handlers.common import deps

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log what failed without personal data (no names, no message texts) and apologise."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, NetworkError):
        log.warning("network error while handling update %s: %s", update_id, type(error).__name__)
    else:
        log.error(
            "error while handling update %s",
            update_id,
            exc_info=(type(error), error, error.__traceback__) if error else None,
        )
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        tr = deps(context).catalogs.get(None)
        user = update.effective_user
        if user is not None:
            tr = deps(context).catalogs.for_telegram(user.language_code)
        if update.callback_query is not None:
            await update.callback_query.answer(render.internal_error(tr), show_alert=True)
        else:
            await context.bot.send_message(update.effective_chat.id, render.internal_error(tr))
    except TelegramError:
        log.warning("could not apologise for update %s", update_id)
