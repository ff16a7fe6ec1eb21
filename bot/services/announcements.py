"""Who wants news of new events, and telling them."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import EventNotFoundError, RegistrationClosedError
from bot.domain.interests import Interests, audience_key
from bot.domain.rules import closed_reason
from bot.domain.status import NotificationKind
from bot.services import outbox
from storage import events, notifications, people, subscriptions
from storage.models import Event

AUDIENCE_OPTIONS = 12


async def subscription(session: AsyncSession, telegram_id: int) -> Interests | None:
    """None when not subscribed."""
    person = await people.by_telegram_id(session, telegram_id)
    if person is None:
        return None
    return await subscriptions.get(session, person.id)


async def audience_options(
    session: AsyncSession, *, now: datetime, interests: Interests | None
) -> list[str]:
    """Audiences to offer: those of upcoming events, and those already chosen."""
    found = {a.strip() for a in await events.upcoming_audiences(session, now=now) if a.strip()}
    chosen = set(interests.audiences) if interests else set()
    by_key = {a.casefold(): a for a in sorted(found | chosen)}
    return sorted(by_key.values(), key=str.casefold)[: max(AUDIENCE_OPTIONS, len(chosen))]


async def choose(
    session: AsyncSession,
    telegram_id: int,
    choice: str,
    *,
    known_kinds: Collection[str],
    known_branches: Collection[str] = (),
    now: datetime,
) -> Interests | None:
    """``"*"``: every event; a kind key, or ``"a:<audience key>"``: toggle that choice;
    ``"b:<branch key>"`` toggles a branch, ``"b:*"``: every branch (choosing branches
    subscribes someone who was not, to every event of those branches). Returns the new
    interests; None when nothing is left chosen (unsubscribed).

    Raises ValueError for a kind, audience or branch that is not on offer.
    """
    person = await people.ensure(session, telegram_id, now=now)
    current = await subscriptions.get(session, person.id) or Interests()
    new: Interests | None
    if choice == "*":
        new = Interests(branches=current.branches)  # the branches chosen stay
    elif choice == "b:*":
        new = current.every_branch()
    elif choice.startswith("b:"):
        if choice[2:] not in known_branches:
            raise ValueError(choice)
        new = current.toggle_branch(choice[2:])
    elif choice.startswith("a:"):
        options = await audience_options(session, now=now, interests=current)
        audience = next((a for a in options if audience_key(a) == choice[2:]), None)
        if audience is None:
            raise ValueError(choice)
        new = current.toggle_audience(audience)
    elif choice in known_kinds:
        new = current.toggle_kind(choice)
    else:
        raise ValueError(choice)
    if new is None:
        await subscriptions.remove(session, person.id)
        return None
    await subscriptions.put(session, person_id=person.id, interests=new, now=now)
    return new


async def unsubscribe(session: AsyncSession, telegram_id: int) -> None:
    person = await people.by_telegram_id(session, telegram_id)
    if person is not None:
        await subscriptions.remove(session, person.id)


@dataclass(frozen=True)
class Announced:
    event: Event
    total: int  # everyone the announcement is for, including those who have it already


async def announce(
    session: AsyncSession,
    *,
    event_id: int,
    now: datetime,
    branches: Collection[str] | None = None,
) -> Announced:
    """Queue the event's card for every subscriber who wants it (``branches``: the
    configured branches' keys; a branch chosen once and since taken out of the
    configuration is no longer a choice).

    Running it again queues nobody twice, so an interrupted announcement is resumed. A
    draft is refused as not published (staff see drafts; residents' lookups would say
    "not found").
    """
    event = await events.get(session, event_id)
    if event is None:
        raise EventNotFoundError(event_id)
    if reason := closed_reason(event.status, event.starts_at, now):
        raise RegistrationClosedError(reason)
    wanted = [
        person_id
        for person_id, interests in await subscriptions.reachable_unregistered(
            session, event.id, branch=event.branch_key, configured=branches
        )
        if interests.wants(event.kind, event.audience)
    ]
    await outbox.announce(session, event=event, person_ids=wanted, now=now)
    counts = await notifications.counts(
        session, event_id=event.id, kind=NotificationKind.ANNOUNCEMENT
    )
    return Announced(event, sum(counts.values()))
