"""Migrations carry a library's existing data forward."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from storage import migrate
from storage.database import Database


@pytest.fixture
async def blank_db(blank_database_url: str) -> AsyncIterator[Database]:
    db = Database(blank_database_url)
    yield db
    await db.dispose()


async def test_free_text_programmes_become_programmes_their_events_point_at(
    blank_db: Database,
) -> None:
    await migrate.upgrade(blank_db, "0007")
    async with blank_db.engine.begin() as conn:
        for n, program in enumerate(
            ["Поінформована громада", " Поінформована громада ", "Цифрова грамотність", None, ""],
            start=1,
        ):
            await conn.execute(
                text(
                    "INSERT INTO event (id, title, kind, starts_at, place, seats_taken, audience,"
                    " program, description, status, created_at) VALUES (:id, :title,"
                    " 'training', :at, 'Зала', 0, '', :program, '', 'published', :at)"
                ),
                {
                    "id": n,
                    "title": f"Подія {n}",
                    "program": program,
                    "at": datetime(2026, n, 1, tzinfo=UTC),
                },
            )
    await migrate.upgrade(blank_db)
    async with blank_db.engine.connect() as conn:
        programs = (await conn.execute(text("SELECT id, name FROM program ORDER BY name"))).all()
        events = dict(
            (await conn.execute(text("SELECT id, program_id FROM event ORDER BY id"))).all()
        )
    assert [name for _, name in programs] == ["Поінформована громада", "Цифрова грамотність"]
    ids = {name: id_ for id_, name in programs}
    assert events == {
        1: ids["Поінформована громада"],
        2: ids["Поінформована громада"],
        3: ids["Цифрова грамотність"],
        4: None,
        5: None,
    }


async def test_the_newest_migration_goes_down_and_up_again(blank_db: Database) -> None:
    await migrate.upgrade(blank_db)
    await migrate.downgrade(blank_db, "0007")
    assert await migrate.current_revision(blank_db) == "0007"
    await migrate.upgrade(blank_db)
    assert await migrate.current_revision(blank_db) == "0008"
