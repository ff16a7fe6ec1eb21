"""Queries behind the staff's morning summary: who wants it, the days' events, what is queued."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.status import EventStatus, NotificationKind
from storage.models import Event, Notification, Person, StaffMember
from storage.staff_events import EventFigures, figures_of


async def readers(session: AsyncSession, *, admins: Collection[int]) -> list[int]:
    """Ids of the people who asked for the summary and are still staff (an administrator
    in the configuration, or a staff member added in Telegram)."""
    member = select(StaffMember.telegram_id).where(StaffMember.telegram_id == Person.telegram_id)
    stmt = (
        select(Person.id)
        .where(
            Person.morning_summary.is_(True),
            Person.telegram_id.is_not(None),
            or_(Person.telegram_id.in_(list(admins)), member.exists()),
        )
        .order_by(Person.id)
    )
    return list((await session.execute(stmt)).scalars())


async def events_between(
    session: AsyncSession, *, since: datetime, until: datetime
) -> list[EventFigures]:
    """Published events starting in [since, until), soonest first, with their counts."""
    return await figures_of(
        session,
        Event.status == EventStatus.PUBLISHED,
        Event.starts_at >= since,
        Event.starts_at < until,
    )


async def calls_queued(session: AsyncSession, *, variant: str) -> set[tuple[int, int]]:
    """(person, event) of the call lists queued for this day."""
    stmt = select(Notification.person_id, Notification.event_id).where(
        Notification.kind == NotificationKind.CALLS, Notification.variant == variant
    )
    return {(person_id, event_id) for person_id, event_id in (await session.execute(stmt)).all()}


async def already_queued(session: AsyncSession, *, variant: str) -> set[int]:
    """People who have a summary for this day already (whichever event it is keyed to)."""
    stmt = select(Notification.person_id).where(
        Notification.kind == NotificationKind.SUMMARY, Notification.variant == variant
    )
    return set((await session.execute(stmt)).scalars())
