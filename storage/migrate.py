"""Apply Alembic migrations from code (the CLI and the tests call this).

Alembic (about 0.2 s and 9 MB to import) is imported only when a migration has to run or
a revision has to be read through it: the bot's start on an up-to-date database reads
the version table with one statement instead. So is ``storage.backup`` (and sqlite3 with
it), which copies a SQLite file before a migration."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.database import NO_BEGIN, Database

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Each revision's id is the number its file name starts with (0001_initial_schema.py).
_REVISION_FILE = "[0-9][0-9][0-9][0-9]_*.py"

log = logging.getLogger(__name__)


def alembic_config(connection: Connection | None = None) -> AlembicConfig:
    from alembic.config import Config as AlembicConfig  # noqa: PLC0415 - see the docstring

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


async def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` on the database's own engine.

    A SQLite file that has a schema and is behind is first copied to
    ``<file>.before-<revision>`` (one snapshot, through the backup API).
    """
    if revision == "head" and await _recorded_revision(db) == head_revision():
        return
    await _copy_if_behind(db, revision)

    def _run(connection: Connection) -> None:
        from alembic import command  # noqa: PLC0415 - see the module's docstring

        command.upgrade(alembic_config(connection), revision)

    await _migrate(db, _run)


async def _copy_if_behind(db: Database, revision: str) -> None:
    if not db.is_sqlite:
        return
    from storage import backup  # noqa: PLC0415 - see the module's docstring

    path = backup.sqlite_file(db.url)
    if path is None or not path.is_file():
        return
    current = await current_revision(db)
    known = backup.revisions()
    target = known.head if revision == "head" else revision
    if current is None or current == target or current not in known.known:
        return  # empty, up to date, or unknown (Alembic will say so)
    if known.known.index(current) > known.known.index(target):
        return  # going down is for tests of the migrations
    copy = await asyncio.to_thread(backup.copy_before_migration, path, target)
    log.info("copied the database to %s before migrating %s -> %s", copy, current, target)


async def _migrate(db: Database, run: Callable[[Connection], None]) -> None:
    """Run ``run`` in one transaction; on SQLite with foreign keys off meanwhile.

    SQLite cannot alter most things, so batch mode copies a table and drops the old one;
    with foreign keys on, dropping ``event`` or ``person`` would delete every
    registration, walk-in and message that points at them (ON DELETE CASCADE). The
    switch only works outside a transaction, so it is flipped around it, and the copied
    rows are checked against their parents before the transaction commits.
    """
    if not db.is_sqlite:
        async with db.engine.begin() as conn:
            await conn.run_sync(run)
        return
    async with db.engine.connect() as conn:
        await _outside_a_transaction(conn, "PRAGMA foreign_keys=OFF")
        try:
            async with conn.begin():
                await conn.run_sync(run)
                broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
                if broken:
                    raise RuntimeError(f"migration left {len(broken)} rows without a parent")
        finally:
            await _outside_a_transaction(conn, "PRAGMA foreign_keys=ON")


async def _outside_a_transaction(conn: AsyncConnection, statement: str) -> None:
    await conn.execution_options(**{NO_BEGIN: True})
    await conn.exec_driver_sql(statement)
    await conn.commit()  # nothing was begun: this ends SQLAlchemy's own bookkeeping
    await conn.execution_options(**{NO_BEGIN: False})


def head_revision() -> str:
    """The newest revision this version of the bot has, read from the file names."""
    return max(path.name[:4] for path in (MIGRATIONS_DIR / "versions").glob(_REVISION_FILE))


async def _recorded_revision(db: Database) -> str | None:
    """The revision in Alembic's version table; None with no table (a new database)."""
    try:
        async with db.engine.connect() as conn:
            rows = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
    except DBAPIError:
        return None
    return rows[0][0] if len(rows) == 1 else None


async def current_revision(db: Database) -> str | None:
    def _read(connection: Connection) -> str | None:
        from alembic.runtime.migration import MigrationContext  # noqa: PLC0415

        return MigrationContext.configure(connection).get_current_revision()

    async with db.engine.connect() as conn:
        return await conn.run_sync(_read)


async def downgrade(db: Database, revision: str) -> None:
    """Take the schema back to ``revision`` (tests of the migrations use it)."""

    def _run(connection: Connection) -> None:
        from alembic import command  # noqa: PLC0415 - see the module's docstring

        command.downgrade(alembic_config(connection), revision)

    await _migrate(db, _run)
