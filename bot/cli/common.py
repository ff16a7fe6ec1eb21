"""What the commands share: errors, the database, a bot for sending."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from telegram.error import InvalidToken, NetworkError
from telegram.ext import AIORateLimiter, ExtBot

from bot.config import Config
from bot.deps import Deps
from bot.i18n import Catalogs
from storage import migrate
from storage.database import Database

EXIT_USAGE = 2


class CliError(Exception):
    """A problem to print as one line before exiting with ``code``."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def database_problem(exc: SQLAlchemyError) -> str:
    """The driver's own first line ("database "x" does not exist"), without SQL or values."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    text = str(original).strip().splitlines()
    return f"database: {text[0] if text else type(original).__name__}"


@asynccontextmanager
async def open_deps(config: Config) -> AsyncIterator[Deps]:
    """The database (migrated) and catalogs, as the bot has them."""
    check_sqlite_folder(config.database.url)
    db = Database(config.database.url)
    try:
        try:
            await migrate.upgrade(db)
        except OSError as exc:
            raise CliError(f"database: cannot connect: {exc.strerror or exc}") from None
        yield Deps(config=config, db=db, catalogs=Catalogs(config.library.default_language))
    finally:
        await db.dispose()


def check_sqlite_folder(url: str) -> None:
    """SQLite creates the file but not its folder; say so before the driver fails obscurely."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return
    folder = Path(parsed.database).parent
    if not folder.is_dir():
        raise CliError(f"database: unable to open database file: folder {folder} does not exist")


@asynccontextmanager
async def sending_bot(config: Config) -> AsyncIterator[ExtBot[Any]]:
    """A bot that has asked Telegram who it is (a refused token or an unreachable API is
    one line) and paces itself like the running one."""
    token = config.require_token().get()
    bot: ExtBot[Any] = ExtBot(
        token,
        base_url=config.telegram.api_base_url,
        base_file_url=config.telegram.api_file_url,
        rate_limiter=AIORateLimiter(max_retries=3),
    )
    with telegram_problems(config):
        await bot.initialize()
    try:
        yield bot
    finally:
        await bot.shutdown()


@contextmanager
def telegram_problems(config: Config) -> Iterator[None]:
    """A refused token or an unreachable Bot API while asking who we are, as one line."""
    try:
        yield
    except InvalidToken:
        raise CliError("telegram.token: Telegram refused the token", EXIT_USAGE) from None
    except NetworkError as exc:
        raise CliError(
            f"cannot reach the Bot API at {config.telegram.api_base_url}: {exc.message}"
        ) from None
