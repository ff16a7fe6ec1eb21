"""Builders for test data, through the same code paths the bot uses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.domain.event_import import EventDraft
from storage import events, notifications, people
from storage.database import Database
from storage.models import Event, Person

# The administrator named in the staff configuration of the tests about staff.
LIBRARIAN = 777


async def make_event(
    db: Database,
    *,
    now: datetime,
    starts_in: timedelta = timedelta(days=3),
    capacity: int | None = 10,
    title: str = "Навчаємось вираховувати субсидію",
    kind: str = "training",
    status: str = "published",
) -> Event:
    async with db.transaction() as session:
        (event,) = await events.add_many(
            session,
            [
                EventDraft(
                    title=title,
                    kind=kind,
                    starts_at=now + starts_in,
                    ends_at=None,
                    place="Читальна зала",
                    capacity=capacity,
                )
            ],
            now=now,
        )
        event.status = status
    return event


async def make_program(db: Database, name: str, *, now: datetime) -> int:
    """The programme called ``name`` (made if missing): its id."""
    from bot.services import programs

    async with db.transaction() as session:
        found = await programs.find(session, name)
        if found is None:
            found = await programs.create(session, name=name, now=now)
        return found.id


async def make_person(
    db: Database, telegram_id: int, *, now: datetime, name: str | None = "Олена Петренко"
) -> Person:
    async with db.transaction() as session:
        person = await people.ensure(session, telegram_id, now=now)
        person.full_name = name
        person.category = "library_users"
        person.consent_at = now
    return person


async def queue(
    db: Database,
    *,
    events: Sequence[Event],
    person_id: int,
    kind: str,
    due: datetime,
    expires: bool = True,
) -> None:
    """Put a notification straight into the outbox, as the services would."""
    async with db.transaction() as session:
        await notifications.enqueue(
            session,
            [
                {
                    "event_id": event.id,
                    "person_id": person_id,
                    "kind": kind,
                    "due_at": due,
                    "expires_at": event.starts_at if expires else None,
                    "created_at": due,
                }
                for event in events
            ],
        )
