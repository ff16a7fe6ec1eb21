"""Running the bot, the demo, and migrations."""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot
from telegram.error import InvalidToken, NetworkError

from bot.app import ALLOWED_UPDATES, POLL_TIMEOUT, build_application
from bot.cli.common import EXIT_USAGE, CliError, open_deps
from bot.config import Config
from bot.demo import run_demo

log = logging.getLogger("hromada")


def upgrade(config: Config) -> int:
    async def _upgrade() -> None:
        async with open_deps(config):
            pass

    asyncio.run(_upgrade())
    print(f"database is up to date: {config.database.safe_url}")
    return 0


def run(config: Config) -> int:
    token = config.require_token().get()
    asyncio.run(_check(config, token))
    app = build_application(config, token=token)
    log.info("starting the bot for %s", config.library.name)
    app.run_polling(allowed_updates=ALLOWED_UPDATES, timeout=POLL_TIMEOUT)
    return 0


async def _check(config: Config, token: str) -> None:
    """Migrate, and ask Telegram who we are, so a wrong token or address is one clear line
    (python-telegram-bot would print its retry loop's traceback first)."""
    async with open_deps(config):
        pass
    try:
        async with Bot(token, base_url=config.telegram.api_base_url) as bot:
            log.info("connected to the Bot API as @%s", bot.username)
    except InvalidToken:
        raise CliError("telegram.token: Telegram refused the token", EXIT_USAGE) from None
    except NetworkError as exc:
        raise CliError(
            f"cannot reach the Bot API at {config.telegram.api_base_url}: {exc.message}"
        ) from None


def demo(config: Config) -> int:
    print(asyncio.run(run_demo(config)))
    return 0
