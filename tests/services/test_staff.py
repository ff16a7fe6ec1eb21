"""Staff management against a real database: invitations spent once, races included."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.domain.errors import (
    AdministratorError,
    AlreadyStaffError,
    InvalidInputError,
    InviteInvalidError,
    InviteProblem,
    NotStaffError,
)
from bot.domain.staff import INVITE_TTL, invite_hash
from bot.services import staff
from storage import staff as staff_storage
from storage.database import Database
from storage.models import StaffInvite, StaffMember
from tests.factories import LIBRARIAN

ADMIN = LIBRARIAN
ADMINS = (ADMIN,)


async def invite(db: Database, now: datetime) -> str:
    async with db.transaction() as session:
        return (await staff.invite(session, created_by=ADMIN, now=now)).token


async def accept(db: Database, token: str, telegram_id: int, now: datetime) -> None:
    async with db.transaction() as session:
        await staff.accept(
            session,
            token=token,
            telegram_id=telegram_id,
            name=f"Person {telegram_id}",
            admins=ADMINS,
            now=now,
        )


async def members(db: Database) -> dict[int, str]:
    async with db.session() as session:
        return {m.telegram_id: m.name for m in await staff_storage.members(session)}


async def test_an_invitation_keeps_only_the_hash_and_lasts_a_week(
    db: Database, now: datetime
) -> None:
    token = await invite(db, now)
    assert len(token) >= 32 and len("staff_" + token) <= 64
    async with db.session() as session:
        stored = (await session.execute(select(StaffInvite))).scalar_one()
    assert stored.token_hash == invite_hash(token) != token
    assert stored.expires_at == now + INVITE_TTL == now + timedelta(days=7)
    assert (stored.created_by, stored.used_by, stored.used_at) == (ADMIN, None, None)

    await accept(db, token, 42, now + timedelta(days=6, hours=23))
    async with db.session() as session:
        stored = (await session.execute(select(StaffInvite))).scalar_one()
        member = await staff_storage.member(session, 42)
    assert stored.used_by == 42 and stored.used_at == now + timedelta(days=6, hours=23)
    assert member is not None and (member.name, member.added_by) == ("Person 42", ADMIN)


@pytest.mark.parametrize(
    ("token", "later", "problem"),
    [
        ("unknown-token-0123456789abcdef", timedelta(0), InviteProblem.UNKNOWN),
        (None, INVITE_TTL, InviteProblem.EXPIRED),
        (None, INVITE_TTL + timedelta(days=300), InviteProblem.EXPIRED),
    ],
)
async def test_unknown_and_expired_invitations_change_nothing(
    db: Database, now: datetime, token: str | None, later: timedelta, problem: InviteProblem
) -> None:
    real = await invite(db, now)
    with pytest.raises(InviteInvalidError) as caught:
        await accept(db, token or real, 42, now + later)
    assert caught.value.problem is problem
    assert await members(db) == {}
    async with db.session() as session:
        assert (await session.execute(select(StaffInvite.used_at))).scalar_one() is None


async def test_a_used_invitation_is_refused_and_staff_do_not_spend_one(
    db: Database, now: datetime
) -> None:
    token = await invite(db, now)
    await accept(db, token, 42, now)
    with pytest.raises(InviteInvalidError) as caught:
        await accept(db, token, 43, now)
    assert caught.value.problem is InviteProblem.USED

    fresh = await invite(db, now)
    for already, admin in ((42, False), (ADMIN, True)):
        with pytest.raises(AlreadyStaffError) as refused:
            await accept(db, fresh, already, now)
        assert refused.value.admin is admin
    await accept(db, fresh, 43, now)  # still unused: it goes to the next person
    assert sorted(await members(db)) == [42, 43]


async def test_two_people_racing_for_one_invitation_exactly_one_wins(
    db: Database, now: datetime
) -> None:
    tokens = [await invite(db, now) for _ in range(8)]
    crowd = 5
    for round_, token in enumerate(tokens):
        people = [1000 + round_ * 100 + i for i in range(crowd)]
        results = await asyncio.gather(
            *(accept(db, token, person, now) for person in people), return_exceptions=True
        )
        winners = [p for p, r in zip(people, results, strict=True) if r is None]
        assert len(winners) == 1, results
        losers = [r for r in results if r is not None]
        assert all(
            isinstance(r, InviteInvalidError) and r.problem is InviteProblem.USED for r in losers
        ), losers
        async with db.session() as session:
            used_by = (
                await session.execute(
                    select(StaffInvite.used_by).where(StaffInvite.token_hash == invite_hash(token))
                )
            ).scalar_one()
        assert used_by == winners[0]
    async with db.session() as session:
        count = (await session.execute(select(func.count()).select_from(StaffMember))).scalar_one()
    assert count == len(tokens)


async def test_one_person_opening_two_invitations_at_once_spends_one(
    db: Database, now: datetime
) -> None:
    first, second = await invite(db, now), await invite(db, now)
    results = await asyncio.gather(
        accept(db, first, 42, now), accept(db, second, 42, now), return_exceptions=True
    )
    assert sorted(type(r).__name__ for r in results) == ["AlreadyStaffError", "NoneType"]
    async with db.session() as session:
        used = await session.execute(select(func.count()).where(StaffInvite.used_at.is_not(None)))
    assert used.scalar_one() == 1


async def add(db: Database, telegram_id: int, now: datetime, name: str = "Марія") -> None:
    async with db.transaction() as session:
        await staff.add(
            session, telegram_id=telegram_id, name=name, added_by=ADMIN, admins=ADMINS, now=now
        )


async def test_adding_twice_and_adding_an_administrator_say_so(db: Database, now: datetime) -> None:
    results = await asyncio.gather(add(db, 42, now), add(db, 42, now), return_exceptions=True)
    assert sorted(type(r).__name__ for r in results) == ["AlreadyStaffError", "NoneType"]
    with pytest.raises(AlreadyStaffError) as caught:
        await add(db, ADMIN, now)
    assert caught.value.admin
    await add(db, 43, now, name="Дуже довге ім'я " * 10)
    names = await members(db)
    assert names[42] == "Марія" and len(names[43]) == 100


async def test_removing_takes_access_and_open_input_away(db: Database, now: datetime) -> None:
    await add(db, 42, now)
    async with db.transaction() as session:
        await staff_storage.put_input(session, 42, "newevent:title", {}, now=now)
    async with db.transaction() as session:
        assert await staff.remove(session, telegram_id=42, admins=ADMINS) == "Марія"
    async with db.session() as session:
        assert not await staff_storage.is_member(session, 42)
        assert await staff_storage.get_input(session, 42) is None
    for telegram_id, error in ((42, NotStaffError), (ADMIN, AdministratorError)):
        with pytest.raises(error):
            async with db.transaction() as session:
                await staff.remove(session, telegram_id=telegram_id, admins=ADMINS)


async def test_a_branch_is_given_to_members_and_invitations_only_from_the_configuration(
    db: Database, now: datetime
) -> None:
    branches = ("central", "verbivka")
    async with db.transaction() as session:
        made = await staff.invite(
            session, created_by=ADMIN, now=now, branch="verbivka", branches=branches
        )
        with pytest.raises(InvalidInputError):
            await staff.invite(session, created_by=ADMIN, now=now, branch="gone", branches=branches)
    async with db.transaction() as session:
        joined = await staff.accept(
            session, token=made.token, telegram_id=901, name="Ні", admins=ADMINS, now=now
        )
    assert joined == "verbivka"
    for telegram_id, branch, error in (
        (ADMIN, None, AdministratorError),  # administrators have no branch
        (902, "central", NotStaffError),
        (901, "gone", InvalidInputError),
    ):
        with pytest.raises(error):
            async with db.transaction() as session:
                await staff.set_branch(
                    session,
                    telegram_id=telegram_id,
                    branch=branch,
                    branches=branches,
                    admins=ADMINS,
                )
    async with db.transaction() as session:
        await staff.set_branch(
            session, telegram_id=901, branch=None, branches=branches, admins=ADMINS
        )
    async with db.session() as session:
        member = await session.get(StaffMember, 901)
        assert member is not None and member.branch_key is None
