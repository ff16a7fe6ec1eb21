"""Queries on programmes (the projects events belong to and the report is made for)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.status import EventStatus
from storage.models import Event, Program


async def add(
    session: AsyncSession, *, name: str, now: datetime, **fields: object
) -> Program | None:
    """A new programme; ``fields`` are its other columns (purpose, frame, ...). None when
    the name is taken: another librarian added it between the caller's check and this
    insert (the unique constraint decides; the transaction goes on)."""
    program = Program(name=name, created_at=now, **fields)
    return program if await save(session, program) else None


async def save(session: AsyncSession, program: Program, **changes: object) -> bool:
    """Write the programme now, with ``changes`` to its columns; False (and nothing
    written) when its name is taken. The changes are made inside the savepoint: made
    before it, the flush that opens it would meet the unique constraint outside it and
    take the whole transaction down."""
    try:
        async with session.begin_nested():
            for column, value in changes.items():
                setattr(program, column, value)
            session.add(program)
            await session.flush()
    except IntegrityError:
        return False
    return True


async def get(session: AsyncSession, program_id: int) -> Program | None:
    return await session.get(Program, program_id, populate_existing=True)


async def listed(session: AsyncSession) -> list[tuple[Program, int]]:
    """Every programme with the number of its events (cancelled ones left out), by name."""
    counted = (
        select(Event.program_id, func.count().label("events"))
        .where(Event.program_id.is_not(None), Event.status != EventStatus.CANCELLED)
        .group_by(Event.program_id)
        .subquery()
    )
    stmt = (
        select(Program, func.coalesce(counted.c.events, 0))
        .outerjoin(counted, counted.c.program_id == Program.id)
        .order_by(Program.name, Program.id)
    )
    return [(program, n) for program, n in (await session.execute(stmt)).all()]


async def names(session: AsyncSession) -> dict[int, str]:
    """Every programme's name by id (a library runs a handful of programmes)."""
    stmt = select(Program.id, Program.name).order_by(Program.name)
    return {id_: name for id_, name in (await session.execute(stmt)).all()}
