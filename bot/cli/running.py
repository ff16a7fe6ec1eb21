"""Running the bot, the demo, and migrations.

The bot's handlers bring matplotlib, openpyxl and Pillow (about a second to import): they
are imported when the bot or the demo runs, not for every command, e.g. a cron job's
``outbox send``."""

from __future__ import annotations

import asyncio
import logging

from bot.cli.common import open_deps, sending_bot
from bot.config import Config

log = logging.getLogger("hromada")


def upgrade(config: Config) -> int:
    async def _upgrade() -> None:
        async with open_deps(config):
            pass

    asyncio.run(_upgrade())
    print(f"database is up to date: {config.database.safe_url}")
    return 0


def run(config: Config) -> int:
    from bot.app import ALLOWED_UPDATES, POLL_TIMEOUT, build_application  # noqa: PLC0415

    token = config.require_token().get()
    asyncio.run(_check(config))
    app = build_application(config, token=token)
    log.info("starting the bot for %s", config.library.name)
    app.run_polling(allowed_updates=ALLOWED_UPDATES, timeout=POLL_TIMEOUT)
    return 0


async def _check(config: Config) -> None:
    """Migrate, and ask Telegram who we are, so a wrong token or address is one clear line
    (python-telegram-bot would print its retry loop's traceback first)."""
    async with open_deps(config):
        pass
    async with sending_bot(config) as bot:
        log.info("connected to the Bot API as @%s", bot.username)


def demo(config: Config) -> int:
    from bot.demo import run_demo  # noqa: PLC0415

    print(asyncio.run(run_demo(config)))
    return 0
