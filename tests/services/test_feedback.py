"""When the question after an event is queued (issue 12), on a real database."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.domain.status import NotificationKind
from bot.services import feedback, registration
from storage.database import Database
from storage.models import Notification, Registration
from tests.conftest import NOW, REMINDERS
from tests.factories import make_event, make_person

H = timedelta(hours=1)


async def _came(db: Database, event_id: int, telegram_id: int) -> None:
    person = await make_person(db, telegram_id, now=NOW - 30 * 24 * H)
    async with db.transaction() as session:
        await registration.register(
            session,
            event_id=event_id,
            person_id=person.id,
            default_reminders=REMINDERS,
            now=NOW - 30 * 24 * H,
        )
        await session.execute(
            update(Registration).where(Registration.person_id == person.id).values(attended=True)
        )


async def test_asked_an_hour_after_the_end_and_only_within_three_days(db: Database) -> None:
    created = NOW - 30 * 24 * H
    # Without an end an event is taken to last 1 h 30 min.
    just_ended = await make_event(db, now=created, starts_in=(NOW - 2 * H) - created)
    running = await make_event(db, now=created, starts_in=(NOW - H) - created)
    long_ago = await make_event(db, now=created, starts_in=(NOW - 4 * 24 * H) - created)
    for telegram_id, event in ((1, just_ended), (2, running), (3, long_ago)):
        await _came(db, event.id, telegram_id)
    async with db.transaction() as session:
        assert await feedback.queue_questions(session, now=NOW) == 1
    async with db.session() as session:
        rows = (
            await session.execute(
                select(Notification.event_id, Notification.due_at).where(
                    Notification.kind == NotificationKind.FEEDBACK
                )
            )
        ).all()
    end = just_ended.starts_at + timedelta(minutes=90)
    assert [tuple(r) for r in rows] == [(just_ended.id, end + H)]
    # The running one is asked about once it has ended, the next time round.
    async with db.transaction() as session:
        assert await feedback.queue_questions(session, now=NOW + H) == 1
        assert await feedback.queue_questions(session, now=NOW + 2 * H) == 0
