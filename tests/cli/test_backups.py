"""``db backup`` and ``db restore`` as a librarian runs them, while the bot is busy."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.database import Database
from storage.models import Base
from tests.cli.test_cli import hromada
from tests.conftest import TEST_DB
from tests.factories import make_event

SQLITE = TEST_DB == "sqlite"
TABLES = [t.name for t in Base.metadata.sorted_tables]


async def counts(db: Database) -> dict[str, int]:
    async with db.engine.connect() as conn:
        return {
            t: (await conn.execute(text(f"SELECT count(*) FROM {t}"))).scalar_one() for t in TABLES
        }


def counts_in_backup(path: Path) -> dict[str, int]:
    """Rows per table as the backup file holds them, read without the bot's code."""
    if SQLITE:
        with sqlite3.connect(path) as conn:
            return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    script = subprocess.run(
        ["pg_restore", "--data-only", "--file=-", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found: dict[str, int] = dict.fromkeys(TABLES, 0)
    table = None
    for line in script.splitlines():
        if line.startswith("COPY public."):
            name = line.split()[1].removeprefix("public.")
            table = name if name in found else None
        elif line == "\\.":
            table = None
        elif table is not None:
            found[table] += 1
    return found


async def test_a_backup_taken_while_people_register_restores_every_committed_registration(
    tmp_path: Path, db: Database, database_url: str, blank_database_url: str
) -> None:
    event = await make_event(db, now=datetime.now(UTC), capacity=None)
    writer = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.cli.registering",
        database_url,
        str(event.id),
        stdout=asyncio.subprocess.PIPE,
    )
    committed: list[int] = []
    enough = asyncio.Event()

    async def follow() -> None:
        assert writer.stdout is not None
        async for line in writer.stdout:
            committed.append(int(line))
            if len(committed) >= 150:
                enough.set()

    following = asyncio.create_task(follow())
    file = tmp_path / "nightly.backup"
    try:
        await asyncio.wait_for(enough.wait(), timeout=60)
        before = set(committed)
        made = await hromada("db", "backup", str(file), env={"DATABASE_URL": database_url})
        during = len(committed) - len(before)
        assert made.code == 0, made.err
        assert made.out == f"backup written: {file}\n"
        assert writer.returncode is None  # the bot kept writing all along
    finally:
        writer.send_signal(signal.SIGTERM)
        await writer.wait()
        await following
    assert during > 0, "nothing was registered while the backup ran"
    assert len(committed) > len(before)

    restored_url = (
        f"sqlite+aiosqlite:///{tmp_path / 'restored.sqlite3'}" if SQLITE else blank_database_url
    )
    done = await hromada("db", "restore", "--yes", str(file), env={"DATABASE_URL": restored_url})
    assert done.code == 0, done.err
    assert "restored" in done.out

    restored = Database(restored_url)
    try:
        async with restored.engine.connect() as conn:
            ids = set(
                (
                    await conn.execute(
                        text(
                            "SELECT p.telegram_id FROM person p JOIN registration r"
                            " ON r.person_id = p.id WHERE r.event_id = :e"
                        ),
                        {"e": event.id},
                    )
                ).scalars()
            )
            if SQLITE:
                check = (await conn.exec_driver_sql("PRAGMA integrity_check")).scalar()
                assert check == "ok"
        got = await counts(restored)
    finally:
        await restored.dispose()
    assert before <= ids
    # One snapshot: each registration came with its person, none half-copied.
    assert got["person"] == got["registration"] == len(ids)
    assert got == counts_in_backup(file)


async def test_backups_get_dated_names_and_only_the_newest_are_kept(
    tmp_path: Path, database_url: str
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    stranger = folder / "notes.txt"
    stranger.write_text("mine")
    made = []
    for _ in range(3):
        result = await hromada(
            "db", "backup", "--dir", str(folder), "--keep", "2", env={"DATABASE_URL": database_url}
        )
        assert result.code == 0, result.err
        made.append(Path(result.out.splitlines()[0].removeprefix("backup written: ")))
        await asyncio.sleep(1.01)  # names carry the second
    suffix = "sqlite3" if SQLITE else "dump"
    assert all(p.name.endswith(f".{suffix}") for p in made)
    assert sorted(folder.iterdir()) == sorted([*made[1:], stranger])


async def test_restore_asks_for_yes_and_names_what_it_replaces(
    tmp_path: Path, database_url: str
) -> None:
    file = tmp_path / "b"
    assert (await hromada("db", "backup", str(file), env={"DATABASE_URL": database_url})).code == 0
    result = await hromada("db", "restore", str(file), env={"DATABASE_URL": database_url})
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "stop the bot" in result.err and "--yes" in result.err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        (b"name,phone\n", "is not a SQLite database" if SQLITE else "is not a pg_dump"),
    ],
)
async def test_restoring_a_missing_or_foreign_file_is_one_line(
    tmp_path: Path, database_url: str, content: bytes | None, message: str
) -> None:
    file = tmp_path / "backup.file"
    if content is not None:
        file.write_bytes(content)
    result = await hromada("db", "restore", "--yes", str(file), env={"DATABASE_URL": database_url})
    assert result.code == 1
    assert result.err.count("\n") == 1 and message in result.err, result.err
    assert "Traceback" not in result.err


