"""Shared fixtures: a real database (SQLite file, or PostgreSQL when HROMADA_TEST_DB names one).

``HROMADA_TEST_DB=sqlite`` (the default) uses a temporary file; a PostgreSQL URL such as
``postgresql://postgres@127.0.0.1:5432/test`` makes the run create a fresh database on
that server, use it, and drop it at the end.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.config import Config, load_config
from emulator import BotApiEmulator
from storage import migrate
from storage.database import Database
from storage.models import Base

TEST_DB = os.environ.get("HROMADA_TEST_DB", "sqlite")
TEST_TOKEN = "123456:TEST-TOKEN-abcdefghijklmnop"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "staff: the e2e bot's configuration names LIBRARIAN as its administrator"
    )
    config.addinivalue_line(
        "markers", "telegram_limits: the e2e bot paces each chat as Telegram requires"
    )


def pytest_report_header() -> str:
    return f"database under test: {'sqlite' if TEST_DB == 'sqlite' else 'postgresql'}"


async def _admin_execute(server_url: str, statement: str) -> None:
    import asyncpg

    url = make_url(server_url)
    conn = await asyncpg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password,
        database=url.database or "postgres",
    )
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database for this test run."""
    if TEST_DB == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        asyncio.run(_migrate(url))
        yield url
        return
    name = f"hromada_test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin_execute(TEST_DB, f'CREATE DATABASE "{name}"'))
    url = make_url(TEST_DB).set(drivername="postgresql+asyncpg", database=name)
    rendered = url.render_as_string(hide_password=False)
    try:
        asyncio.run(_migrate(rendered))
        yield rendered
    finally:
        asyncio.run(_admin_execute(TEST_DB, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def blank_database_url(tmp_path: Path) -> AsyncIterator[str]:
    """An empty database with no schema, for tests of the migrations themselves."""
    if TEST_DB == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'blank.sqlite3'}"
        return
    name = f"hromada_blank_{uuid.uuid4().hex[:12]}"
    await _admin_execute(TEST_DB, f'CREATE DATABASE "{name}"')
    url = make_url(TEST_DB).set(drivername="postgresql+asyncpg", database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        await _admin_execute(TEST_DB, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _migrate(url: str) -> None:
    db = Database(url)
    try:
        await migrate.upgrade(db)
    finally:
        await db.dispose()


async def _empty_tables(db: Database) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    async with db.engine.begin() as conn:
        if db.is_sqlite:
            for table in tables:
                await conn.execute(text(f"DELETE FROM {table}"))
        else:
            await conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """The test database, emptied before each test."""
    database = Database(database_url)
    await _empty_tables(database)
    yield database
    await database.dispose()


@pytest.fixture
def config(tmp_path: Path, database_url: str) -> Config:
    """Defaults, as a library that copied config.example.toml would have them, but without
    quiet hours: the tests run at any hour and most use the real clock (the tests of
    quiet hours set them)."""
    loaded = load_config(
        tmp_path / "config.toml",
        environ={"BOT_TOKEN": TEST_TOKEN, "DATABASE_URL": database_url},
        missing_ok=True,
    )
    return dataclasses.replace(
        loaded, library=dataclasses.replace(loaded.library, quiet_hours=None)
    )


NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
REMINDERS = (timedelta(hours=24), timedelta(hours=2))


@pytest.fixture
def now() -> datetime:
    return NOW


def later(**kwargs: float) -> datetime:
    return NOW + timedelta(**kwargs)


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    """A running Bot API emulator; the test fails if the emulator itself hit a bug."""
    async with BotApiEmulator(token=TEST_TOKEN) as emulator:
        yield emulator
    assert not emulator.internal_errors, emulator.internal_errors
