"""The last line: an error in a handler is logged and the person gets a polite word."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import ContextTypes

from bot.services import visitors
from handlers import render
from handlers.common import deps

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log what failed without personal data (no names, no texts) and apologise."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if error is not None:  # for /status: the kind of error only, never what was said
        d = deps(context)
        d.health.note_error(d.now(), type(error).__name__)
    if isinstance(error, BadRequest):
        # Our own mistake (markup, length, an edit): Telegram's reason has no personal data.
        log.error("Telegram refused a request for update %s: %s", update_id, error.message)
    elif isinstance(error, NetworkError) and update is None:
        # Polling failed (Telegram down or unreachable); it goes on by itself.
        log.warning("could not fetch updates from Telegram: %s", error.message)
    elif isinstance(error, NetworkError):
        log.warning("network error while handling update %s: %s", update_id, error.message)
    else:
        log.error(
            "error while handling update %s",
            update_id,
            exc_info=(type(error), error, error.__traceback__) if error else None,
        )
    if isinstance(update, Update) and update.effective_chat is not None:
        await _apologise(update, context)


async def _apologise(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None
    d = deps(context)
    user = update.effective_user
    tr = d.catalogs.for_telegram(user.language_code if user else None)
    if user is not None:
        try:
            visitor = await d.read(visitors.identify, user.id)
        except Exception:
            log.debug("language lookup failed while apologising")
        else:
            if visitor.language:
                tr = d.catalogs.get(visitor.language)
    text = render.internal_error(tr)
    if update.callback_query is not None:
        try:
            await update.callback_query.answer(text, show_alert=True)
            return
        except TelegramError:
            pass  # already answered before the failure: say it in the chat instead
    try:
        await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError as exc:
        log.warning("could not apologise for update %s: %s", update.update_id, exc.message)
