"""The ``hromada-bot`` command. Every failure is one line naming the problem, never a traceback."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.app import ALLOWED_UPDATES, POLL_TIMEOUT, build_application
from bot.config import Config, ConfigError, load_config
from bot.demo import run_demo
from bot.deps import Deps, utc_now
from bot.domain.event_import import EventImportError
from bot.i18n import Catalogs
from bot.import_texts import describe
from bot.logs import setup_logging
from bot.services.importer import import_csv
from storage import migrate
from storage.database import Database

log = logging.getLogger("hromada")

DEFAULT_CONFIG = "config.toml"
EXIT_USAGE = 2


class CliError(Exception):
    """A problem to print as one line before exiting with ``code``."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="hromada-bot",
        description="Telegram bot for a library's free trainings: sign-up, reminders, reports.",
    )
    p.add_argument(
        "--config",
        type=Path,
        help=f"configuration file (default: $HROMADA_CONFIG or ./{DEFAULT_CONFIG})",
    )
    commands = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("run", help="run the bot (long polling); applies migrations first")
    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="apply pending migrations")
    events = commands.add_parser("events", help="manage events")
    events_commands = events.add_subparsers(dest="events_command", required=True, metavar="ACTION")
    importing = events_commands.add_parser("import", help="import events from a CSV file")
    importing.add_argument(
        "file", type=Path, help="UTF-8 CSV with the header " + "title,kind,starts_at,..."
    )
    commands.add_parser("demo", help="play a sample conversation against a local Telegram emulator")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    explicit = args.config or os.environ.get("HROMADA_CONFIG")
    config_path = Path(explicit or DEFAULT_CONFIG)
    try:
        # Without a config file the defaults apply, so the demo and a BOT_TOKEN-only
        # deployment work; a file named explicitly must exist.
        config = load_config(config_path, missing_ok=not explicit)
        quiet = args.command in ("demo", "events", "db") or (
            args.command == "run" and config.telegram.token is None
        )
        setup_logging(
            level=_log_level("WARNING" if quiet else "INFO"),
            secrets=[config.telegram.token.get()] if config.telegram.token else [],
        )
        return _dispatch(args, config, config_path_given=bool(explicit) or config_path.exists())
    except ConfigError as exc:
        print(f"hromada-bot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except CliError as exc:
        print(f"hromada-bot: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130


def _log_level(default: str) -> int:
    name = os.environ.get("HROMADA_LOG_LEVEL", default).upper()
    levels = logging.getLevelNamesMapping()
    if name not in levels:
        raise CliError(f"HROMADA_LOG_LEVEL: unknown level {name!r}; use DEBUG, INFO or WARNING", 2)
    return levels[name]


def _dispatch(args: argparse.Namespace, config: Config, *, config_path_given: bool) -> int:
    if args.command == "run":
        if config.telegram.token is None and not config_path_given:
            print(
                "No config.toml and no BOT_TOKEN: playing the demo instead. "
                "Copy config.example.toml to config.toml and set telegram.token to run for real.",
                file=sys.stderr,
            )
            return _demo(config)
        return _run(config)
    if args.command == "db":
        asyncio.run(_upgrade(config))
        print("database is up to date")
        return 0
    if args.command == "events":
        try:
            data = args.file.read_bytes()
        except OSError as exc:
            raise CliError(f"{args.file}: {exc.strerror or exc}") from None
        return asyncio.run(_import(config, args.file, data))
    if args.command == "demo":
        return _demo(config)
    raise CliError(f"unknown command {args.command}", EXIT_USAGE)


async def _upgrade(config: Config) -> None:
    db = Database(config.database.url)
    try:
        await migrate.upgrade(db)
    except OSError as exc:
        raise CliError(f"database: cannot connect: {exc.strerror or exc}") from None
    finally:
        await db.dispose()


def _run(config: Config) -> int:
    token = config.require_token().get()
    asyncio.run(_upgrade(config))
    app = build_application(config, token=token)
    log.info("starting the bot for %s", config.library.name)
    try:
        app.run_polling(allowed_updates=ALLOWED_UPDATES, timeout=POLL_TIMEOUT)
    except InvalidToken:
        raise CliError("telegram.token: Telegram refused the token", EXIT_USAGE) from None
    except NetworkError as exc:
        raise CliError(
            f"cannot reach the Bot API at {config.telegram.api_base_url}: {exc.message}"
        ) from None
    return 0


async def _import(config: Config, file: Path, data: bytes) -> int:
    catalogs = Catalogs(config.library.default_language)
    tr = catalogs.get(None)
    db = Database(config.database.url)
    deps = Deps(config=config, db=db, catalogs=catalogs)
    try:
        await migrate.upgrade(db)
        async with db.transaction() as session:
            created = await import_csv(
                session, data, kinds=deps.kinds(), tz=config.library.timezone, now=utc_now()
            )
    except EventImportError as exc:
        for problem in exc.problems:
            print(f"{file}: {describe(tr, problem)}", file=sys.stderr)
        nothing = tr.gettext("nothing was imported")
        print(f"{file}: {nothing}", file=sys.stderr)
        return 1
    finally:
        await db.dispose()
    username = await _bot_username(config)
    for event in created:
        link = f"https://t.me/{username or '<bot username>'}?start=event_{event.id}"
        print(f"{event.id}\t{event.title}\t{link}")
    if username is None:
        print("(set telegram.token to print the bot's real links)", file=sys.stderr)
    return 0


async def _bot_username(config: Config) -> str | None:
    if config.telegram.token is None:
        return None
    bot = Bot(config.telegram.token.get(), base_url=config.telegram.api_base_url)
    try:
        async with bot:
            return bot.username
    except TelegramError as exc:
        log.warning("could not ask Telegram for the bot's name: %s", exc.message)
        return None


def _demo(config: Config) -> int:
    print(asyncio.run(run_demo(config)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
