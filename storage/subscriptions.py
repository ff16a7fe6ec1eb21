"""Queries on who wants news of new events."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.branches import join_keys, parse_keys
from bot.domain.interests import Interests
from bot.domain.status import ACTIVE_REGISTRATION
from storage.models import Person, Registration, Subscription


def _interests(row: Subscription) -> Interests:
    return Interests(
        kinds=frozenset(k for k in row.kinds.split(",") if k),
        audiences=frozenset(a for a in row.audiences.split("\n") if a),
        branches=parse_keys(row.branches),
    )


async def get(session: AsyncSession, person_id: int) -> Interests | None:
    """The person's interests; None when not subscribed."""
    row = await session.get(Subscription, person_id)
    return None if row is None else _interests(row)


async def put(
    session: AsyncSession, *, person_id: int, interests: Interests, now: datetime
) -> None:
    """Subscribe the person with these interests, or change what they had chosen."""
    row = await session.get(Subscription, person_id)
    if row is None:
        row = Subscription(person_id=person_id, created_at=now)
        session.add(row)
    row.kinds = ",".join(sorted(interests.kinds))
    row.audiences = "\n".join(sorted(interests.audiences, key=str.casefold))
    row.branches = join_keys(interests.branches)
    await session.flush()


async def remove(session: AsyncSession, person_id: int) -> None:
    await session.execute(delete(Subscription).where(Subscription.person_id == person_id))


async def reachable_unregistered(
    session: AsyncSession,
    event_id: int,
    *,
    branch: str | None = None,
    configured: Collection[str] | None = None,
) -> list[tuple[int, Interests]]:
    """Subscribers the bot can reach who hold no active registration for the event,
    as (person id, interests); for an event of ``branch``, only those who chose no
    branches or that one (an event of no branch reaches every subscriber). With
    ``configured`` (the branches' keys), a subscriber whose chosen branches are all out
    of the configuration now counts as having chosen none: every branch."""
    registered = (
        select(Registration.id)
        .where(
            Registration.event_id == event_id,
            Registration.person_id == Subscription.person_id,
            Registration.status.in_(ACTIVE_REGISTRATION),
        )
        .exists()
    )
    stmt = (
        select(Subscription)
        .join(Person, Person.id == Subscription.person_id)
        .where(Person.telegram_id.is_not(None), Person.unreachable_at.is_(None), ~registered)
    )
    if branch is not None:
        # "central,verbivka" -> ",central,verbivka," holds ",verbivka," (keys have no commas;
        # autoescape: "_" in a key is a letter, not LIKE's wildcard).
        def listed(key: str) -> ColumnElement[bool]:
            return ("," + Subscription.branches + ",").contains(f",{key},", autoescape=True)

        none_chosen: list[ColumnElement[bool]] = [Subscription.branches == ""]
        if configured is not None:
            none_chosen.append(and_(true(), *(~listed(key) for key in configured)))
        stmt = stmt.where(or_(*none_chosen, listed(branch)))
    return [(row.person_id, _interests(row)) for row in (await session.execute(stmt)).scalars()]
