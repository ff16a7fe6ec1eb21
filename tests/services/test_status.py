"""The status service: the last error is the latest of a refused message and an error
while answering, and a shell (not inside the bot) has no uptime."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update

from bot.deps import Health
from bot.domain.status import NotificationKind, NotificationStatus
from bot.services import status
from storage.database import Database
from storage.models import Notification
from tests.factories import make_event, make_person, queue


async def test_the_last_error_is_the_latest_of_either_kind(
    db: Database, now: datetime, database_url: str
) -> None:
    event = await make_event(db, now=now, starts_in=timedelta(days=2))
    person = await make_person(db, 1, now=now)
    await queue(db, events=[event], person_id=person.id, kind=NotificationKind.CHANGED, due=now)
    async with db.transaction() as session:
        await session.execute(
            update(Notification).values(status=NotificationStatus.FAILED, claimed_at=now)
        )
    health = Health()
    health.note_error(now - timedelta(minutes=1), "KeyError")
    async with db.session() as session:
        inside = await status.status(session, database_url=database_url, health=health)
        shell = await status.status(session, database_url=database_url, health=None)
    assert inside.last_error == (status.DELIVERY, "changed") and inside.last_error_at == now
    assert inside.uptime is not None and shell.uptime is None
    assert inside.failed == shell.failed == 1

    health.note_error(now + timedelta(minutes=1), "KeyError")
    async with db.session() as session:
        inside = await status.status(session, database_url=database_url, health=health)
        shell = await status.status(session, database_url=database_url, health=None)
    assert inside.last_error == (status.UPDATE, "KeyError")
    assert shell.last_error == (status.DELIVERY, "changed")  # the shell sees the database only
