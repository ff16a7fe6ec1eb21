"""Queries on staff members and their open input."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import dialogs
from storage.models import Person, StaffDialog, StaffInvite, StaffMember
from storage.upsert import insert_for


async def is_member(session: AsyncSession, telegram_id: int) -> bool:
    stmt = select(StaffMember.telegram_id).where(StaffMember.telegram_id == telegram_id)
    return (await session.execute(stmt)).first() is not None


async def get_input(session: AsyncSession, telegram_id: int) -> tuple[str, dict[str, Any]] | None:
    """The staff member's open input: its state and data, or None."""
    return await dialogs.get(session, telegram_id, table=StaffDialog)


async def open_input(session: AsyncSession, telegram_id: int) -> tuple[str, dict[str, Any]] | None:
    """The staff input typed text answers: none while a resident sign-up question was
    asked after it (a librarian who signs up for an event in the middle of a draft
    answers the sign-up first; the draft waits)."""
    return await dialogs.get_staff_unless_newer(session, telegram_id)


async def put_input(
    session: AsyncSession, telegram_id: int, state: str, data: dict[str, Any], *, now: datetime
) -> None:
    await dialogs.put(session, telegram_id, state, data, now=now, table=StaffDialog)


async def clear_input(session: AsyncSession, telegram_id: int) -> None:
    await dialogs.clear(session, telegram_id, table=StaffDialog)


# --- members and invitations (staff management) ------------------------------------------


async def members(session: AsyncSession) -> list[StaffMember]:
    """Every staff member added in Telegram."""
    stmt = select(StaffMember)
    return list((await session.execute(stmt)).scalars())


async def member(session: AsyncSession, telegram_id: int) -> StaffMember | None:
    return await session.get(StaffMember, telegram_id)


async def add_member(
    session: AsyncSession,
    *,
    telegram_id: int,
    name: str,
    added_by: int,
    now: datetime,
    branch: str | None = None,
) -> bool:
    """Make the person staff (of ``branch``; None: of the whole library); False if they
    already were (two taps racing included)."""
    insert = insert_for(session)
    stmt = (
        insert(StaffMember)
        .values(
            telegram_id=telegram_id,
            name=name,
            added_by=added_by,
            added_at=now,
            branch_key=branch,
        )
        .on_conflict_do_nothing(index_elements=[StaffMember.telegram_id])
        .returning(StaffMember.telegram_id)
    )
    return (await session.execute(stmt)).first() is not None


async def remove_member(session: AsyncSession, telegram_id: int) -> str | None:
    """Remove the staff member: their name, or None if they were not one."""
    stmt = (
        delete(StaffMember)
        .where(StaffMember.telegram_id == telegram_id)
        .returning(StaffMember.name)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def set_branch(session: AsyncSession, telegram_id: int, branch: str | None) -> bool:
    """Give the staff member a branch (None: the whole library); False if not a member."""
    stmt = (
        update(StaffMember)
        .where(StaffMember.telegram_id == telegram_id)
        .values(branch_key=branch)
        .returning(StaffMember.telegram_id)
    )
    return (await session.execute(stmt)).first() is not None


async def forget_name(session: AsyncSession, telegram_id: int) -> None:
    """Blank the staff member's name (their /forget); the membership itself stays."""
    await session.execute(
        update(StaffMember).where(StaffMember.telegram_id == telegram_id).values(name="")
    )


async def add_invite(
    session: AsyncSession,
    *,
    token_hash: str,
    created_by: int,
    now: datetime,
    expires_at: datetime,
    branch: str | None = None,
) -> int:
    """Store the invitation (to the staff of ``branch``; None: of the whole library); its
    number."""
    invite = StaffInvite(
        token_hash=token_hash,
        created_by=created_by,
        created_at=now,
        expires_at=expires_at,
        branch_key=branch,
    )
    session.add(invite)
    await session.flush()
    return invite.id


async def delete_expired_invites(session: AsyncSession, now: datetime) -> None:
    """Forget invitations past their date, used or not (who joined is in staff_member)."""
    await session.execute(delete(StaffInvite).where(StaffInvite.expires_at <= now))


async def outstanding_invites(session: AsyncSession, now: datetime) -> list[StaffInvite]:
    """Invitations not used yet and not expired, oldest first."""
    stmt = (
        select(StaffInvite)
        .where(StaffInvite.used_at.is_(None), StaffInvite.expires_at > now)
        .order_by(StaffInvite.id)
    )
    return list((await session.execute(stmt)).scalars())


async def delete_unused_invite(session: AsyncSession, invite_id: int) -> bool:
    """Revoke the invitation if nobody has used it; False if there is no such one."""
    stmt = (
        delete(StaffInvite)
        .where(StaffInvite.id == invite_id, StaffInvite.used_at.is_(None))
        .returning(StaffInvite.id)
    )
    return (await session.execute(stmt)).first() is not None


async def use_invite(
    session: AsyncSession, *, token_hash: str, telegram_id: int, now: datetime
) -> tuple[int, str | None] | None:
    """Spend the invitation if it is unused and not expired: who created it and the
    branch it is for, else None.
    Of two people racing for one invitation exactly one wins:

    it is one conditional UPDATE; PostgreSQL re-checks the WHERE after waiting for a concurrent
    updater of the row, SQLite lets one writer at a time in.
    """
    stmt = (
        update(StaffInvite)
        .where(
            StaffInvite.token_hash == token_hash,
            StaffInvite.used_at.is_(None),
            StaffInvite.expires_at > now,
        )
        .values(used_by=telegram_id, used_at=now)
        .returning(StaffInvite.created_by, StaffInvite.branch_key)
    )
    row = (await session.execute(stmt)).first()
    return None if row is None else (row[0], row[1])


async def invite(session: AsyncSession, token_hash: str) -> StaffInvite | None:
    stmt = select(StaffInvite).where(StaffInvite.token_hash == token_hash)
    return (await session.execute(stmt)).scalar_one_or_none()


async def member_ids(session: AsyncSession) -> list[int]:
    return list((await session.execute(select(StaffMember.telegram_id))).scalars())


async def languages(session: AsyncSession, telegram_ids: Collection[int]) -> dict[int, str]:
    """The language each of these people chose in the bot (those who chose one)."""
    if not telegram_ids:
        return {}
    stmt = select(Person.telegram_id, Person.language).where(
        Person.telegram_id.in_(telegram_ids), Person.language.is_not(None)
    )
    return {tid: lang for tid, lang in (await session.execute(stmt)).all() if tid and lang}
