"""storage/sqlite_driver.py: one hand-over to aiosqlite's thread a statement, and what
SQLAlchemy reads from a cursor (rows, rowcount, the new row's id, errors) unchanged."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite
import pytest
from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import IntegrityError

from storage import migrate
from storage.database import Database
from storage.models import Person


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}")
    await migrate.upgrade(db)
    yield db
    await db.dispose()


@pytest.fixture
def hand_overs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of each function aiosqlite's thread is handed."""
    seen: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(
        self: aiosqlite.Connection, fn: object, *args: object, **kw: object
    ) -> object:
        seen.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kw)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return seen


async def test_a_statement_is_one_hand_over_to_the_thread(
    sqlite_db: Database, hand_overs: list[str]
) -> None:
    now = datetime.now(UTC)
    async with sqlite_db.transaction() as session:
        await session.execute(insert(Person).values(telegram_id=1, created_at=now))
        hand_overs.clear()
        found = (await session.execute(select(Person.telegram_id))).scalars().all()
        assert found == [1]
        assert len(hand_overs) == 1, (
            hand_overs
        )  # SQLAlchemy's adapter: cursor, execute, fetch, close
        hand_overs.clear()
        changed = await session.execute(
            update(Person).where(Person.telegram_id == 1).values(language="en")
        )
        assert changed.rowcount == 1  # type: ignore[attr-defined]
        assert len(hand_overs) == 1, hand_overs


async def test_rows_counts_ids_and_errors_read_as_before(sqlite_db: Database) -> None:
    now = datetime.now(UTC)
    async with sqlite_db.transaction() as session:
        connection = await session.connection()
        first = await connection.execute(insert(Person).values(telegram_id=7, created_at=now))
        assert first.inserted_primary_key is not None and first.inserted_primary_key[0] >= 1
        many = await connection.execute(
            insert(Person), [{"telegram_id": n, "created_at": now} for n in (8, 9, 10)]
        )
        assert many.rowcount == 3  # type: ignore[attr-defined]
        gone = await connection.execute(text("DELETE FROM person WHERE telegram_id > 8"))
        assert gone.rowcount == 2  # type: ignore[attr-defined]
        returned = await connection.execute(
            update(Person).where(Person.telegram_id == 8).values(language="uk").returning(Person.id)
        )
        assert len(returned.all()) == 1
        nothing = await connection.execute(text("SELECT telegram_id FROM person WHERE 0"))
        assert nothing.all() == []
    with pytest.raises(IntegrityError):
        async with sqlite_db.transaction() as session:
            await session.execute(insert(Person).values(telegram_id=7, created_at=now))
    async with sqlite_db.session() as session:
        kept = (
            await session.execute(select(Person.telegram_id).order_by(Person.telegram_id))
        ).scalars()
        assert list(kept) == [7, 8]
