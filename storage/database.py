"""Engine and sessions: one session per update, one transaction per use case."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

SQLITE_BUSY_TIMEOUT_MS = 15_000

# Set on a connection to make its next BEGIN take SQLite's write lock at once.
_IMMEDIATE = "hromada_immediate"


def _configure_sqlite(engine: AsyncEngine) -> None:
    """Make SQLite transactions real and writers wait instead of failing.

    Python's sqlite3 does not emit BEGIN before a SELECT, so a read-modify-write
    would not be isolated; we take over BEGIN ourselves. Writers use
    BEGIN IMMEDIATE so two of them never both read and then both write.
    """
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """Owns the engine; hands out sessions for reading and transactions for writing."""

    def __init__(self, url: str, *, echo: bool = False, pool_size: int = 10) -> None:
        self.url = url
        # hide_parameters: a failed statement's text must not carry names and phones into logs.
        kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
        if url.startswith("postgresql"):
            kwargs.update(pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
        self.engine = create_async_engine(url, **kwargs)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        if self.is_sqlite:
            _configure_sqlite(self.engine)
            writer = self.engine.execution_options(**{_IMMEDIATE: True})
        else:
            writer = self.engine
        self._reader = async_sessionmaker(self.engine, expire_on_commit=False)
        self._writer = async_sessionmaker(writer, expire_on_commit=False)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A read-only unit of work; whatever it did is rolled back when it closes."""
        async with self._reader() as session:
            yield session

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A writing unit of work: committed on success, rolled back on error."""
        async with self._writer() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
