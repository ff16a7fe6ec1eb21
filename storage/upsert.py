"""``INSERT … ON CONFLICT`` in the session's own SQL dialect.

Each dialect's module is imported when its database is used: PostgreSQL's brings about 25
modules and 2 MB that a bot on SQLite never needs (and the reverse)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from sqlalchemy.dialects.postgresql.dml import Insert as PostgresInsert
    from sqlalchemy.dialects.sqlite.dml import Insert as SqliteInsert


def insert_for(session: AsyncSession) -> Callable[[Any], PostgresInsert | SqliteInsert]:
    """The ``insert`` construct of the database the session is bound to."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg  # noqa: PLC0415

        return pg
    from sqlalchemy.dialects.sqlite import insert as lite  # noqa: PLC0415

    return lite


_BUILT: dict[tuple[str, Hashable], Any] = {}


def built_once(
    session: AsyncSession,
    key: Hashable,
    build: Callable[[Callable[[Any], PostgresInsert | SqliteInsert]], Any],
) -> Any:
    """The statement ``build`` makes with :func:`insert_for`'s construct, built once for
    each SQL dialect and ``key`` (building it each time cost more than running it)."""
    at = (session.get_bind().dialect.name, key)
    statement = _BUILT.get(at)
    if statement is None:
        statement = _BUILT[at] = build(insert_for(session))
    return statement
