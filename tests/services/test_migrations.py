"""Migrations carry a library's existing data forward."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from storage import backup, migrate
from storage.database import Database
from tests.conftest import TEST_DB

SQLITE = TEST_DB == "sqlite"


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
    assert await migrate.current_revision(blank_db) == backup.revisions().head


async def _tables(db: Database) -> set[str]:
    async with db.engine.connect() as conn:
        return set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))


async def test_0014_adds_the_heartbeat_and_takes_it_away_again(blank_db: Database) -> None:
    await migrate.upgrade(blank_db, "0013")
    assert "heartbeat" not in await _tables(blank_db)
    await migrate.upgrade(blank_db)
    async with blank_db.engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO heartbeat (instance, started_at, beat_at) VALUES ('library', :t, :t)"
            ),
            {"t": datetime(2026, 11, 29, tzinfo=UTC)},
        )
    await migrate.downgrade(blank_db, "0013")
    assert "heartbeat" not in await _tables(blank_db)
    await migrate.upgrade(blank_db)
    assert "heartbeat" in await _tables(blank_db)
    assert await migrate.current_revision(blank_db) == backup.revisions().head


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


def copies_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.before-*"))


@pytest.mark.skipif(not SQLITE, reason="a copy of the SQLite file")
async def test_a_sqlite_file_behind_is_copied_before_it_is_migrated(
    blank_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "blank.sqlite3"
    await migrate.upgrade(blank_db, "0008")  # a fresh file: nothing to keep
    assert copies_in(tmp_path) == []
    async with blank_db.engine.begin() as conn:
        await conn.execute(
            text("INSERT INTO person (telegram_id, language, created_at) VALUES (7, 'uk', :t)"),
            {"t": datetime(2026, 1, 1, tzinfo=UTC)},
        )
    await migrate.upgrade(blank_db)
    copy = tmp_path / f"blank.sqlite3.before-{backup.revisions().head}"
    assert copies_in(tmp_path) == [copy.name]
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [("0008",)]
        assert conn.execute("SELECT telegram_id FROM person").fetchall() == [(7,)]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copy.unlink()
    await migrate.upgrade(blank_db)  # at head already: no copy
    assert not copy.exists()
    assert path.exists()


@pytest.mark.skipif(not SQLITE, reason="SQLite's backup API")
def test_a_copy_in_small_steps_is_one_snapshot_while_another_connection_writes(
    tmp_path: Path,
) -> None:
    source = tmp_path / "busy.sqlite3"
    with sqlite3.connect(source, isolation_level=None) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE a (n INTEGER, pad TEXT)")
        conn.execute("CREATE TABLE b (n INTEGER, pad TEXT)")
        conn.executemany("INSERT INTO a VALUES (?, ?)", [(n, "x" * 500) for n in range(2000)])
        conn.executemany("INSERT INTO b VALUES (?, ?)", [(n, "x" * 500) for n in range(2000)])
    writer = sqlite3.connect(source, isolation_level=None)
    steps = 0

    def write_between_steps(status: int, remaining: int, total: int) -> None:
        # Called after every step: another connection commits a row to each table.
        nonlocal steps
        steps += 1
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO a VALUES (-1, 'new')")
        writer.execute("INSERT INTO b VALUES (-1, 'new')")
        writer.execute("COMMIT")

    copy = tmp_path / "copy.sqlite3"
    backup.copy_sqlite(source, copy, pages=8, progress=write_between_steps)
    writer.close()
    assert steps > 10  # many steps, each followed by a commit elsewhere
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT count(*) FROM a").fetchone() == (2000,)
        assert conn.execute("SELECT count(*) FROM b").fetchone() == (2000,)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_the_head_read_from_file_names_is_alembics_head() -> None:
    assert migrate.head_revision() == backup.revisions().head


async def test_an_up_to_date_database_starts_without_importing_alembic(database_url: str) -> None:
    """The bot's start-up: Alembic costs ~0.2 s and ~9 MB, and an up-to-date schema needs
    only its version read."""
    import asyncio
    import sys

    script = (
        "import asyncio, sys\n"
        "from storage import migrate\n"
        "from storage.database import Database\n"
        "async def main():\n"
        f"    db = Database({database_url!r})\n"
        "    await migrate.upgrade(db)\n"
        "    await db.dispose()\n"
        "asyncio.run(main())\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await process.communicate()
    assert process.returncode == 0
    assert out.decode().strip() == "[]"


async def test_a_new_database_is_still_migrated_to_the_head(blank_db: Database) -> None:
    await migrate.upgrade(blank_db)
    assert await migrate.current_revision(blank_db) == migrate.head_revision()
    await migrate.upgrade(blank_db)  # nothing to do, nothing fails


async def _columns(db: Database, table: str) -> set[str]:
    async with db.engine.connect() as conn:
        return {
            c["name"] for c in await conn.run_sync(lambda sync: inspect(sync).get_columns(table))
        }


async def test_0015_gives_events_staff_and_subscriptions_a_branch_and_keeps_old_events(
    blank_db: Database,
) -> None:
    await migrate.upgrade(blank_db, "0014")
    assert "branch_key" not in await _columns(blank_db, "event")
    at = datetime(2026, 5, 1, tzinfo=UTC)
    async with blank_db.engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO event (title, kind, starts_at, place, seats_taken, status, "
                "created_at) VALUES ('Е-послуги', 'training', :t, 'Читальна зала', 0, "
                "'published', :t)"
            ),
            {"t": at},
        )
    await migrate.upgrade(blank_db)
    assert {"place_key", "branch_key"} <= await _columns(blank_db, "event")
    assert "branch_key" in await _columns(blank_db, "staff_member")
    assert "branch_key" in await _columns(blank_db, "staff_invite")
    assert "branches" in await _columns(blank_db, "subscription")
    async with blank_db.engine.connect() as conn:
        row = (await conn.execute(text("SELECT place, place_key, branch_key FROM event"))).one()
    assert tuple(row) == ("Читальна зала", None, None)
    await migrate.downgrade(blank_db, "0014")
    assert "branch_key" not in await _columns(blank_db, "event")
    assert "branches" not in await _columns(blank_db, "subscription")
    await migrate.upgrade(blank_db)
    assert await migrate.current_revision(blank_db) == backup.revisions().head
