"""Engine and sessions: one session per update, one transaction per use case.

sqlite3, aiosqlite and SQLAlchemy's SQLite dialect (``storage.sqlite_driver``) are imported
where the database is SQLite: a bot on PostgreSQL would hold 1.7 MiB of them for nothing."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

SQLITE_BUSY_TIMEOUT_MS = 15_000
# How long an update's writer waits for this process's other updates' writers
# (Database.write_lock), then fails with the error SQLite's busy handler would give.
WRITE_LOCK_TIMEOUT_S = SQLITE_BUSY_TIMEOUT_MS / 1000
# After a checkpoint SQLite cuts a write-ahead log bigger than this back to this size,
# so a burst of writes does not leave a large file of old pages (old names among them).
SQLITE_JOURNAL_SIZE_LIMIT = 1024 * 1024
# How long a truncating checkpoint waits for other transactions: while it waits no one
# can write, so it gives up (and says so) rather than stall the bot for the busy timeout.
SQLITE_CHECKPOINT_WAIT_MS = 3_000

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

# Set on a connection to make its next BEGIN take SQLite's write lock at once.
_IMMEDIATE = "hromada_immediate"
# Set on a connection to emit no BEGIN at all: a checkpoint cannot run inside a transaction.
NO_BEGIN = "hromada_no_begin"
# In ``session.info``: what to run once the session's transaction is committed.
_AFTER_COMMIT = "hromada_after_commit"
# In ``session.info``: the earliest due time of what the transaction queued for the outbox.
_QUEUED = "hromada_queued"

AfterCommit = Callable[[AsyncSession], Awaitable[None]]


def _configure_sqlite(engine: AsyncEngine) -> None:
    """Make SQLite transactions real and writers wait instead of failing.

    Python's sqlite3 does not emit BEGIN before a SELECT, so a read-modify-write
    would not be isolated; we take over BEGIN ourselves. Writers use
    BEGIN IMMEDIATE so two of them never both read and then both write.
    """
    from storage import sqlite_driver  # noqa: PLC0415 - see the module's docstring

    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted rows (a /forget) are overwritten with zeros, not left in free space;
        # some builds have it on by default, ours must not depend on that.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute(f"PRAGMA journal_size_limit={SQLITE_JOURNAL_SIZE_LIMIT}")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        if options.get(NO_BEGIN, False):
            return
        begin = "BEGIN IMMEDIATE" if options.get(_IMMEDIATE, False) else "BEGIN"
        driver = conn.connection.driver_connection
        if isinstance(driver, sqlite_driver.OneTripConnection):
            driver.begin_with_next_statement(begin)  # saves a trip to its thread
        else:
            conn.exec_driver_sql(begin)


def after_commit(session: AsyncSession, action: AfterCommit) -> None:
    """Run ``action`` on the session once its current transaction is committed
    (:meth:`Unit.write`, :meth:`Database.transaction`); dropped if it is rolled back."""
    session.info.setdefault(_AFTER_COMMIT, []).append(action)


def note_queued(session: AsyncSession, due_at: datetime) -> None:
    """Say that this transaction queued messages, the first due at ``due_at``: once it
    commits, :class:`Unit`'s ``on_queued`` is told when (to wake the outbox if that is
    before its next look), instead of after every update."""
    earliest = session.info.get(_QUEUED)
    if earliest is None or due_at < earliest:
        session.info[_QUEUED] = due_at


async def _run_after_commit(session: AsyncSession) -> None:
    actions: list[AfterCommit] = session.info.pop(_AFTER_COMMIT, [])
    for action in actions:
        try:
            await action(session)
        except Exception:
            # The use case is committed and its answer due; a clean-up that failed
            # must not turn it into an error for the person.
            log.exception("after-commit action %s failed", getattr(action, "__name__", action))


async def long_reads(session: AsyncSession) -> None:
    """Say that the rest of this transaction may read for long (a year's report over a
    million registrations: 0.8 s). On SQLite its statements then go to the connection's
    thread, and other updates are answered meanwhile; see ``storage.sqlite_driver``."""
    if session.get_bind().dialect.name != "sqlite":
        return
    from storage import sqlite_driver  # noqa: PLC0415 - see the module's docstring

    connection = await session.connection()
    driver = (await connection.get_raw_connection()).driver_connection
    if isinstance(driver, sqlite_driver.OneTripConnection):
        driver.long_until_the_end()


async def truncate_wal(session: AsyncSession) -> None:
    """Copy SQLite's write-ahead log into the database file and cut the log to nothing,
    so the old versions of pages it held (a forgotten name, say) are gone from disk.

    Call it outside a transaction: a checkpoint cannot pass a snapshot that is still
    open, this session's own included. It waits up to ``SQLITE_CHECKPOINT_WAIT_MS`` for
    other connections' transactions to end. Nothing to do on PostgreSQL.
    """
    if session.get_bind().dialect.name != "sqlite":
        return
    assert not session.in_transaction(), "checkpoint inside a transaction"
    try:
        connection = await session.connection(execution_options={NO_BEGIN: True})
        await connection.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_CHECKPOINT_WAIT_MS}")
        try:
            result = await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            busy = result.scalar()
        finally:
            await connection.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    finally:
        await session.commit()  # emits no COMMIT to SQLite: nothing was begun
    if busy:
        # The rows are gone; their old pages stay in the log until later writes
        # overwrite them or a later checkpoint cuts the log back.
        log.warning("the write-ahead log could not be truncated: the database was busy")


async def _take(lock: asyncio.Lock) -> None:
    """Take the write lock, or fail as SQLite does when its busy timeout runs out (and
    as it did for this before): a writer never waits for ever."""
    try:
        async with asyncio.timeout(WRITE_LOCK_TIMEOUT_S):
            await lock.acquire()
    except TimeoutError:
        import sqlite3  # noqa: PLC0415 - the write lock is SQLite's; see the module's docstring

        locked = sqlite3.OperationalError("database is locked")
        raise OperationalError("BEGIN IMMEDIATE", None, locked) from None


class Database:
    """Owns the engine; hands out sessions for reading and transactions for writing."""

    def __init__(
        self, url: str, *, echo: bool = False, pool_size: int = 10, connections: int = 20
    ) -> None:
        """``connections``: the most open at once (``pool_size`` of them kept when idle).
        A bot gives as many as it has updates, outbox lanes and jobs at work at once: an
        update that waited for a connection past the pool's timeout would fail."""
        self.url = url
        # hide_parameters: a failed statement's text must not carry names and phones into logs.
        kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
        parsed = make_url(url)
        shared = parsed.database in (None, "", ":memory:")  # one connection for everyone
        if not shared:
            kwargs.update(
                pool_size=min(pool_size, connections),
                max_overflow=max(0, connections - pool_size),
            )
        if url.startswith("postgresql"):
            kwargs.update(pool_pre_ping=True)
        elif parsed.drivername == "sqlite+aiosqlite" and not shared:
            from storage import sqlite_driver  # noqa: PLC0415 - see the module's docstring

            # Not for a shared connection: sessions take turns on it, not transactions.
            kwargs.update(async_creator=sqlite_driver.connector(parsed))
        self.engine = create_async_engine(url, **kwargs)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        if self.is_sqlite:
            _configure_sqlite(self.engine)
            writer = self.engine.execution_options(**{_IMMEDIATE: True})
        else:
            writer = self.engine
        self._reader = async_sessionmaker(self.engine, expire_on_commit=False)
        self._writer = async_sessionmaker(writer, expire_on_commit=False)
        self._write_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock]
        self._write_locks = weakref.WeakKeyDictionary()

    def write_lock(self) -> asyncio.Lock | None:
        """On SQLite, the lock that updates' writers (:class:`Unit`) take before a connection.

        SQLite lets one writer in at a time. Writers that queued for its lock inside
        ``BEGIN IMMEDIATE`` would each hold a pooled connection (and its thread) while
        they wait, and SQLite's busy handler lets them in by polling with growing sleeps,
        not in turn. Queued here instead, in turn, they hold nothing while they wait. The
        few other writers (:meth:`transaction`: the outbox, CLI commands, other processes)
        still meet them at SQLite's lock.
        None on PostgreSQL, whose writers go side by side.
        """
        if not self.is_sqlite:
            return None
        loop = asyncio.get_running_loop()
        lock = self._write_locks.get(loop)
        if lock is None:
            lock = self._write_locks[loop] = asyncio.Lock()
        return lock

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A read-only unit of work; whatever it did is rolled back when it closes."""
        async with self._reader() as session:
            yield session

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A writing unit of work: committed on success, rolled back on error."""
        # Not behind write_lock: its callers are few (the outbox's lanes, CLI commands,
        # the demo) and may nest one in another, as a test does; SQLite's busy handler
        # orders them and the updates' writers.
        async with self._writer() as session:
            async with session.begin():
                yield session
            await _run_after_commit(session)

    def unit(self, *, on_queued: Callable[[datetime], None] | None = None) -> Unit:
        """The one session of an update (or of a CLI command); see :class:`Unit`."""
        return Unit(self._reader(), write_lock=self.write_lock(), on_queued=on_queued)

    async def dispose(self) -> None:
        await self.engine.dispose()


