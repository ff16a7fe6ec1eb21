"""When the question after an event is queued (issue 12), on a real database."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.domain.status import NotificationKind
from bot.services import event_admin, feedback, people, registration
from storage import feedback as feedback_storage
from storage import notifications
from storage.database import Database
from storage.models import Feedback, Notification, Registration
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


async def test_forget_deletes_the_comment_and_keeps_the_rating_in_the_figures(
    db: Database,
) -> None:
    """A comment is the person's own words (it may name them, or a neighbour): /forget
    deletes it, as it does their name; the rating stays, anonymous, in the report."""
    created = NOW - 30 * 24 * H
    event = await make_event(db, now=created, starts_in=(NOW - 3 * H) - created)
    await _came(db, event.id, 71)
    async with db.transaction() as session:
        await feedback.rate(session, telegram_id=71, event_id=event.id, rating=4, now=NOW)
        await feedback.comment(session, telegram_id=71, text="Я Марія з Гаврилівки, дякую!")
    period = {"start": NOW - 40 * 24 * H, "end": NOW + H, "program_id": None, "until": NOW}
    async with db.session() as session:
        assert len(await feedback_storage.comments(session, **period)) == 1
    async with db.transaction() as session:
        await people.forget(session, 71, default_reminders=REMINDERS, now=NOW)
    async with db.session() as session:
        assert await feedback_storage.comments(session, **period) == []
        stored = (await session.execute(select(Feedback.comment))).scalars().all()
        assert stored == [None]
        figures = await feedback_storage.by_event(session, **period)
    assert figures[event.id].answered == 1 and figures[event.id].average == 4.0


async def test_correcting_an_ended_events_place_keeps_the_question_queued(db: Database) -> None:
    """Staff fix the place of an event that has just ended (for the report): the question
    after it is about the end, not the start, so it must not expire with the start."""
    created = NOW - 30 * 24 * H
    event = await make_event(db, now=created, starts_in=(NOW - 2 * H) - created)
    await _came(db, event.id, 72)
    async with db.transaction() as session:
        assert await feedback.queue_questions(session, now=NOW) == 1
    async with db.transaction() as session:
        await event_admin.update_event(
            session,
            event.id,
            event_admin.Changes(place="Читальна зала, 2 поверх"),
            default_reminders=REMINDERS,
            now=NOW,
        )
    async with db.transaction() as session:
        await notifications.drop_expired(session, now=NOW + 2 * H, lease=timedelta(minutes=5))
    async with db.session() as session:
        status = (
            await session.execute(
                select(Notification.status).where(Notification.kind == NotificationKind.FEEDBACK)
            )
        ).scalar_one()
    assert status == "pending"
