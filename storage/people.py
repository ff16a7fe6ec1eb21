"""Queries on people."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Person


async def by_telegram_id(session: AsyncSession, telegram_id: int) -> Person | None:
    stmt = select(Person).where(Person.telegram_id == telegram_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def ensure(session: AsyncSession, telegram_id: int, *, now: datetime) -> Person:
    """The person with this Telegram id, created if new; safe when two updates race."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = (
        insert(Person)
        .values(telegram_id=telegram_id, created_at=now)
        .on_conflict_do_nothing(index_elements=[Person.telegram_id])
    )
    await session.execute(stmt)
    person = await by_telegram_id(session, telegram_id)
    assert person is not None
    return person
