"""``hromada-bot status``: the figures ``/status`` shows administrators, for a shell."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.cli.common import CliError, check_sqlite_folder
from bot.config import Config
from bot.services import status
from storage.database import Database


def dispatch(config: Config) -> int:
    print(render(asyncio.run(gather(config)), config.library.timezone))
    return 0


async def gather(config: Config) -> status.Status:
    """Read only: the database is not migrated or created by asking how it is."""
    check_sqlite_folder(config.database.url)
    url = config.database.url
    if config.database.is_sqlite and status.sqlite_size(url) is None and ":memory:" not in url:
        raise CliError(f"database: no database at {config.database.safe_url} yet")
    db = Database(url)
    try:
        async with db.session() as session:
            return await status.status(session, database_url=url, health=None)
    finally:
        await db.dispose()


def _when(value: datetime | None, tz: ZoneInfo) -> str:
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z") if value else "never"


def render(s: status.Status, tz: ZoneInfo) -> str:
    database = f"{s.dialect}, schema {s.revision or '-'}"
    if s.database_bytes is not None:
        database += f", {s.database_bytes / 1_000_000:.1f} MB"
    if s.last_error is None:
        error = "none"
    else:
        source, what = s.last_error
        text = (
            f"a message ({what}) could not be delivered"
            if source == status.DELIVERY
            else f"an error while answering ({what})"
        )
        error = f"{_when(s.last_error_at, tz)}: {text}"
    lines = [
        f"version: {s.version}",
        "uptime: not running inside a bot (ask /status in Telegram for the bot's own)",
        f"database: {database}",
        f"messages queued: {s.queued}",
        f"messages failed: {s.failed}",
        f"held for people who blocked the bot: {s.held}",
        f"last message sent: {_when(s.last_sent_at, tz)}",
        f"last error: {error}",
    ]
    return "\n".join(lines)
