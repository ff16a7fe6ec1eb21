"""Queries on feedback: who is to be asked, answers, and the figures the report gives
(counted in SQL, never with a name)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.status import EventStatus, NotificationKind
from storage.models import DoorWalkIn, Event, Feedback, Notification, Person, Registration
from storage.report import in_period
from storage.upsert import insert_for


@dataclass(frozen=True)
class Figures:
    answered: int
    average: float | None


async def events_started_between(
    session: AsyncSession, *, since: datetime, until: datetime
) -> list[Event]:
    stmt = select(Event).where(
        Event.status == EventStatus.PUBLISHED, Event.starts_at >= since, Event.starts_at <= until
    )
    return list((await session.execute(stmt)).scalars())


def _came(event_id: object, person_id: object) -> object:
    """Marked present on a registration, or checked in at the door without one."""
    return or_(
        exists().where(
            Registration.event_id == event_id,
            Registration.person_id == person_id,
            Registration.attended.is_(True),
        ),
        exists().where(DoorWalkIn.event_id == event_id, DoorWalkIn.person_id == person_id),
    )


async def to_ask(session: AsyncSession, event_id: int) -> list[int]:
    """Who came to the event, can be written to, has not asked us to stop, and has been
    neither asked nor answered yet."""
    asked = exists().where(
        Notification.event_id == event_id,
        Notification.person_id == Person.id,
        Notification.kind == NotificationKind.FEEDBACK,
    )
    answered = exists().where(Feedback.event_id == event_id, Feedback.person_id == Person.id)
    stmt = select(Person.id).where(
        _came(event_id, Person.id),  # type: ignore[arg-type]
        Person.telegram_id.is_not(None),
        Person.unreachable_at.is_(None),
        Person.feedback_off.is_(False),
        ~asked,
        ~answered,
    )
    return list((await session.execute(stmt)).scalars())


async def came(session: AsyncSession, *, event_id: int, person_id: int) -> bool:
    stmt = select(_came(event_id, person_id))  # type: ignore[call-overload]
    return bool((await session.execute(stmt)).scalar())


async def rate(
    session: AsyncSession, *, event_id: int, person_id: int, rating: int, now: datetime
) -> None:
    """Their rating (a second tap changes it: one answer per person and event)."""
    insert = insert_for(session)
    stmt = insert(Feedback).values(
        event_id=event_id, person_id=person_id, rating=rating, answered_at=now
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[Feedback.event_id, Feedback.person_id],
            set_={"rating": rating, "answered_at": now},
        )
    )


async def add_comment(session: AsyncSession, *, event_id: int, person_id: int, text: str) -> bool:
    result = await session.execute(
        update(Feedback)
        .where(Feedback.event_id == event_id, Feedback.person_id == person_id)
        .values(comment=text)
        .returning(Feedback.event_id)
    )
    return result.first() is not None


async def forget_person(session: AsyncSession, person_id: int) -> None:
    """Their comments are their own words, deleted with their name; the ratings stay in
    the report's figures, linked to nobody who can be named."""
    await session.execute(
        update(Feedback)
        .where(Feedback.person_id == person_id, Feedback.comment.is_not(None))
        .values(comment=None)
    )


async def stop_asking(session: AsyncSession, person_id: int) -> None:
    await session.execute(update(Person).where(Person.id == person_id).values(feedback_off=True))
    await session.execute(
        update(Notification)
        .where(
            Notification.person_id == person_id,
            Notification.kind == NotificationKind.FEEDBACK,
            Notification.status == "pending",
        )
        .values(status="dropped")
    )


async def by_event(
    session: AsyncSession,
    *,
    start: datetime,
    end: datetime,
    program_id: int | None,
    until: datetime,
    branch: str | None = None,
) -> dict[int, Figures]:
    """How many answered, and the average rating, per event held in the period."""
    rows = await session.execute(
        select(Event.id, func.count(), func.avg(Feedback.rating))
        .join(Event, Event.id == Feedback.event_id)
        .where(*in_period(start, end, program_id, until, branch))
        .group_by(Event.id)
    )
    return {
        event_id: Figures(n, float(avg) if avg is not None else None)
        for event_id, n, avg in rows.all()
    }


async def comments(
    session: AsyncSession,
    *,
    start: datetime,
    end: datetime,
    program_id: int | None,
    until: datetime,
    branch: str | None = None,
) -> list[tuple[int, int, str]]:
    """(event id, rating, comment) of the period, by event and time: nobody's name."""
    rows = await session.execute(
        select(Event.id, Feedback.rating, Feedback.comment)
        .join(Event, Event.id == Feedback.event_id)
        .where(
            *in_period(start, end, program_id, until, branch),
            and_(Feedback.comment.is_not(None), Feedback.comment != ""),
        )
        .order_by(Event.starts_at, Event.id, Feedback.answered_at)
    )
    return [(event_id, rating, comment or "") for event_id, rating, comment in rows.all()]
