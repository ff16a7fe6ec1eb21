"""The database is set up the way the registration rules rely on."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import MAX_CONCURRENT_UPDATES, build_application
from bot.config import Config
from bot.outbox.dispatcher import LANES
from storage import database, migrate, notifications
from storage.database import SQLITE_JOURNAL_SIZE_LIMIT, Database, after_commit, truncate_wal
from storage.models import Base
from tests.conftest import TEST_TOKEN
from tests.factories import make_event, make_person


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> Database:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}")
    await migrate.upgrade(db)
    return db


async def test_sqlite_connections_use_wal_and_foreign_keys(sqlite_db: Database) -> None:
    async with sqlite_db.session() as session:
        assert (await session.execute(text("PRAGMA journal_mode"))).scalar_one() == "wal"
        assert (await session.execute(text("PRAGMA foreign_keys"))).scalar_one() == 1
        assert (await session.execute(text("PRAGMA busy_timeout"))).scalar_one() >= 5000
    await sqlite_db.dispose()


async def test_sqlite_connections_overwrite_deleted_data_and_keep_the_log_small(
    sqlite_db: Database,
) -> None:
    async with sqlite_db.session() as session:
        assert (await session.execute(text("PRAGMA secure_delete"))).scalar_one() == 1
        limit = (await session.execute(text("PRAGMA journal_size_limit"))).scalar_one()
    assert limit == SQLITE_JOURNAL_SIZE_LIMIT
    await sqlite_db.dispose()


async def test_after_commit_runs_once_committed_and_never_after_a_rollback(
    sqlite_db: Database, tmp_path: Path
) -> None:
    seen: list[str] = []

    async def wal_size(session: AsyncSession) -> None:
        assert not session.in_transaction()
        seen.append(f"ran, wal {(tmp_path / 'x.sqlite3-wal').stat().st_size}")

    async def use_case(session: AsyncSession, *, fail: bool) -> None:
        after_commit(session, wal_size)
        after_commit(session, truncate_wal)
        after_commit(session, wal_size)
        await session.execute(
            text("INSERT INTO staff_dialog VALUES (1, 'x', '{}', '2026-01-01 00:00:00')")
        )
        if fail:
            raise RuntimeError("the use case failed")

    unit = sqlite_db.unit()
    with pytest.raises(RuntimeError):
        await unit.write(use_case, fail=True)
    assert seen == []
    await unit.write(use_case, fail=False)
    await unit.close()
    assert len(seen) == 2 and seen[0] != "ran, wal 0"
    assert seen[1] == "ran, wal 0"  # the checkpoint truncated the log
    await sqlite_db.dispose()


async def test_a_checkpoint_held_up_by_a_reader_gives_up_soon_and_says_so(
    sqlite_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(database, "SQLITE_CHECKPOINT_WAIT_MS", 50)
    reader = sqlite3.connect(tmp_path / "x.sqlite3", isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM event").fetchall()  # a snapshot older than the write
    async with sqlite_db.transaction() as session:
        await session.execute(
            text("INSERT INTO staff_dialog VALUES (1, 'x', '{}', '2026-01-01 00:00:00')")
        )
    async with sqlite_db.session() as session:
        await truncate_wal(session)
    reader.close()
    assert "could not be truncated" in caplog.text
    await sqlite_db.dispose()


async def test_sqlite_writers_take_the_lock_before_their_first_read(
    sqlite_db: Database, tmp_path: Path
) -> None:
    """A write transaction that only read so far already blocks other writers:
    that is what makes read-modify-write safe on SQLite."""
    async with sqlite_db.transaction() as session:
        await session.execute(text("SELECT count(*) FROM event"))
        other = sqlite3.connect(tmp_path / "x.sqlite3", timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    await sqlite_db.dispose()


async def test_readers_do_not_block_writers(sqlite_db: Database, tmp_path: Path) -> None:
    async with sqlite_db.session() as session:
        await session.execute(text("SELECT count(*) FROM event"))
        other = sqlite3.connect(tmp_path / "x.sqlite3", timeout=0, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        other.close()
    await sqlite_db.dispose()


async def test_migrations_match_the_models(db: Database) -> None:
    """Nothing in the models is missing from the migrations (autogenerate finds no change)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    def diff(connection: object) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})  # type: ignore[arg-type]
        return list(compare_metadata(context, Base.metadata))

    async with db.engine.connect() as conn:
        assert await conn.run_sync(diff) == []
    assert await migrate.current_revision(db) is not None


async def test_the_database_refuses_overbooking_by_itself(db: Database) -> None:
    """The check constraint is the last line of defence under any future bug."""
    from sqlalchemy.exc import IntegrityError

    async with db.engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO event (title, kind, starts_at, place, capacity, seats_taken, "
                "status, created_at) VALUES ('t', 'training', CURRENT_TIMESTAMP, 'p', 1, 1, "
                "'published', CURRENT_TIMESTAMP)"
            )
        )
    with pytest.raises(IntegrityError):
        async with db.engine.begin() as conn:
            await conn.execute(text("UPDATE event SET seats_taken = 2"))


