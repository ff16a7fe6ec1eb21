"""The database is set up the way the registration rules rely on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from storage import migrate
from storage.database import Database
from storage.models import Base


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
