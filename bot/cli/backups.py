"""``db backup`` and ``db restore``.

``storage.backup`` (sqlite3 with it) is imported when one of them runs: this module is
imported by every command, the bot on PostgreSQL among them."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.cli.common import EXIT_USAGE, CliError, open_deps
from bot.config import Config


def add_parsers(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    b = actions.add_parser(
        "backup",
        help="copy the database to a file (SQLite: a snapshot; PostgreSQL: pg_dump -Fc)",
    )
    b.add_argument(
        "file",
        nargs="?",
        type=Path,
        help="where to write (default: <name>-<UTC time>.sqlite3 or .dump in --dir, "
        "or next to the SQLite file, or here)",
    )
    b.add_argument("--dir", type=Path, help="folder for a backup with the default name")
    b.add_argument(
        "--keep", type=int, metavar="N", help="then delete all but the newest N in that folder"
    )
    r = actions.add_parser(
        "restore",
        help="replace the database with a backup (stop the bot first)",
    )
    r.add_argument("file", type=Path, help="a file made by 'db backup'")
    r.add_argument("--yes", action="store_true", help="yes, replace the configured database")


def dispatch(args: argparse.Namespace, config: Config) -> int:
    from storage.backup import BackupError  # noqa: PLC0415 - see the module's docstring

    try:
        if args.action == "backup":
            return _backup(args, config)
        return _restore(args, config)
    except BackupError as exc:
        raise CliError(str(exc)) from None


def _backup(args: argparse.Namespace, config: Config) -> int:
    from storage import backup  # noqa: PLC0415 - see the module's docstring

    url = config.database.url
    sqlite = backup.sqlite_file(url)
    if args.keep is not None and args.keep < 1:
        raise CliError("--keep: give a number of backups of at least 1", EXIT_USAGE)
    if args.file is not None and (args.dir is not None or args.keep is not None):
        raise CliError("give a FILE or --dir/--keep, not both", EXIT_USAGE)
    if sqlite is None and make_url(url).get_backend_name() == "sqlite":
        raise CliError("database: an in-memory database has nothing to back up")
    stem = sqlite.stem if sqlite is not None else str(make_url(url).database or "hromada")
    suffix = "sqlite3" if sqlite is not None else "dump"
    if args.file is not None:
        target: Path = args.file
    else:
        folder = args.dir or (sqlite.parent if sqlite is not None else Path.cwd())
        if not folder.is_dir():
            raise CliError(f"--dir: folder {folder} does not exist")
        target = folder / backup.backup_name(stem, suffix, datetime.now(UTC))
    if sqlite is not None:
        backup.backup_sqlite(sqlite, target)
    else:
        backup.pg_dump(url, target)
    print(f"backup written: {target}")
    if args.keep is not None:
        for old in backup.prune(target.parent, stem, suffix, args.keep):
            print(f"old backup deleted: {old}")
    return 0


def _restore(args: argparse.Namespace, config: Config) -> int:
    from storage import backup  # noqa: PLC0415 - see the module's docstring

    url = config.database.url
    sqlite = backup.sqlite_file(url)
    source: Path = args.file
    if not source.is_file():
        raise CliError(f"{source} does not exist")
    if not args.yes:
        raise CliError(
            f"this replaces everything in {config.database.safe_url} with {source}: "
            "stop the bot, then run again with --yes",
            EXIT_USAGE,
        )
    if sqlite is not None:
        if sqlite.exists() and sqlite.resolve() == source.resolve():
            raise CliError(f"{source} is the database itself")
        revision = backup.restore_sqlite(source, sqlite)
    else:
        revision = backup.pg_restore(url, source)
    asyncio.run(_migrate(config))
    print(f"restored {source} (schema {revision}) into {config.database.safe_url}")
    if sqlite is not None and (kept := sqlite.with_name(f"{sqlite.name}.before-restore")).exists():
        print(f"the database as it was before: {kept}")
    return 0


async def _migrate(config: Config) -> None:
    async with open_deps(config):
        pass
