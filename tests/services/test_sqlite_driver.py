"""SQLite statements go to aiosqlite's thread in one trip, and only where they may wait;
they behave as through aiosqlite."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from storage import database
from storage.database import Database, long_reads, truncate_wal
from storage.sqlite_driver import OneTripConnection


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}")
    async with database.transaction() as session:
        await session.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"))
    yield database
    await database.dispose()


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every function sent to a connection's thread."""
    sent: list[object] = []
    original = aiosqlite.Connection._execute

    async def counting(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append(fn)
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counting)
    return sent


async def test_a_statement_that_may_wait_is_one_trip_to_the_thread_and_others_none(
    db: Database, trips: list[object]
) -> None:
    async with db.transaction() as session:
        rows = (await session.execute(text("SELECT :a, :b"), {"a": 1, "b": "два"})).all()
        assert len(trips) == 1  # with BEGIN IMMEDIATE, which waits for other writers
        await session.execute(text("INSERT INTO t (name) VALUES ('a')"))
        await session.execute(text("SELECT name FROM t"))
        assert len(trips) == 1  # the write lock is held: nothing to wait for
    assert len(trips) == 2  # the COMMIT writes the log
    assert rows == [(1, "два")]

    trips.clear()
    async with db.session() as session:  # a read: in WAL mode it waits for no one
        assert (await session.execute(text("SELECT name FROM t"))).scalars().all() == ["a"]
    assert trips == []
    async with db.engine.connect() as connection:
        raw = await connection.get_raw_connection()
        assert isinstance(raw.driver_connection, OneTripConnection)


async def test_rows_counts_and_ids_come_back_as_from_sqlite(db: Database) -> None:
    async with db.transaction() as session:
        inserted = await session.execute(text("INSERT INTO t (name) VALUES ('a')"))
        assert inserted.lastrowid == 1
        both = await session.execute(
            text("INSERT INTO t (name) VALUES (:name)"), [{"name": "b"}, {"name": "c"}]
        )
        assert both.rowcount == 2
        updated = await session.execute(text("UPDATE t SET name = name || '!' WHERE id > 1"))
        assert updated.rowcount == 2
        returned = await session.execute(
            text("UPDATE t SET name = 'z' WHERE id = 3 RETURNING id, name")
        )
        assert returned.all() == [(3, "z")]
        many = await session.execute(text("SELECT id, name FROM t ORDER BY id"))
        assert many.fetchone() == (1, "a")
        assert many.fetchmany(5) == [(2, "b!"), (3, "z")]
        assert many.fetchone() is None


async def test_errors_are_sqlites_own_and_the_transaction_rolls_back(db: Database) -> None:
    with pytest.raises(IntegrityError, match=r"UNIQUE constraint failed: t\.name"):
        async with db.transaction() as session:
            await session.execute(text("INSERT INTO t (name) VALUES ('a'), ('b')"))
            await session.execute(text("INSERT INTO t (name) VALUES ('a')"))
    async with db.session() as session:
        assert (await session.execute(text("SELECT count(*) FROM t"))).scalar_one() == 0


async def test_a_transaction_that_never_began_costs_nothing_to_end(
    db: Database, trips: list[object]
) -> None:
    async with db.session():
        pass  # a read that ran nothing
    unit = db.unit()
    await unit.begin_writing()
    await unit.close()  # a write that ran nothing
    assert trips == []


async def test_a_writer_waiting_for_another_leaves_the_event_loop_free(db: Database) -> None:
    """BEGIN IMMEDIATE waits in the connection's thread: run in the event loop's, it
    would stop everything, the writer it waits for too, until SQLite's busy timeout."""
    entered, leave = asyncio.Event(), asyncio.Event()

    async def outbox_like() -> None:
        async with db.transaction() as session:
            await session.execute(text("INSERT INTO t (name) VALUES ('first')"))
            entered.set()
            await leave.wait()

    async def insert(session: AsyncSession) -> None:
        await session.execute(text("INSERT INTO t (name) VALUES ('second')"))

    async def update_like() -> None:
        unit = db.unit()
        try:
            await unit.write(insert)
        finally:
            await unit.close()

    holder = asyncio.create_task(outbox_like())
    await entered.wait()
    writer = asyncio.create_task(update_like())
    await asyncio.sleep(0.1)  # the writer waits in BEGIN IMMEDIATE
    started = time.monotonic()
    await asyncio.sleep(0.01)
    assert time.monotonic() - started < 1
    leave.set()
    async with asyncio.timeout(10):
        await asyncio.gather(holder, writer)
    async with db.session() as session:
        names = (await session.execute(text("SELECT name FROM t ORDER BY id"))).scalars()
        assert list(names) == ["first", "second"]


