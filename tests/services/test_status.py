"""The status service: the last error is the latest of a refused message and an error
while answering, and a shell (not inside the bot) has no uptime."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from bot.deps import Health
from bot.domain.status import NotificationKind, NotificationStatus
from bot.services import status
from storage.database import Database
from storage.models import Heartbeat, Notification
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
        inside = await status.status(session, database_url=database_url, health=health, now=now)
        shell = await status.status(session, database_url=database_url, health=None, now=now)
    assert inside.last_error == (status.DELIVERY, "changed") and inside.last_error_at == now
    assert inside.uptime is not None and shell.uptime is None
    assert inside.failed == shell.failed == 1

    health.note_error(now + timedelta(minutes=1), "KeyError")
    async with db.session() as session:
        inside = await status.status(session, database_url=database_url, health=health, now=now)
        shell = await status.status(session, database_url=database_url, health=None, now=now)
    assert inside.last_error == (status.UPDATE, "KeyError")
    assert shell.last_error == (status.DELIVERY, "changed")  # the shell sees the database only


async def test_the_heartbeat_keeps_one_row_per_instance_and_status_reads_the_freshest(
    db: Database, now: datetime, database_url: str
) -> None:
    async with db.session() as session:
        never = await status.status(session, database_url=database_url, health=None, now=now)
    assert never.bot_beat_at is None and never.bot_started_at is None

    started = now - timedelta(hours=3)
    for minutes in (0, 1, 2):  # one bot beating every minute: one row, moved on
        async with db.transaction() as session:
            await status.beat(
                session,
                instance="library",
                started_at=started,
                now=now + timedelta(minutes=minutes),
            )
    async with db.transaction() as session:  # another instance, which stopped long ago
        await status.beat(
            session, instance="old-laptop", started_at=now - timedelta(days=9), now=started
        )
    async with db.session() as session:
        rows = (await session.execute(select(Heartbeat.instance))).scalars().all()
        seen = await status.status(
            session, database_url=database_url, health=None, now=now + timedelta(minutes=2)
        )
    assert sorted(rows) == ["library", "old-laptop"]
    assert seen.bot_started_at == started
    assert seen.bot_beat_at == now + timedelta(minutes=2)
