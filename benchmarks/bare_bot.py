"""The baseline of ``bench_updates.py``: a bare python-telegram-bot app, nothing else.

``/start`` sends a message with one button; pressing it answers the callback and edits the
message (what a registration tap costs a bot that does nothing but answer). Requests go
through ``AIORateLimiter`` (30 a second), updates are handled concurrently. No database,
no translations, no scheduler.

With a DATABASE_URL, the floor of the stack hromada-bot must be built on: the same bot with
SQLAlchemy's asyncio engine on that database (aiosqlite or asyncpg), connected before the
first poll, writing one row a tap (table ``bare_tap``, made beforehand: ``CREATE_TAPS``) in
a transaction of its own; on SQLite in WAL mode with one connection, so writers take turns
instead of retrying. Importing ``sqlalchemy.ext.asyncio`` imports the ORM too, used or not.

    python benchmarks/bare_bot.py BASE_URL TOKEN [DATABASE_URL]
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

CONCURRENT_UPDATES = 64  # as hromada-bot's MAX_CONCURRENT_UPDATES
# The stack's floor: its one table, made before the bot starts (as hromada-bot's schema
# is), and the row a tap writes.
CREATE_TAPS = "CREATE TABLE bare_tap (user_id BIGINT NOT NULL)"
INSERT_TAP = "INSERT INTO bare_tap (user_id) VALUES (:user_id)"


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


async def tap_and_write(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``tap``, with the tap written down (the stack's floor)."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    engine: AsyncEngine = context.bot_data["engine"]
    async with engine.begin() as connection:
        await connection.execute(context.bot_data["insert"], {"user_id": query.from_user.id})
    await query.edit_message_text("✅ Ви записані!\n\nЗахід")


def engine_for(url: str) -> AsyncEngine:
    """SQLAlchemy's asyncio engine as a careful bot sets it up (SQLite: WAL, one writer)."""
    from sqlalchemy import event
    from sqlalchemy.ext.asyncio import create_async_engine

    if not url.startswith("sqlite"):
        return create_async_engine(url)
    engine = create_async_engine(url, pool_size=1, max_overflow=0)

    @event.listens_for(engine.sync_engine, "connect")
    def _wal(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def build(base_url: str, token: str, database_url: str | None = None) -> Application:  # type: ignore[type-arg]
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .request(HTTPXRequest(connection_pool_size=CONCURRENT_UPDATES, read_timeout=15))
        .get_updates_request(HTTPXRequest(read_timeout=40))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(CONCURRENT_UPDATES)
    )
    if database_url is not None:

        async def connect(app: Application) -> None:  # type: ignore[type-arg]
            from sqlalchemy import text

            engine = engine_for(database_url)
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            app.bot_data.update(engine=engine, insert=text(INSERT_TAP))

        async def dispose(app: Application) -> None:  # type: ignore[type-arg]
            await app.bot_data["engine"].dispose()

        builder = builder.post_init(connect).post_shutdown(dispose)
    app = builder.build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(tap if database_url is None else tap_and_write))
    return app


if __name__ == "__main__":
    build(*sys.argv[1:4]).run_polling(
        allowed_updates=[Update.MESSAGE, Update.CALLBACK_QUERY], timeout=30
    )