@pytest.mark.skipif(not SQLITE, reason="a SQLite file")
async def test_a_sqlite_file_that_is_not_hromada_or_too_new_is_refused(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'hromada.sqlite3'}"
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    result = await hromada("db", "restore", "--yes", str(other), env={"DATABASE_URL": url})
    assert (result.code, result.err.count("\n")) == (1, 1)
    assert "is not a hromada-bot database" in result.err
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num TEXT)")
        conn.execute("INSERT INTO alembic_version VALUES ('9999')")
    result = await hromada("db", "restore", "--yes", str(other), env={"DATABASE_URL": url})
    assert (result.code, result.err.count("\n")) == (1, 1)
    assert "schema revision 9999, unknown" in result.err
    assert not (tmp_path / "hromada.sqlite3").exists()


async def test_without_pg_dump_on_path_the_backup_is_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    url = "postgresql+asyncpg://postgres@127.0.0.1:5432/hromada"
    result = await hromada("db", "backup", env={"DATABASE_URL": url, "PATH": str(empty)})
    assert result.code == 1
    assert result.err.startswith("hromada-bot: pg_dump not found on PATH")
    assert result.err.count("\n") == 1


async def test_a_backup_of_a_missing_sqlite_database_is_one_line(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'nothing.sqlite3'}"
    result = await hromada("db", "backup", env={"DATABASE_URL": url})
    assert (result.code, result.err.count("\n")) == (1, 1)
    assert "does not exist" in result.err
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(SQLITE, reason="a PostgreSQL password")
async def test_the_password_reaches_pg_dump_through_the_environment_only(
    tmp_path: Path,
) -> None:
    # A refused password is pg_dump's own one line, and the password is not in it.
    url = "postgresql+asyncpg://nobody:s3cret-pw@127.0.0.1:5432/hromada"
    result = await hromada("db", "backup", str(tmp_path / "b"), env={"DATABASE_URL": url})
    assert (result.code, result.err.count("\n")) == (1, 1), result.err
    assert result.err.startswith("hromada-bot: pg_dump: ")
    assert "s3cret" not in result.err
    assert not (tmp_path / "b").exists()


def test_the_nightly_unit_runs_a_command_the_cli_accepts() -> None:
    from bot.cli import parser

    unit = (Path(__file__).parents[2] / "deploy" / "hromada-backup.service").read_text()
    (line,) = [line for line in unit.splitlines() if line.startswith("ExecStart=")]
    program, *args = line.removeprefix("ExecStart=").split()
    assert program.endswith("/hromada-bot")
    parsed = parser().parse_args(args)
    assert (parsed.command, parsed.action, parsed.keep) == ("db", "backup", 14)
    assert parsed.dir == Path("/var/lib/hromada/backups")
    timer = (Path(__file__).parents[2] / "deploy" / "hromada-backup.timer").read_text()
    assert "OnCalendar=" in timer and "Persistent=true" in timer


@pytest.mark.skipif(not SQLITE, reason="a SQLite file")
async def test_a_sqlite_restore_keeps_the_database_it_replaced(tmp_path: Path) -> None:
    path = tmp_path / "hromada.sqlite3"
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{path}"}
    assert (await hromada("db", "upgrade", env=env)).code == 0
    assert (await hromada("db", "backup", str(tmp_path / "b.sqlite3"), env=env)).code == 0
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO person (telegram_id, created_at) VALUES (5, '2026-01-01')")
    result = await hromada("db", "restore", "--yes", str(tmp_path / "b.sqlite3"), env=env)
    assert result.code == 0, result.err
    kept = tmp_path / "hromada.sqlite3.before-restore"
    assert f"the database as it was before: {kept}" in result.out
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM person").fetchone() == (0,)
    with sqlite3.connect(kept) as conn:
        assert conn.execute("SELECT telegram_id FROM person").fetchall() == [(5,)]
