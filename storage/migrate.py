"""Apply Alembic migrations from code (the CLI and the tests call this)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

from storage.database import Database

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(connection: Connection | None = None) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


async def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` on the database's own engine."""

    def _run(connection: Connection) -> None:
        command.upgrade(alembic_config(connection), revision)

    async with db.engine.begin() as conn:
        await conn.run_sync(_run)


async def current_revision(db: Database) -> str | None:
    def _read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with db.engine.connect() as conn:
        return await conn.run_sync(_read)


async def downgrade(db: Database, revision: str) -> None:
    """Take the schema back to ``revision`` (tests of the migrations use it)."""

    def _run(connection: Connection) -> None:
        command.downgrade(alembic_config(connection), revision)

    async with db.engine.begin() as conn:
        await conn.run_sync(_run)
