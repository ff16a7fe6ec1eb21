"""A stand-in for a busy bot: registers new people for one event, one transaction each,
in a loop, printing each person's Telegram id once its registration is committed.

``python -m tests.cli.registering DATABASE_URL EVENT_ID`` (stop it with SIGTERM).
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta

from bot.services import registration
from storage import people
from storage.database import Database


async def main(url: str, event_id: int) -> None:
    db = Database(url)
    telegram_id = 1_000_000
    try:
        while True:
            telegram_id += 1
            now = datetime.now(UTC)
            async with db.transaction() as session:
                person = await people.ensure(session, telegram_id, now=now)
                person.full_name = f"Мешканка {telegram_id}"
                person.consent_at = now
                await session.flush()
                await registration.register(
                    session,
                    event_id=event_id,
                    person_id=person.id,
                    default_reminders=[timedelta(hours=2)],
                    now=now,
                )
            print(telegram_id, flush=True)
    finally:
        await db.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
