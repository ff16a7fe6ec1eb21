"""The baseline of ``bench_updates.py``: a bare python-telegram-bot app, nothing else.

``/start`` sends a message with one button; pressing it answers the callback and edits the
message (what a registration tap costs a bot that does nothing but answer). Requests go
through ``AIORateLimiter`` (30 a second), updates are handled concurrently. No database,
no translations, no scheduler.

    python benchmarks/bare_bot.py BASE_URL TOKEN
"""

from __future__ import annotations

import sys

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)
from telegram.request import HTTPXRequest

CONCURRENT_UPDATES = 64  # as hromada-bot's MAX_CONCURRENT_UPDATES


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None
    button = InlineKeyboardButton("Записатися", callback_data="reg:1")
    await context.bot.send_message(
        update.effective_chat.id, "Захід", reply_markup=InlineKeyboardMarkup([[button]])
    )


async def tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text("✅ Ви записані!\n\nЗахід")


def build(base_url: str, token: str) -> Application:  # type: ignore[type-arg]
    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .request(HTTPXRequest(connection_pool_size=CONCURRENT_UPDATES, read_timeout=15))
        .get_updates_request(HTTPXRequest(read_timeout=40))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(CONCURRENT_UPDATES)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(tap))
    return app


if __name__ == "__main__":
    build(sys.argv[1], sys.argv[2]).run_polling(
        allowed_updates=[Update.MESSAGE, Update.CALLBACK_QUERY], timeout=30
    )
