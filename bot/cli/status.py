"""``hromada-bot status``: the figures ``/status`` shows administrators, for a shell."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.cli.common import CliError, check_sqlite_folder
from bot.config import Config
from bot.domain.heartbeat import alive
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
            return await status.status(
                session, database_url=url, health=None, now=datetime.now(UTC)
            )
    finally:
        await db.dispose()


def _when(value: datetime | None, tz: ZoneInfo) -> str:
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z") if value else "never"


def span(value: timedelta) -> str:
    """``3 h 12 min``, ``2 d 0 h 5 min``, ``40 s`` (under a minute)."""
    seconds = max(int(value.total_seconds()), 0)
    if seconds < 60:
        return f"{seconds} s"
    days, rest = divmod(seconds // 60, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h {minutes} min"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def running(s: status.Status) -> str:
    """Whether a bot runs against this database, from its heartbeat."""
    if s.bot_beat_at is None or s.bot_started_at is None:
        return "no bot has beaten yet (none has run against this database)"
    since = span(s.checked_at - s.bot_beat_at)
    if alive(s.bot_beat_at, s.checked_at):
        return f"running for {span(s.checked_at - s.bot_started_at)} (beat {since} ago)"
    return f"no bot has beaten for {since}"


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
        f"bot: {running(s)}",
        f"database: {database}",
        f"messages queued: {s.queued}",
        f"messages failed: {s.failed}",
        f"held for people who blocked the bot: {s.held}",
        f"last message sent: {_when(s.last_sent_at, tz)}",
        f"last error: {error}",
    ]
    return "\n".join(lines)