class Unit:
    """One session for one update: reads share it, and each use case that writes runs
    in one transaction of it, committed when the use case returns.

    On SQLite a read transaction cannot safely turn into a writing one (its snapshot may
    be stale, and the lock upgrade fails at once instead of waiting), so a write ends an
    open read first and then takes the write lock with ``BEGIN IMMEDIATE``. An update
    known to write can take that lock before its first read (:meth:`begin_writing`), so
    that its look-ups and its use case share one transaction.
    """

    def __init__(
        self,
        session: AsyncSession,
        *,
        write_lock: asyncio.Lock | None,
        on_queued: Callable[[datetime], None] | None = None,
    ) -> None:
        """``write_lock``: SQLite's (:meth:`Database.write_lock`), None on PostgreSQL."""
        self._session = session
        self._write_lock = write_lock
        self._writing = False
        # Called after a commit that queued messages, with the first one's due time (see
        # note_queued): wakes the outbox when that comes before its next look.
        self._on_queued = on_queued

    async def read(
        self,
        query: Callable[Concatenate[AsyncSession, P], Awaitable[T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run a read-only query in the current transaction."""
        return await query(self._session, *args, **kwargs)

    async def write(
        self,
        use_case: Callable[Concatenate[AsyncSession, P], Awaitable[T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run one use case in one transaction and commit it; roll back on any error."""
        await self.begin_writing()
        try:
            result = await use_case(self._session, *args, **kwargs)
            await self._session.commit()
        except BaseException:
            self._session.info.pop(_AFTER_COMMIT, None)
            self._session.info.pop(_QUEUED, None)
            await self._session.rollback()
            raise
        finally:
            self._end_writing()
        due = self._session.info.pop(_QUEUED, None)
        if due is not None and self._on_queued is not None:
            self._on_queued(due)
        await _run_after_commit(self._session)
        return result

    async def begin_writing(self) -> None:
        """Start the writing transaction now (reads until the next write share it): on
        SQLite this process's write lock is taken here and SQLite's own with the next
        statement, which is sent with its BEGIN IMMEDIATE."""
        if self._writing:
            return
        session = self._session
        lock = self._write_lock
        if lock is not None:  # SQLite
            if session.in_transaction():
                await session.commit()  # end the read snapshot, and give its connection back
            await _take(lock)
        self._writing = True
        try:
            if not session.in_transaction():
                await session.connection(execution_options={_IMMEDIATE: True})
        except BaseException:
            self._end_writing()
            raise

    def _end_writing(self) -> None:
        if self._writing and self._write_lock is not None:
            self._write_lock.release()
        self._writing = False

    async def release(self) -> None:
        """End a read left open, giving its connection back to the pool: called before
        waiting on the messenger, which can take long (its limits, its outages) while
        other updates and the outbox need connections. The next read opens a new one."""
        if not self._writing and self._session.in_transaction():
            await self._session.commit()  # nothing to write: only ends the transaction

    async def close(self) -> None:
        """Give the connection back; a read or a write left open is rolled back."""
        try:
            await self._session.close()
        finally:
            self._end_writing()
