"""SQLAlchemy's aiosqlite adapter, with one hand-over to aiosqlite's thread a statement.

aiosqlite runs SQLite in a thread of its own; SQLAlchemy's adapter hands each statement
over to it three or four times (make a cursor, execute, fetch the rows, close the cursor),
and every hand-over wakes both threads. Here a statement is one hand-over: the cursor is
made, executed, read and closed in the thread, and what the adapter asks afterwards
(description, rowcount, lastrowid, the rows) is what that returned. Server-side cursors
(never used by the bot) stay SQLAlchemy's own.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Sequence
from threading import Thread
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_


class _Cursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ("_arraysize", "_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: Any) -> None:  # no aiosqlite cursor is made
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._arraysize = 1

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    async def _async_soft_close(self) -> None:
        """Nothing is open: the statement's cursor was closed in the thread."""

    def close(self) -> None:
        self._rows.clear()

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        connection: sqlite3.Connection = self._connection._conn

        def run() -> tuple[Any, list[Any] | None, int, int | None]:
            cursor = connection.cursor()
            try:
                if parameters is None:
                    cursor.execute(operation)
                else:
                    cursor.execute(operation, parameters)
                description = cursor.description
                rows = cursor.fetchall() if description else None
                return description, rows, cursor.rowcount, cursor.lastrowid
            finally:
                cursor.close()

        async with self._adapt_connection._execute_mutex:
            description, rows, rowcount, lastrowid = await self._connection._execute(run)
        self._description, self._rowcount, self._lastrowid = description, rowcount, lastrowid
        if rows is not None:
            self._rows = collections.deque(rows)
        return None

    async def _executemany_async(self, operation: Any, seq_of_parameters: Sequence[Any]) -> Any:
        connection: sqlite3.Connection = self._connection._conn

        def run() -> tuple[int, int | None]:
            cursor = connection.cursor()
            try:
                cursor.executemany(operation, seq_of_parameters)
                return cursor.rowcount, cursor.lastrowid
            finally:
                cursor.close()

        async with self._adapt_connection._execute_mutex:
            self._rowcount, self._lastrowid = await self._connection._execute(run)
        self._description = None
        return None


class _Connection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = _Cursor


class _DBAPI(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> _Connection:
        """As SQLAlchemy's adapter connects, with this module's connection."""
        creator = kw.pop("async_creator_fn", None)
        if creator is not None:
            connection = creator(*arg, **kw)
        else:
            connection = self.aiosqlite.connect(*arg, **kw)
            # aiosqlite runs a thread: a daemon one, as SQLAlchemy's adapter makes it.
            if isinstance(connection, Thread):
                connection.daemon = True
            else:
                connection._thread.daemon = True
        return _Connection(self, await_(connection))


def dbapi() -> AsyncAdapt_aiosqlite_dbapi:
    """The module to give ``create_async_engine(module=…)`` for ``sqlite+aiosqlite``."""
    return _DBAPI(aiosqlite, sqlite3)
