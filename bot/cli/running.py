"""Running the bot, the demo, and migrations.

The bot's handlers bring matplotlib, openpyxl and Pillow (about a second to import): they
are imported when the bot or the demo runs, not for every command, e.g. a cron job's
``outbox send``."""

from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot import ratelimit
from bot.cli.common import (
    EXIT_USAGE,
    CliError,
    check_sqlite_folder,
    open_deps,
    sending_bot,
    telegram_problems,
)
from bot.config import Config
from bot.deps import Deps
from bot.entry_point import collector_paused
from storage import migrate
from storage.database import Database

if TYPE_CHECKING:
    from telegram.ext import Application

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
    check_sqlite_folder(config.database.url)
    app = application(config, token=token)
    asyncio.run(_poll(app))
    return 0


def application(config: Config, *, token: str) -> Application:  # type: ignore[type-arg]
    """The bot's handlers imported and its application built as the command line's
    modules were (bot.entry_point): with the cyclic collector paused, then frozen."""
    with collector_paused():
        from bot.app import build_application  # noqa: PLC0415

        return build_application(config, token=token)


async def _poll(app: Application) -> None:  # type: ignore[type-arg]
    """Migrate, ask Telegram who we are, poll until SIGTERM or SIGINT: in one event loop,
    with the application's own database and bot (no second engine, no second getMe)."""
    from bot.app import POLL_TIMEOUT, start, stop  # noqa: PLC0415

    deps: Deps = app.bot_data["deps"]
    try:
        try:
            await migrate.upgrade(deps.db)
        except OSError as exc:
            raise CliError(f"database: cannot connect: {exc.strerror or exc}") from None
        with telegram_problems(deps.config), ratelimit.once():
            await app.initialize()  # getMe; start() below finds it done
        log.info("connected to the Bot API as @%s", app.bot.username)
    except BaseException:
        await deps.db.dispose()
        raise
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stopping.set)
    log.info("starting the bot for %s", deps.config.library.name)
    await start(app, poll_timeout=POLL_TIMEOUT)  # its own database is disposed by stop()
    try:
        await stopping.wait()
    finally:
        await stop(app)


def webhook(
    config: Config, *, listen: str | None = None, port: int | None = None, url: str | None = None
) -> int:
    """``hromada-bot webhook``: as ``run``, but Telegram posts the updates to us."""
    from telegram.error import TelegramError  # noqa: PLC0415

    with collector_paused():  # aiohttp's server, as the bot's modules (application below)
        from bot.webhook import Listener, serve  # noqa: PLC0415

    hook = config.telegram.webhook
    if url is not None:
        if not url.startswith(("https://", "http://")):
            raise CliError(f"--url: expected an https:// URL, got {url!r}", EXIT_USAGE)
        hook = replace(hook, url=url)
        config = replace(config, telegram=replace(config.telegram, webhook=hook))
    public_url, secret = config.require_webhook()
    token = config.require_token().get()
    if token.split(":", 1)[-1] in public_url:
        raise CliError("--url: must not contain the bot token", EXIT_USAGE)
    asyncio.run(_check(config))
    listener = Listener(
        path=hook.serve_path,
        secret=secret.get(),
        host=listen or hook.listen,
        port=hook.port if port is None else port,
    )
    app = application(config, token=token)
    log.info("starting the bot for %s with a webhook", config.library.name)
    try:
        asyncio.run(serve(app, listener, url=public_url))
    except OSError as exc:
        raise CliError(
            f"cannot listen on {listener.host}:{listener.port}: {exc.strerror or exc}"
        ) from None
    except TelegramError as exc:
        raise CliError(
            f"telegram.webhook.url: Telegram refused the webhook: {exc.message}"
        ) from None
    return 0


async def _check(config: Config) -> None:
    """Migrate, and ask Telegram who we are, so a wrong token or address is one clear line
    (python-telegram-bot would print its retry loop's traceback first)."""
    async with open_deps(config):
        pass
    async with sending_bot(config) as bot:
        log.info("connected to the Bot API as @%s", bot.username)


def health(config: Config) -> int:
    """For a container's HEALTHCHECK or a monitor: the configuration loaded (else ``main``
    printed why) and the database answers. Migrates nothing and creates no file."""
    url = config.database.url
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        check_sqlite_folder(url)
        if not Path(parsed.database).is_file():
            raise CliError(f"unhealthy: database: file {parsed.database} does not exist")
    revision = asyncio.run(_ask_database(url))
    print(f"ok: database answers ({config.database.safe_url}, schema {revision or 'empty'})")
    return 0


async def _ask_database(url: str) -> str | None:
    db = Database(url)
    try:
        try:
            async with db.session() as session:
                await session.execute(text("SELECT 1"))
            return await migrate.current_revision(db)
        except OSError as exc:
            raise CliError(f"unhealthy: database: cannot connect: {exc.strerror or exc}") from None
    finally:
        await db.dispose()


def demo(config: Config) -> int:
    from bot.demo import run_demo  # noqa: PLC0415

    print(asyncio.run(run_demo(config)))
    return 0
