"""The ``hromada-bot`` command. Every failure is one line naming the problem, never a traceback."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot.cli import backups, events, outbox, programs, report, running, status
from bot.cli.common import EXIT_USAGE, CliError, database_problem
from bot.config import Config, ConfigError, load_config
from bot.logs import setup_logging

DEFAULT_CONFIG = "config.toml"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="hromada-bot",
        description="Telegram bot for a library's free trainings: sign-up and reminders.",
    )
    p.add_argument(
        "--config",
        type=Path,
        help=f"configuration file (default: $HROMADA_CONFIG or ./{DEFAULT_CONFIG})",
    )
    commands = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("run", help="run the bot (long polling); applies migrations first")
    hook = commands.add_parser(
        "webhook",
        help="run the bot with a webhook (Telegram posts updates here); applies migrations first",
    )
    hook.add_argument(
        "--listen", metavar="ADDRESS", help="address to listen on (default 127.0.0.1)"
    )
    hook.add_argument("--port", type=_port, help="port to listen on (default 8080)")
    hook.add_argument("--url", help="the public https:// URL Telegram posts to")
    commands.add_parser(
        "health", help="exit 0 if the configuration loads and the database answers, else 1"
    )
    db = commands.add_parser("db", help="database maintenance")
    db_actions = db.add_subparsers(dest="action", required=True, metavar="ACTION")
    db_actions.add_parser("upgrade", help="apply pending migrations")
    backups.add_parsers(db_actions)
    events.add_parser(commands)
    outbox.add_parser(commands)
    programs.add_parser(commands)
    report.add_parser(commands)
    commands.add_parser("status", help="version, database, the queue of messages, the last error")
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
        quiet = args.command not in ("run", "webhook") or config.telegram.token is None
        setup_logging(
            level=_log_level("WARNING" if quiet else "INFO"),
            secrets=[
                secret.get()
                for secret in (config.telegram.token, config.telegram.webhook.secret)
                if secret is not None
            ],
        )
        return _dispatch(args, config, config_file_exists=bool(explicit) or config_path.exists())
    except ConfigError as exc:
        print(f"hromada-bot: {exc}", file=sys.stderr)
        # A container's HEALTHCHECK knows 0 and 1 only.
        return 1 if args.command == "health" else EXIT_USAGE
    except CliError as exc:
        print(f"hromada-bot: {exc}", file=sys.stderr)
        return exc.code
    except SQLAlchemyError as exc:
        print(f"hromada-bot: {database_problem(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"expected a port number from 1 to 65535, got {text!r}")
    return int(text)


def _log_level(default: str) -> int:
    name = os.environ.get("HROMADA_LOG_LEVEL", default).upper()
    levels = logging.getLevelNamesMapping()
    if name not in levels:
        raise CliError(f"HROMADA_LOG_LEVEL: unknown level {name!r}; use DEBUG, INFO or WARNING", 2)
    return levels[name]


def _dispatch(args: argparse.Namespace, config: Config, *, config_file_exists: bool) -> int:
    if args.command == "run":
        if config.telegram.token is None and not config_file_exists:
            print(
                "No config.toml and no BOT_TOKEN: playing the demo instead. "
                "Copy config.example.toml to config.toml and set telegram.token to run for real.",
                file=sys.stderr,
            )
            return running.demo(config)
        return running.run(config)
    if args.command == "webhook":
        return running.webhook(config, listen=args.listen, port=args.port, url=args.url)
    if args.command == "health":
        return running.health(config)
    if args.command == "db":
        if args.action != "upgrade":
            return backups.dispatch(args, config)
        return running.upgrade(config)
    if args.command == "events":
        return events.dispatch(args, config)
    if args.command == "programs":
        return programs.dispatch(args, config)
    if args.command == "outbox":
        return outbox.dispatch(args, config)
    if args.command == "report":
        return report.dispatch(args, config)
    if args.command == "status":
        return status.dispatch(config)
    if args.command == "demo":
        return running.demo(config)
    raise CliError(f"unknown command {args.command}", EXIT_USAGE)


if __name__ == "__main__":
    sys.exit(main())
