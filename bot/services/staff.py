"""Staff management: administrators add and remove staff members and invite new ones.

Administrators themselves come from ``staff.admins`` in the configuration and are
never changed here.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import (
    AdministratorError,
    AlreadyStaffError,
    InvalidInputError,
    InviteInvalidError,
    InviteProblem,
    NotStaffError,
)
from bot.domain.staff import INVITE_TTL, TOKEN_BYTES, display_name, invite_hash, name_key
from storage import staff as staff_storage
from storage.models import StaffMember


@dataclass(frozen=True)
class Invitation:
    id: int  # the number administrators list and revoke it by
    token: str  # shown once, in the link; only its hash is stored
    expires_at: datetime
    branch: str | None = None  # whoever joins becomes staff of it (None: of the library)


@dataclass(frozen=True)
class PendingInvitation:
    """An invitation nobody has used yet, as /staff lists it (without its token)."""

    id: int
    created_by: int
    created_at: datetime
    expires_at: datetime
    works: bool  # False once its creator is no longer an administrator
    branch: str | None = None


async def members(session: AsyncSession) -> list[StaffMember]:
    """Staff members in alphabetical order (those without a known name last, by id)."""
    found = await staff_storage.members(session)
    return sorted(found, key=lambda m: (not m.name, name_key(m.name), m.telegram_id))


async def add(
    session: AsyncSession,
    *,
    telegram_id: int,
    name: str,
    added_by: int,
    admins: Collection[int],
    now: datetime,
) -> None:
    """Make the person staff; AlreadyStaffError if they are (or are an administrator)."""
    if telegram_id in admins:
        raise AlreadyStaffError(admin=True)
    added = await staff_storage.add_member(
        session, telegram_id=telegram_id, name=display_name(name), added_by=added_by, now=now
    )
    if not added:
        raise AlreadyStaffError(admin=False)


async def remove(session: AsyncSession, *, telegram_id: int, admins: Collection[int]) -> str:
    """Take staff access away at once (every staff action checks the table); the name
    they were listed under. A half-filled staff input of theirs goes too."""
    if telegram_id in admins:
        raise AdministratorError()
    name = await staff_storage.remove_member(session, telegram_id)
    if name is None:
        raise NotStaffError()
    await staff_storage.clear_input(session, telegram_id)
    return name


async def member(
    session: AsyncSession, *, telegram_id: int, admins: Collection[int]
) -> StaffMember:
    """The staff member to be removed; the errors of :func:`remove` if there is none."""
    if telegram_id in admins:
        raise AdministratorError()
    found = await staff_storage.member(session, telegram_id)
    if found is None:
        raise NotStaffError()
    return found


async def set_branch(
    session: AsyncSession,
    *,
    telegram_id: int,
    branch: str | None,
    branches: Collection[str],
    admins: Collection[int],
) -> None:
    """Make the staff member staff of ``branch`` (None: of the whole library); from their
    next update on they manage only its events. An administrator has no branch
    (AdministratorError); a branch not among ``branches`` is not accepted."""
    if telegram_id in admins:
        raise AdministratorError()
    if branch is not None and branch not in branches:
        raise InvalidInputError("unknown_branch")
    if not await staff_storage.set_branch(session, telegram_id, branch):
        raise NotStaffError()


async def invite(
    session: AsyncSession,
    *,
    created_by: int,
    now: datetime,
    branch: str | None = None,
    branches: Collection[str] = (),
) -> Invitation:
    """A new one-time invitation, valid for INVITE_TTL, to the staff of ``branch`` (one of
    ``branches``; None: of the whole library); expired ones are deleted.

    Invitations are only ever added here, so deleting the expired ones here keeps the
    table to those made within the last INVITE_TTL.
    """
    if branch is not None and branch not in branches:
        raise InvalidInputError("unknown_branch")
    await staff_storage.delete_expired_invites(session, now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    expires_at = now + INVITE_TTL
    invite_id = await staff_storage.add_invite(
        session,
        token_hash=invite_hash(token),
        created_by=created_by,
        now=now,
        expires_at=expires_at,
        branch=branch,
    )
    return Invitation(invite_id, token, expires_at, branch)


async def invitations(
    session: AsyncSession, *, admins: Collection[int], now: datetime
) -> list[PendingInvitation]:
    """Invitations not used yet and not expired, oldest first; expired ones are deleted."""
    await staff_storage.delete_expired_invites(session, now)
    return [
        PendingInvitation(
            id=found.id,
            created_by=found.created_by,
            created_at=found.created_at,
            expires_at=found.expires_at,
            works=found.created_by in admins,
            branch=found.branch_key,
        )
        for found in await staff_storage.outstanding_invites(session, now)
    ]


async def revoke(session: AsyncSession, *, invite_id: int) -> None:
    """Delete an invitation nobody has used: its link then counts as unknown.
    InviteInvalidError if it was used, revoked or has expired (and was deleted)."""
    if not await staff_storage.delete_unused_invite(session, invite_id):
        raise InviteInvalidError(InviteProblem.UNKNOWN)


async def accept(
    session: AsyncSession,
    *,
    token: str,
    telegram_id: int,
    name: str,
    admins: Collection[int],
    now: datetime,
) -> str | None:
    """Spend the invitation and make the person staff (of the invitation's branch, which
    is returned; None: of the whole library).

    Someone who already has access does not spend it (AlreadyStaffError); an unknown,
    used or expired invitation, or one whose creator is no longer among ``admins``,
    raises InviteInvalidError and changes nothing.
    """
    if telegram_id in admins:
        raise AlreadyStaffError(admin=True)
    if await staff_storage.is_member(session, telegram_id):
        raise AlreadyStaffError(admin=False)
    token_hash = invite_hash(token)
    spent = await staff_storage.use_invite(
        session, token_hash=token_hash, telegram_id=telegram_id, now=now
    )
    if spent is None:
        found = await staff_storage.invite(session, token_hash)
        if found is None:
            raise InviteInvalidError(InviteProblem.UNKNOWN)
        if found.used_at is not None:
            raise InviteInvalidError(InviteProblem.USED)
        raise InviteInvalidError(InviteProblem.EXPIRED)
    created_by, branch = spent
    if created_by not in admins:
        # Its creator was removed from staff.admins: what they handed out goes with them.
        # Raising rolls the spent invitation back.
        raise InviteInvalidError(InviteProblem.CREATOR_NOT_ADMIN)
    if not await staff_storage.add_member(
        session,
        telegram_id=telegram_id,
        name=display_name(name),
        added_by=created_by,
        now=now,
        branch=branch,
    ):
        # Added by an administrator meanwhile: raising rolls the spent invitation back.
        raise AlreadyStaffError(admin=False)
    return branch


async def is_member(session: AsyncSession, telegram_id: int) -> bool:
    """Added as staff in Telegram (administrators are not: they come from the config)."""
    return await staff_storage.is_member(session, telegram_id)


async def languages(session: AsyncSession, telegram_ids: Collection[int]) -> dict[int, str]:
    """The language each of these people chose in the bot (those who chose one)."""
    return await staff_storage.languages(session, telegram_ids)


async def everyone(session: AsyncSession, *, admins: Collection[int]) -> dict[int, str | None]:
    """Administrators and staff members, each with the language they chose (or None)."""
    ids = set(admins) | set(await staff_storage.member_ids(session))
    chosen = await staff_storage.languages(session, ids)
    return {telegram_id: chosen.get(telegram_id) for telegram_id in sorted(ids)}
