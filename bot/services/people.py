"""Who the resident is: language, and deleting their data on request."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import DomainError
from bot.services.registration import Promotion, cancel
from storage import (
    dialogs,
    door,
    feedback,
    notifications,
    people,
    registrations,
    staff,
    subscriptions,
)
from storage.database import after_commit, truncate_wal
from storage.models import Person


async def set_language(
    session: AsyncSession, telegram_id: int, language: str, *, now: datetime
) -> None:
    person = await people.ensure(session, telegram_id, now=now)
    person.language = language


async def forget(
    session: AsyncSession,
    telegram_id: int,
    *,
    default_reminders: Sequence[timedelta],
    now: datetime,
) -> list[Promotion]:
    """Delete name, phone and future registrations; past attendance stays, anonymised.

    A staff member also loses the name the staff list shows and their unfinished staff
    input (a draft event's answers), but keeps staff access: taking it away is for an
    administrator to decide (/staff). Once committed, SQLite's write-ahead log is
    truncated, so the old values do not linger on disk.

    Returns whoever got a seat freed by this (they are told through the outbox).
    """
    # The person first, then their question (the order of every use case that changes
    # what is theirs, see storage.people.get): a sign-up in another process either
    # registered before, and is cancelled below, or waits and finds them forgotten.
    person = await people.by_telegram_id(session, telegram_id, lock=True)
    await dialogs.clear(session, telegram_id)
    await staff.clear_input(session, telegram_id)
    await staff.forget_name(session, telegram_id)
    if person is None:
        after_commit(session, truncate_wal)
        return []
    return await erase(session, person, default_reminders=default_reminders, now=now)


async def erase(
    session: AsyncSession,
    person: Person,
    *,
    default_reminders: Sequence[timedelta],
    now: datetime,
) -> list[Promotion]:
    """Cancel the person's future registrations and blank their personal data; attendance
    of past events stays, without a name. Once committed, SQLite's write-ahead log is
    truncated, so the old values do not linger on disk. Returns whoever got a freed seat."""
    after_commit(session, truncate_wal)
    promoted: list[Promotion] = []
    upcoming = await registrations.upcoming_for_person(session, person.id, now=now)
    for event_id in [event.id for _, event in upcoming]:
        # cancel() locks the event and re-reads the registration, which may have
        # changed (a promotion) since the list above was read.
        try:
            result = await cancel(
                session,
                event_id=event_id,
                person_id=person.id,
                default_reminders=default_reminders,
                now=now,
            )
        except DomainError:
            continue  # cancelled meanwhile, or the event has just started
        if result.promoted is not None:
            promoted.append(result.promoted)
    await notifications.drop_for_person(session, person.id)
    await subscriptions.remove(session, person.id)
    await door.forget_person(session, person.id)
    await feedback.forget_person(session, person.id)
    person.telegram_id = None
    person.full_name = None
    person.phone = None
    person.language = None
    person.consent_at = None
    person.forgotten_at = now
    await session.flush()
    return promoted


async def returned(session: AsyncSession, telegram_id: int) -> bool:
    """They wrote to the bot or unblocked it: reachable again. True if they had not been."""
    return await people.mark_reachable(session, telegram_id)


async def blocked_bot(session: AsyncSession, telegram_id: int, *, now: datetime) -> None:
    """Telegram says they blocked the bot: send nothing until they return."""
    person = await people.by_telegram_id(session, telegram_id)
    if person is not None:
        await people.mark_unreachable(session, person.id, now=now)
