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
    await migrate.upgrade(blank_db, "0008")
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


async def test_the_newest_migrations_go_down_and_up_again(blank_db: Database) -> None:
    await migrate.upgrade(blank_db)
    await migrate.downgrade(blank_db, "0007")
    assert await migrate.current_revision(blank_db) == "0007"
    await migrate.upgrade(blank_db)
    assert await migrate.current_revision(blank_db) == "0009"


async def _event_programmes(db: Database) -> dict[int, int | None]:
    async with db.engine.connect() as conn:
        rows = (await conn.execute(text("SELECT id, program_id FROM event ORDER BY id"))).all()
    return dict(rows)


async def test_events_keep_their_programme_when_0009_goes_down_and_up(
    blank_db: Database,
) -> None:
    await migrate.upgrade(blank_db)
    at = datetime(2026, 5, 1, tzinfo=UTC)
    async with blank_db.engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO program (id, name, purpose, frame, link, signer_position,"
                " signer_name, created_at) VALUES (1, 'Поінформована громада', 'Мета', '',"
                " '', '', '', :at), (2, 'Цифрова грамотність', '', '', '', '', '', :at)"
            ),
            {"at": at},
        )
        for n, program_id in enumerate([1, 2, None, 1], start=1):
            await conn.execute(
                text(
                    "INSERT INTO event (id, title, kind, starts_at, place, seats_taken, audience,"
                    " program_id, partner, description, status, created_at) VALUES (:id,"
                    " :title, 'training', :at, 'Зала', 0, '', :program_id, :partner, '',"
                    " 'published', :at)"
                ),
                {
                    "id": n,
                    "title": f"Подія {n}",
                    "program_id": program_id,
                    "partner": "центром зайнятості" if n == 2 else None,
                    "at": at,
                },
            )
    before = await _event_programmes(blank_db)

    await migrate.downgrade(blank_db, "0008")
    async with blank_db.engine.connect() as conn:
        texts = dict((await conn.execute(text("SELECT id, program FROM event"))).all())
    # The text column is back, filled from the programmes.
    assert texts == {
        1: "Поінформована громада",
        2: "Цифрова грамотність",
        3: None,
        4: "Поінформована громада",
    }

    await migrate.upgrade(blank_db)
    assert await _event_programmes(blank_db) == before == {1: 1, 2: 2, 3: None, 4: 1}
    async with blank_db.engine.connect() as conn:
        columns = (await conn.execute(text("SELECT * FROM event"))).keys()
        kept = (await conn.execute(text("SELECT partner FROM event WHERE id = 2"))).scalar_one()
        purpose = (
            await conn.execute(text("SELECT purpose FROM program WHERE id = 1"))
        ).scalar_one()
    assert "program" not in columns and "program_id" in columns
    assert (kept, purpose) == ("центром зайнятості", "Мета")


CHILD_TABLES = ["registration", "walk_in", "notification", "subscription", "dialog"]


async def _seed_a_library_at_0007(db: Database) -> None:
    """One of everything that hangs off an event or a person, as a library has it."""
    at = datetime(2026, 3, 1, 9, tzinfo=UTC)
    statements = [
        "INSERT INTO person (id, telegram_id, full_name, phone, category, language, consent_at,"
        " created_at) VALUES (1, 501, 'Олена Петренко', '+380501112233', 'library_users', 'uk',"
        " :at, :at)",
        "INSERT INTO event (id, title, kind, starts_at, place, seats_taken, audience, program,"
        " description, status, created_at) VALUES (1, 'Субсидії', 'training', :at, 'Зала', 1,"
        " '', 'Поінформована громада', '', 'published', :at)",
        "INSERT INTO registration (id, event_id, person_id, status, queued_at, updated_at,"
        " attended) VALUES (1, 1, 1, 'confirmed', :at, :at, TRUE)",
        "INSERT INTO walk_in (event_id, category, count) VALUES (1, 'idp', 4)",
        "INSERT INTO notification (person_id, event_id, kind, variant, status, due_at,"
        " attempts, payload, created_at) VALUES (1, 1, 'reminder', '24h', 'sent', :at, 1,"
        " '{}', :at)",
        "INSERT INTO subscription (person_id, kinds, audiences, created_at)"
        " VALUES (1, 'training', '', :at)",
        "INSERT INTO dialog (telegram_id, state, data, updated_at) VALUES (501, 'name', '{}', :at)",
    ]
    async with db.engine.begin() as conn:
        for statement in statements:
            await conn.execute(text(statement), {"at": at})


async def test_upgrading_keeps_every_registration_walk_in_message_and_subscription(
    blank_db: Database,
) -> None:
    """0008 and 0009 rebuild ``event`` and ``person`` on SQLite; with foreign keys on,
    dropping the old table would cascade to their rows: attendance gone, reports zero."""
    await migrate.upgrade(blank_db, "0007")
    await _seed_a_library_at_0007(blank_db)
    await migrate.upgrade(blank_db)
    async with blank_db.engine.connect() as conn:
        counts = {
            table: (await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
            for table in CHILD_TABLES
        }
        attended = (await conn.execute(text("SELECT attended FROM registration"))).scalar_one()
    assert counts == dict.fromkeys(CHILD_TABLES, 1)
    assert attended
    await migrate.downgrade(blank_db, "0007")
    async with blank_db.engine.connect() as conn:
        for table in CHILD_TABLES:
            assert (await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one() == 1


async def test_foreign_keys_are_enforced_again_after_migrating(blank_db: Database) -> None:
    if not blank_db.is_sqlite:
        pytest.skip("SQLite's foreign_keys switch; PostgreSQL has none")
    await migrate.upgrade(blank_db)
    async with blank_db.engine.connect() as conn:
        assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar_one() == 1
