"""Long-lived services shared by every handler, built once in ``post_init``."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Config
from bot.i18n import Catalogs
from storage.database import Database, Unit

__all__ = ["Deps", "Health", "Unit", "utc_now"]

P = ParamSpec("P")
T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Health:
    """What ``/status`` tells of this process: when it started, its last error."""

    started: float = field(default_factory=time.monotonic)
    started_at: datetime = field(default_factory=utc_now)  # what the heartbeat row says
    last_error_at: datetime | None = None
    last_error: str | None = None
    """The kind of error (its class), never what a person said or who they are."""

    def note_error(self, at: datetime, what: str) -> None:
        self.last_error_at, self.last_error = at, what


@dataclass
class Deps:
    config: Config
    db: Database
    catalogs: Catalogs
    clock: Callable[[], datetime] = field(default=utc_now)
    # Wakes the outbox after a change queued messages; set by the application.
    poke: Callable[[], None] = field(default=lambda: None)
    health: Health = field(default_factory=Health)

    def now(self) -> datetime:
        return self.clock()

    async def read(
        self,
        query: Callable[Concatenate[AsyncSession, P], Awaitable[T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """A one-off query outside any update (a job, the start-up)."""
        unit = self.unit()
        try:
            return await unit.read(query, *args, **kwargs)
        finally:
            await unit.close()

    async def write(
        self,
        use_case: Callable[Concatenate[AsyncSession, P], Awaitable[T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """A one-off use case outside any update (a job), in one committed transaction."""
        unit = self.unit()
        try:
            return await unit.write(use_case, *args, **kwargs)
        finally:
            await unit.close()

    def unit(self) -> Unit:
        """A new session for one update or command (see ``storage.database.Unit``)."""
        return self.db.unit(on_queued=self.queued)

    def queued(self, due_at: datetime) -> None:
        """A committed use case queued messages, the first due at ``due_at``: wake the
        outbox if that comes before its next sweep (which looks at everything queued).

        A registration's reminders, due hours or days later, wake nothing: under a burst
        of taps each wake-up would be an outbox pass (a claim, a look at the next due
        time) competing with the registrations for the database."""
        if due_at <= self.now() + self.config.reminders.sweep_interval:
            self.poke()

    def kinds(self) -> dict[str, str]:
        """Spellings of event kinds a CSV may use (key or name, any language) -> key."""
        result: dict[str, str] = {}
        for kind in self.config.event_kinds:
            result[kind.key] = kind.key
            for name in kind.names.values():
                result[name.casefold()] = kind.key
        return result
