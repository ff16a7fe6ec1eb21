"""How the bot is doing, for its administrators: ``/status`` and ``hromada-bot status``."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import metadata
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from bot.deps import Health
from storage import heartbeat
from storage import status as figures


@dataclass(frozen=True)
class Status:
    version: str
    uptime: timedelta | None
    """None: asked from a shell, not from inside the running bot."""
    dialect: str
    revision: str | None
    database_bytes: int | None
    """The SQLite file (with its write-ahead log); None on PostgreSQL (or no file)."""
    queued: int
    failed: int
    held: int
    last_sent_at: datetime | None
    last_error_at: datetime | None
    last_error: tuple[str, str] | None
    """What went wrong, never whom: (DELIVERY, the kind of message Telegram did not take)
    or (UPDATE, the kind of error while answering someone)."""
    checked_at: datetime
    bot_started_at: datetime | None
    """When the bot that beat last started (any process on this database)."""
    bot_beat_at: datetime | None
    """Its last heartbeat; None: no bot has run against this database since 0014."""


DELIVERY = "delivery"
UPDATE = "update"


def version() -> str:
    try:
        return metadata.version("hromada-bot")
    except metadata.PackageNotFoundError:
        return "unknown"


def sqlite_size(url: str) -> int | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    if not Path(parsed.database).exists():
        return None
    total = 0
    for suffix in ("", "-wal"):
        path = Path(f"{parsed.database}{suffix}")
        if path.exists():
            total += path.stat().st_size
    return total


async def status(
    session: AsyncSession, *, database_url: str, health: Health | None, now: datetime
) -> Status:
    """The figures; ``health`` is the running bot's own (None: asked from a shell)."""
    counted = await figures.figures(session)
    last_error_at = counted.last_failure_at
    last_error = None
    if counted.last_failure_kind is not None:
        last_error = (DELIVERY, counted.last_failure_kind)
    inside = health.last_error_at if health is not None and health.last_error else None
    if (
        health is not None
        and inside is not None
        and (last_error_at is None or inside > last_error_at)
    ):
        last_error_at, last_error = inside, (UPDATE, str(health.last_error))
    return Status(
        version=version(),
        uptime=(timedelta(seconds=round(time.monotonic() - health.started)) if health else None),
        dialect=session.get_bind().dialect.name,
        revision=counted.revision,
        database_bytes=sqlite_size(database_url),
        queued=counted.queued,
        failed=counted.failed,
        held=counted.held,
        last_sent_at=counted.last_sent_at,
        last_error_at=last_error_at,
        last_error=last_error,
        checked_at=now,
        bot_started_at=counted.bot_started_at,
        bot_beat_at=counted.bot_beat_at,
    )


async def beat(
    session: AsyncSession, *, instance: str, started_at: datetime, now: datetime
) -> None:
    """The running bot's sign of life, for ``hromada-bot status`` in a shell."""
    await heartbeat.beat(session, instance=instance, started_at=started_at, now=now)
