"""aiosqlite connections whose statements cost at most one trip to the connection's thread.

SQLAlchemy's aiosqlite adapter runs a statement as four awaited calls, each a trip to
aiosqlite's worker thread and back through the event loop: open a cursor, execute,
fetch all rows, close the cursor. A trip costs about 80 µs of CPU on these machines,
more than SQLite takes for most of our statements (``benchmarks/bench_updates.py``).
Here the four happen at once: the statement's rows, description, row count and last row
id come back together, which is what SQLAlchemy does with them anyway (it buffers every
result of a non-streaming cursor; a streaming one gets them buffered too). That happens
in the thread only where SQLite may make the statement wait (:class:`OneTripConnection`),
else in the event loop's thread. The errors are sqlite3's, as through aiosqlite.

Written against SQLAlchemy 2.1's adapter and aiosqlite 0.22 (``pyproject.toml`` pins
both): it uses aiosqlite's ``_execute``, ``_conn`` and ``_connection``.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.engine import URL

_BEGIN_WRITING = "BEGIN IMMEDIATE"
# Statements that wait for other connections: in the thread (``PRAGMA wal_checkpoint``
# waits for readers, ``storage.database.truncate_wal``).
_WAITS = ("PRAGMA wal_checkpoint",)

Row = tuple[Any, ...]
_Outcome = tuple[Any, int, int | None, list[Row]]


class BeginFailedError(Exception):
    """Raised in the thread when the BEGIN sent with a statement failed (``__cause__``)."""


def _begin(connection: sqlite3.Connection, begin: str | None) -> None:
    if begin is None:
        return
    try:
        connection.execute(begin)
    except sqlite3.Error as exc:
        raise BeginFailedError(begin) from exc


def _run(connection: sqlite3.Connection, sql: str, parameters: Any, begin: str | None) -> _Outcome:
    _begin(connection, begin)
    cursor = connection.cursor()
    try:
        cursor.execute(sql, parameters)
        rows = cursor.fetchall() if cursor.description else []
        return cursor.description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


def _run_many(
    connection: sqlite3.Connection, sql: str, parameters: Iterable[Any], begin: str | None
) -> _Outcome:
    _begin(connection, begin)
    cursor = connection.cursor()
    try:
        cursor.executemany(sql, parameters)
        return cursor.description, cursor.rowcount, cursor.lastrowid, []
    finally:
        cursor.close()


class OneTripCursor:
    """What SQLAlchemy's adapter asks of an aiosqlite cursor, with the results already here."""

    __slots__ = ("_connection", "_rows", "arraysize", "description", "lastrowid", "rowcount")

    def __init__(self, connection: OneTripConnection) -> None:
        self._connection = connection
        self._rows: deque[Row] = deque()
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self.arraysize = 1

    async def __aenter__(self) -> OneTripCursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def execute(self, sql: str, parameters: Any = ()) -> OneTripCursor:
        outcome = await self._connection.run(_run, sql, parameters)
        self._keep(outcome)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> OneTripCursor:
        outcome = await self._connection.run(_run_many, sql, list(parameters))
        self._keep(outcome)
        return self

    def _keep(self, outcome: _Outcome) -> None:
        self.description, self.rowcount, self.lastrowid, rows = outcome
        self._rows = deque(rows)

    async def fetchall(self) -> list[Row]:
        rows = list(self._rows)
        self._rows.clear()
        return rows

    async def fetchone(self) -> Row | None:
        return self._rows.popleft() if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Row]:
        count = min(self.arraysize if size is None else size, len(self._rows))
        return [self._rows.popleft() for _ in range(count)]

    async def close(self) -> None:
        self._rows.clear()


class OneTripConnection(aiosqlite.Connection):
    """An aiosqlite connection whose cursors are :class:`OneTripCursor`, and which goes
    to its thread only where SQLite may make it wait.

    A trip to the thread costs more CPU than most statements take, and a statement that
    cannot wait may as well run in the event loop's thread: a read (in WAL mode readers
    never wait for writers) and a statement of a write transaction that holds the write
    lock already. To the thread go, as aiosqlite would send them: BEGIN IMMEDIATE, which
    waits for another connection's writer; a checkpoint, which waits for readers; a write
    transaction's COMMIT, which writes the log and may copy it into the database file;
    and every statement of a transaction said to read for long
    (:func:`storage.database.long_reads`: the report). A deferred transaction that
    writes (the migrations, at start) may wait inline for another process's writer, up
    to the busy timeout. BEGIN goes with the first statement, and ending a transaction
    that never began (SQLAlchemy's reset of a connection given back to its pool, a read
    that ran nothing) is not sent at all.
    """

    _begin: str | None = None  # BEGIN to run before the next statement
    _writing = False  # the transaction began with BEGIN IMMEDIATE
    _long = False  # the transaction's statements may take long: all go to the thread

    def cursor(self) -> OneTripCursor:  # type: ignore[override]
        return OneTripCursor(self)

    def begin_with_next_statement(self, begin: str) -> None:
        """``begin`` ("BEGIN", "BEGIN IMMEDIATE") runs in the next statement's trip."""
        self._begin = begin
        self._writing = begin == _BEGIN_WRITING

    def long_until_the_end(self) -> None:
        """The rest of this transaction goes to the thread (a report over a year: other
        updates are answered while SQLite counts)."""
        self._long = True

    async def run(self, function: Callable[..., _Outcome], sql: str, parameters: Any) -> _Outcome:
        """``function(sqlite3 connection, sql, parameters, begin)``, ``begin`` being the
        BEGIN still to run, if any: in the event loop's thread if it cannot wait."""
        begin, self._begin = self._begin, None
        try:
            if self._long or begin == _BEGIN_WRITING or sql.startswith(_WAITS):
                return await self._execute(  # type: ignore[no-untyped-call,no-any-return]
                    lambda: function(self._conn, sql, parameters, begin)
                )
            return function(self._conn, sql, parameters, begin)
        except BeginFailedError as failed:
            # Still to begin: a statement after this error must not run outside a
            # transaction, and the error is BEGIN's own (the lock, say), as before.
            self._begin = begin
            cause = failed.__cause__
            assert cause is not None
            raise cause from None

    def _idle(self) -> bool:
        """No transaction to end. Read from this thread: with no statement in flight
        (SQLAlchemy sends a connection's calls one at a time) the worker thread is idle."""
        begun, self._begin = self._begin, None
        return begun is not None or self._connection is None or not self._connection.in_transaction

    async def commit(self) -> None:
        await self._end("commit")

    async def rollback(self) -> None:
        await self._end("rollback")

    async def _end(self, how: str) -> None:
        """COMMIT or ROLLBACK: a write's in the thread (a COMMIT writes the log), a read's
        here (it only lets go of its snapshot), none for a transaction never begun."""
        writing, self._writing, self._long = self._writing, False, False
        if self._idle():
            return
        end = getattr(self._conn, how)
        if writing:
            await self._execute(end)  # type: ignore[no-untyped-call]
        else:
            end()


def connector(url: URL) -> Callable[[], OneTripConnection]:
    """For ``create_async_engine(async_creator=...)``: a new connection to ``url``'s
    database, opened with the arguments SQLAlchemy's own aiosqlite dialect would use."""
    arguments, options = SQLiteDialect_aiosqlite().create_connect_args(url)

    def connect() -> OneTripConnection:
        connection = OneTripConnection(partial(sqlite3.connect, *arguments, **options), 64)
        connection._thread.daemon = True  # as SQLAlchemy does: a lost one must not hang exit
        return connection

    return connect