async def test_a_checkpoint_waits_for_this_processs_readers_without_stopping_them(
    tmp_path: Path, db: Database
) -> None:
    """Run in the event loop's thread, the checkpoint would stop the reader it waits for."""
    async with db.transaction() as session:
        await session.execute(text("INSERT INTO t (name) VALUES ('a')"))
    wal = tmp_path / "x.sqlite3-wal"
    assert wal.stat().st_size > 0
    reading = asyncio.Event()

    async def reader() -> None:
        async with db.session() as session:
            await session.execute(text("SELECT count(*) FROM t"))  # a snapshot
            reading.set()
            await asyncio.sleep(0.3)

    task = asyncio.create_task(reader())
    await reading.wait()
    async with db.session() as session:
        await truncate_wal(session)  # waits up to 3 s for the reader's 0.3 s
    await task
    assert wal.stat().st_size == 0


class _Rollback(Exception):
    pass


async def test_a_begin_that_failed_is_sent_again_with_the_next_statement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A statement after a BEGIN that failed (the lock busy) must not run outside a
    transaction, where a rollback cannot take it back."""
    monkeypatch.setattr(database, "SQLITE_BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "x.sqlite3"
    db = Database(f"sqlite+aiosqlite:///{path}")
    async with db.transaction() as session:
        await session.execute(text("CREATE TABLE t (name TEXT)"))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    with pytest.raises(_Rollback):
        async with db.transaction() as session:
            with pytest.raises(OperationalError, match="database is locked"):
                await session.execute(text("INSERT INTO t VALUES ('x')"))
            holder.execute("COMMIT")
            await session.execute(text("INSERT INTO t VALUES ('y')"))
            raise _Rollback
    holder.close()
    async with db.session() as session:
        assert (await session.execute(text("SELECT count(*) FROM t"))).scalar_one() == 0
    await db.dispose()


async def test_an_in_memory_database_shares_one_plain_aiosqlite_connection() -> None:
    """Sessions take turns on its one connection: a BEGIN put off for one of them must
    not be sent with another's statement."""
    db = Database("sqlite+aiosqlite:///:memory:")
    async with db.engine.connect() as connection:
        raw = await connection.get_raw_connection()
        assert not isinstance(raw.driver_connection, OneTripConnection)
    async with db.transaction() as session:
        await session.execute(text("CREATE TABLE t (name TEXT)"))
        await session.execute(text("INSERT INTO t VALUES ('a')"))
    async with db.session() as session:
        assert (await session.execute(text("SELECT name FROM t"))).scalars().all() == ["a"]
    await db.dispose()


_COUNT_TO_MANY = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) "
    "SELECT count(*) FROM c"
)


async def test_a_long_read_leaves_the_event_loop_free(db: Database, trips: list[object]) -> None:
    """A report over a large year reads for a second: in the event loop's thread it
    would keep every other update waiting."""
    gaps: list[float] = []

    async def ticking() -> None:
        while True:
            before = time.monotonic()
            await asyncio.sleep(0.01)
            gaps.append(time.monotonic() - before)

    ticker = asyncio.create_task(ticking())
    await asyncio.sleep(0.05)
    try:
        async with db.session() as session:
            await long_reads(session)
            started = time.monotonic()
            assert (await session.execute(text(_COUNT_TO_MANY))).scalar_one() == 3000000
            took = time.monotonic() - started
    finally:
        ticker.cancel()
    assert took > 0.2, f"the count took {took:.2f} s: too quick to tell"
    assert max(gaps) < took / 2  # the loop went on while SQLite counted
    trips.clear()
    async with db.session() as session:
        await session.execute(text("SELECT 1"))
    assert trips == []  # the next transaction reads in the event loop's thread again
