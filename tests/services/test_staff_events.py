"""The staff's list and card of events, publishing, and an announcement's progress."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import update

from bot.domain.errors import EventNotFoundError, NotRegisteredError
from bot.domain.status import EventStatus, NotificationKind, NotificationStatus
from bot.services import attendance, event_admin, registration, staff_events
from storage.database import Database
from storage.models import Notification, Person
from tests.conftest import REMINDERS
from tests.factories import make_event, make_person, queue


async def _register(db: Database, event_id: int, person_id: int, now: datetime) -> None:
    async with db.transaction() as session:
        await registration.register(
            session, event_id=event_id, person_id=person_id, now=now, default_reminders=REMINDERS
        )


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(*args: object) -> None:
        if str(args[2]).lstrip().upper().startswith("SELECT"):
            seen.append(str(args[2]))

    sa_event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa_event.remove(db.engine.sync_engine, "before_cursor_execute", count)


async def test_the_list_counts_a_full_event_with_a_waiting_list_in_two_statements(
    db: Database, now: datetime
) -> None:
    full = await make_event(db, now=now, capacity=2, title="Повний")
    draft = await make_event(db, now=now, starts_in=timedelta(days=1), status="draft")
    began = await make_event(db, now=now, starts_in=timedelta(days=-2), capacity=None)
    await make_event(db, now=now, starts_in=timedelta(days=-8))  # too long ago
    await make_event(db, now=now, starts_in=timedelta(days=4), status="cancelled")
    people = [await make_person(db, 100 + i, now=now - timedelta(days=5)) for i in range(5)]
    for i, person in enumerate(people):
        await _register(db, full.id, person.id, now)
        if i < 3:
            await _register(db, began.id, person.id, now - timedelta(days=5))
    async with db.transaction() as session:
        await attendance.mark(session, event_id=began.id, person_id=people[0].id, came=True)
    extra = [await make_event(db, now=now, starts_in=timedelta(days=10 + i)) for i in range(6)]

    async with db.session() as session:
        with statements(db) as seen:
            first = await staff_events.page(session, number=0, now=now)
        second = await staff_events.page(session, number=1, now=now)
        past_end = await staff_events.page(session, number=99, now=now)

    assert len(seen) == 2  # the count, and the page with its figures: no query per event
    assert [f.event.id for f in first.items] == [began.id, draft.id, full.id] + [
        e.id for e in extra[:5]
    ]
    figures = {f.event.id: (f.registered, f.waiting, f.came) for f in first.items}
    assert figures[full.id] == (2, 3, 0)
    assert figures[began.id] == (3, 0, 1)
    assert figures[draft.id] == (0, 0, 0)
    assert (first.pages, second.page, [f.event.id for f in second.items]) == (2, 1, [extra[5].id])
    assert past_end.page == 1


async def test_the_card_shows_drafts_and_cancelled_events_and_a_missing_one_is_not_found(
    db: Database, now: datetime
) -> None:
    draft = await make_event(db, now=now, status="draft")
    cancelled = await make_event(db, now=now, status="cancelled")
    async with db.session() as session:
        assert (await staff_events.card(session, event_id=draft.id)).figures.event.status == "draft"
        assert (await staff_events.card(session, event_id=cancelled.id)).figures.event.id == (
            cancelled.id
        )
        with pytest.raises(EventNotFoundError):
            await staff_events.card(session, event_id=cancelled.id + 100)


async def test_publishing_a_draft_once_and_refusing_past_cancelled_or_missing_events(
    db: Database, now: datetime
) -> None:
    draft = await make_event(db, now=now, status="draft")
    past = await make_event(db, now=now, starts_in=timedelta(hours=-1), status="draft")
    cancelled = await make_event(db, now=now, status="cancelled")
    async with db.transaction() as session:
        assert await event_admin.publish_event(session, draft.id, now=now) is True
    async with db.transaction() as session:
        assert await event_admin.publish_event(session, draft.id, now=now) is False
    for event_id, error in (
        (past.id, event_admin.EventInPastError),
        (cancelled.id, event_admin.EventCancelledError),
        (cancelled.id + 100, EventNotFoundError),
    ):
        with pytest.raises(error):
            async with db.transaction() as session:
                await event_admin.publish_event(session, event_id, now=now)
    async with db.session() as session:
        statuses = [
            (await staff_events.card(session, event_id=e.id)).figures.event.status
            for e in (draft, past, cancelled)
        ]
    assert statuses == [EventStatus.PUBLISHED, EventStatus.DRAFT, EventStatus.CANCELLED]


async def test_registrants_come_confirmed_first_in_the_order_they_registered(
    db: Database, now: datetime
) -> None:
    event = await make_event(db, now=now, capacity=1)
    people = [await make_person(db, 200 + i, now=now, name=f"Особа {i}") for i in range(3)]
    for i, person in enumerate(reversed(people)):
        await _register(db, event.id, person.id, now + timedelta(minutes=i))
    async with db.transaction() as session:
        await registration.cancel(
            session,
            event_id=event.id,
            person_id=people[1].id,
            now=now + timedelta(minutes=5),
            default_reminders=REMINDERS,
        )
    async with db.session() as session:
        figures, rows = await staff_events.registrants(session, event_id=event.id)
    assert (figures.registered, figures.waiting) == (1, 1)
    assert [(r.name, r.status, r.registered_at) for r in rows] == [
        ("Особа 2", "confirmed", now),
        ("Особа 0", "waiting", now + timedelta(minutes=2)),
    ]


async def test_progress_counts_a_message_for_someone_who_blocked_the_bot_as_undelivered(
    db: Database, now: datetime
) -> None:
    event = await make_event(db, now=now)
    people = [await make_person(db, 300 + i, now=now) for i in range(4)]
    for person in people:
        await queue(
            db, events=[event], person_id=person.id, kind=NotificationKind.ANNOUNCEMENT, due=now
        )
    async with db.transaction() as session:
        await session.execute(
            update(Notification)
            .where(Notification.person_id == people[0].id)
            .values(status=NotificationStatus.SENT)
        )
        await session.execute(
            update(Notification)
            .where(Notification.person_id == people[1].id)
            .values(status=NotificationStatus.FAILED)
        )
        await session.execute(
            update(Person).where(Person.id == people[2].id).values(unreachable_at=now)
        )
    async with db.session() as session:
        progress = await staff_events.announcement_progress(session, event_id=event.id)
    assert (progress.total, progress.sent, progress.undelivered, progress.pending) == (4, 1, 2, 1)
    assert not progress.done


async def test_toggling_attendance_flips_the_mark_and_refuses_anyone_without_a_seat(
    db: Database, now: datetime
) -> None:
    event = await make_event(db, now=now, capacity=1)
    seated, waiting = [await make_person(db, 300 + i, now=now) for i in range(2)]
    for person in (seated, waiting):
        await _register(db, event.id, person.id, now)

    async with db.transaction() as session:
        marks = [
            await attendance.toggle(session, event_id=event.id, person_id=seated.id)
            for _ in range(3)
        ]
    assert marks == [True, False, True]  # not marked counts as did not come
    async with db.transaction() as session:
        with pytest.raises(NotRegisteredError):
            await attendance.toggle(session, event_id=event.id, person_id=waiting.id)
        with pytest.raises(NotRegisteredError):
            await attendance.mark(session, event_id=event.id, person_id=waiting.id, came=True)
    async with db.session() as session:
        sheet = await attendance.sheet(session, event_id=event.id)
    assert [(a.person_id, a.attended) for a in sheet.attendees] == [(seated.id, True)]
    assert sheet.came == 1