async def test_a_committed_use_case_that_queued_messages_wakes_the_outbox_once(
    db: Database, now: datetime
) -> None:
    """The outbox is woken after a commit that queued something, not after every update,
    and told when the first queued message is due."""
    woken: list[datetime] = []
    event = await make_event(db, now=now)
    person = await make_person(db, 41, now=now)
    row = {
        "person_id": person.id,
        "event_id": event.id,
        "kind": "reminder",
        "variant": "24h",
        "due_at": now,
        "expires_at": event.starts_at,
        "created_at": now,
    }

    async def queue(session: AsyncSession) -> None:
        later = {**row, "variant": "2h", "due_at": now + timedelta(hours=22)}
        await notifications.enqueue(session, [later, row])

    async def read_only(session: AsyncSession) -> None:
        await notifications.next_due(session, now=now)

    async def queue_then_fail(session: AsyncSession) -> None:
        await notifications.enqueue(session, [{**row, "variant": "2h"}])
        raise RuntimeError("the use case failed")

    unit = db.unit(on_queued=woken.append)
    try:
        await unit.write(read_only)
        assert woken == []
        with pytest.raises(RuntimeError):
            await unit.write(queue_then_fail)
        assert woken == []  # rolled back: nothing to send
        await unit.write(queue)
        assert woken == [now]  # the earlier of the two
        await unit.write(read_only)
        assert woken == [now]
    finally:
        await unit.close()


async def test_the_bots_sqlite_database_has_a_connection_for_every_update_at_once(
    config: Config, database_url: str
) -> None:
    """Updates beyond the connections waited for one and, after the pool's 30 s, failed
    (bench_junk: 44 of 10,000 with 64 updates at work and 15 connections)."""
    if not config.database.is_sqlite:
        pytest.skip("on PostgreSQL connections are few and come back quickly")
    app = build_application(config, token=TEST_TOKEN)
    db = app.bot_data["deps"].db
    at_once = MAX_CONCURRENT_UPDATES + LANES
    holding = asyncio.Barrier(at_once + 1)

    async def hold() -> None:
        async with db.session() as session:
            await session.execute(text("SELECT 1"))
            await holding.wait()  # keeps its connection until every one has its own

    holders = [asyncio.create_task(hold()) for _ in range(at_once)]
    try:
        # Without enough connections the last ones wait for the pool: the barrier never fills.
        await asyncio.wait_for(holding.wait(), timeout=20)
    finally:
        for task in holders:
            task.cancel()
        await asyncio.gather(*holders, return_exceptions=True)
        await db.dispose()


async def _hold_the_write_lock(db: Database, entered: asyncio.Event, leave: asyncio.Event) -> None:
    async def slow(session: AsyncSession) -> None:
        await session.execute(text("INSERT INTO staff_dialog VALUES (0, 'x', '{}', '2026-01-01')"))
        entered.set()
        await leave.wait()

    unit = db.unit()
    try:
        await unit.write(slow)
    finally:
        await unit.close()


async def _write_row(db: Database, number: int) -> None:
    async def insert(session: AsyncSession) -> None:
        await session.execute(
            text("INSERT INTO staff_dialog VALUES (:n, 'x', '{}', '2026-01-01')"), {"n": number}
        )

    unit = db.unit()
    try:
        await unit.read(lambda session: session.execute(text("SELECT count(*) FROM event")))
        await unit.write(insert)
    finally:
        await unit.close()


async def test_sqlite_writers_wait_for_one_another_holding_no_connection(
    tmp_path: Path,
) -> None:
    """Writers queued inside SQLite's BEGIN IMMEDIATE each held a connection (a burst
    of 200 taps left the bot 12 MiB bigger)."""
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}", pool_size=1, connections=2)
    await migrate.upgrade(db)
    entered, leave = asyncio.Event(), asyncio.Event()
    holder = asyncio.create_task(_hold_the_write_lock(db, entered, leave))
    await entered.wait()
    writers = [asyncio.create_task(_write_row(db, number)) for number in range(1, 6)]
    await asyncio.sleep(0.2)  # each has read and waits to write
    try:
        # One connection is the holder's; the other is free for a reader, as no waiting
        # writer holds one. Without the lock the reader waits for the holder to finish.
        async with asyncio.timeout(5):
            async with db.session() as session:
                await session.execute(text("SELECT count(*) FROM staff_dialog"))
    finally:
        leave.set()
        await asyncio.gather(holder, *writers)
    async with db.session() as session:
        rows = (await session.execute(text("SELECT telegram_id FROM staff_dialog"))).scalars()
        assert sorted(rows) == [0, 1, 2, 3, 4, 5]
    await db.dispose()


async def test_a_sqlite_writer_kept_waiting_too_long_fails_as_sqlite_would_and_frees_the_unit(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "WRITE_LOCK_TIMEOUT_S", 0.2)
    entered, leave = asyncio.Event(), asyncio.Event()
    holder = asyncio.create_task(_hold_the_write_lock(sqlite_db, entered, leave))
    await entered.wait()
    async with asyncio.timeout(5):  # SQLite's own busy error would come after 15 s
        with pytest.raises(OperationalError, match="database is locked"):
            await _write_row(sqlite_db, 1)
    leave.set()
    await holder
    await _write_row(sqlite_db, 2)  # the lock was not left taken by the ones that failed
    async with sqlite_db.transaction() as session:
        await session.execute(text("DELETE FROM staff_dialog WHERE telegram_id = 2"))
    await sqlite_db.dispose()


async def test_a_unit_closed_while_writing_gives_the_write_lock_back(sqlite_db: Database) -> None:
    unit = sqlite_db.unit()
    await unit.begin_writing()
    await unit.close()  # an update that failed between taking the lock and its use case
    async with asyncio.timeout(5):
        await _write_row(sqlite_db, 1)
    await sqlite_db.dispose()
