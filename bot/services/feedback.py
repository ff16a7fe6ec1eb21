"""After an event, those who came are asked how useful it was (1-5) and may add a few
words. One question per person and event, through the outbox (so within quiet hours);
anyone can ask not to be asked again. The report counts the answers without names."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.door import window
from bot.domain.errors import DomainError, InvalidInputError
from bot.domain.status import NotificationKind
from bot.domain.text import has_control_characters, multiline
from bot.services import dialogs
from bot.services.registration import visible_event
from storage import feedback, notifications, people
from storage.models import Event

ASK_AFTER = timedelta(hours=1)  # after the end: people are on their way home
ASK_WITHIN = timedelta(days=3)  # attendance marked later than this: too late to ask
COMMENT_LIMIT = 1000


class NotAttendedError(DomainError):
    """Only those who came are asked (a forged or old button otherwise)."""


async def queue_questions(session: AsyncSession, *, now: datetime) -> int:
    """Queue the question for everyone who came to an event that ended within the last
    three days and has not been asked; returns how many were queued."""
    longest = timedelta(hours=12)  # events longer than this are rare; they wait a sweep
    rows = []
    for event in await feedback.events_started_between(
        session, since=now - ASK_WITHIN - longest, until=now
    ):
        end = window(event.starts_at, event.ends_at)[1]
        if not (now - ASK_WITHIN <= end <= now):
            continue
        due = max(end + ASK_AFTER, now)
        rows += [
            {
                "event_id": event.id,
                "person_id": person_id,
                "kind": NotificationKind.FEEDBACK,
                "due_at": due,
                "expires_at": end + ASK_WITHIN,
                "created_at": now,
            }
            for person_id in await feedback.to_ask(session, event.id)
        ]
    await notifications.enqueue(session, rows)
    return len(rows)


async def rate(
    session: AsyncSession, *, telegram_id: int, event_id: int, rating: int, now: datetime
) -> tuple[Event, bool]:
    """Record the rating; the event, and whether their next text will be the comment."""
    event = await visible_event(session, event_id)
    person = await people.by_telegram_id(session, telegram_id)
    if person is None or not await feedback.came(session, event_id=event_id, person_id=person.id):
        raise NotAttendedError(event_id)
    await feedback.rate(session, event_id=event_id, person_id=person.id, rating=rating, now=now)
    asked = await dialogs.ask_feedback_comment(session, telegram_id, event_id, now=now)
    return event, asked


async def comment(session: AsyncSession, *, telegram_id: int, text: str) -> Event | None:
    """Their text as the comment on the event they rated last; None if none is awaited.
    Raises InvalidInputError (and keeps waiting) for text that cannot be kept."""
    event_id = await dialogs.feedback_event(session, telegram_id)
    if event_id is None:
        return None
    cleaned = multiline(text)
    if not cleaned or has_control_characters(cleaned):
        raise InvalidInputError("comment_chars")
    if len(cleaned) > COMMENT_LIMIT:
        raise InvalidInputError("comment_long")
    person = await people.by_telegram_id(session, telegram_id)
    await dialogs.close_feedback(session, telegram_id)
    if person is None:
        return None
    await feedback.add_comment(session, event_id=event_id, person_id=person.id, text=cleaned)
    return await visible_event(session, event_id)


async def stop_asking(session: AsyncSession, *, telegram_id: int) -> None:
    """No more questions about events for this person (pending ones are dropped)."""
    person = await people.by_telegram_id(session, telegram_id)
    if person is not None:
        await feedback.stop_asking(session, person.id)
    await dialogs.close_feedback(session, telegram_id)
