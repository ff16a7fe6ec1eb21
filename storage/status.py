"""The figures ``/status`` and ``hromada-bot status`` show, counted in two statements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, column, func, select, table
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.status import NotificationStatus
from storage.models import Notification, Person

_ALEMBIC = table("alembic_version", column("version_num"))
_UNSENT = (NotificationStatus.PENDING, NotificationStatus.SENDING)


@dataclass(frozen=True)
class OutboxFigures:
    revision: str | None
    queued: int
    """Waiting to be sent (or being sent) to people the bot can reach."""
    failed: int
    """Given up on (refused by Telegram, or failing too many times)."""
    held: int
    """Waiting for people who blocked the bot; sent if they come back."""
    last_sent_at: datetime | None
    last_failure_at: datetime | None
    last_failure_kind: str | None


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.count(case((condition, 1)))


async def figures(session: AsyncSession) -> OutboxFigures:
    unsent = Notification.status.in_(_UNSENT)
    blocked = Person.unreachable_at.is_not(None)
    totals = (
        await session.execute(
            select(
                select(_ALEMBIC.c.version_num).limit(1).scalar_subquery(),
                _count(and_(unsent, ~blocked)),
                _count(Notification.status == NotificationStatus.FAILED),
                _count(and_(unsent, blocked)),
                func.max(Notification.sent_at),
            )
            .select_from(Notification)
            .outerjoin(Person, Person.id == Notification.person_id)
        )
    ).one()
    # The time of a failure is its last attempt's claim.
    failure = (
        await session.execute(
            select(Notification.claimed_at, Notification.kind)
            .where(Notification.status == NotificationStatus.FAILED)
            .order_by(Notification.claimed_at.desc().nulls_last(), Notification.id.desc())
            .limit(1)
        )
    ).first()
    return OutboxFigures(
        revision=totals[0],
        queued=totals[1],
        failed=totals[2],
        held=totals[3],
        last_sent_at=totals[4],
        last_failure_at=failure[0] if failure else None,
        last_failure_kind=failure[1] if failure else None,
    )


async def database_answers(session: AsyncSession) -> None:
    """One trivial statement: raises if the database does not answer."""
    await session.execute(select(1))
