"""Queries behind the staff's morning summary: who wants it, the days' events, what is queued."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import case, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.status import EventStatus, NotificationKind
from storage.models import Event, Notification, Person, StaffMember
from storage.staff_events import EventFigures, figures_of


async def readers(
    session: AsyncSession, *, admins: Collection[int]
) -> list[tuple[int, str | None]]:
    """The people who asked for the summary and are still staff (an administrator in the
    configuration, or a staff member added in Telegram), each with the branch whose events
    they manage (None: every branch; always for an administrator)."""
    is_admin = Person.telegram_id.in_(list(admins))
    stmt = (
        select(Person.id, case((is_admin, None), else_=StaffMember.branch_key))
        .outerjoin(StaffMember, StaffMember.telegram_id == Person.telegram_id)
        .where(
            Person.morning_summary.is_(True),
            Person.telegram_id.is_not(None),
            or_(is_admin, StaffMember.telegram_id.is_not(None)),
        )
        .order_by(Person.id)
    )
    return [(person_id, branch) for person_id, branch in (await session.execute(stmt)).all()]


async def events_between(
    session: AsyncSession, *, since: datetime, until: datetime, branch: str | None = None
) -> list[EventFigures]:
    """Published events starting in [since, until), soonest first, with their counts; only
    ``branch``'s when it is given."""
    return await figures_of(
        session,
        Event.status == EventStatus.PUBLISHED,
        Event.starts_at >= since,
        Event.starts_at < until,
        *(() if branch is None else (Event.branch_key == branch,)),
    )


async def branch_of(
    session: AsyncSession, telegram_id: int, *, admins: Collection[int]
) -> str | None:
    """The branch whose events this staff member manages (None: every branch)."""
    if telegram_id in admins:
        return None
    stmt = select(StaffMember.branch_key).where(StaffMember.telegram_id == telegram_id)
    return (await session.execute(stmt)).scalar_one_or_none()


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
