"""Telegram down for a minute: how soon after it is back are polling, a resident's tap and
the reminders that fell due meanwhile through, and how many tries did the outbox spend?

The real bot against the local Bot API emulator on a temporary SQLite file (the bot's
defaults: a sweep every 15 s, the outbox's back-off 5 s, 10 s, 20 s...). Ten reminders
fall due as the outage begins (every call answered 502, or hanging past the 15 s read
timeout); a resident writes /start during it. Figures are seconds after the outage ended;
the baseline is the same with no outage, measured from the same moment.

Prints figures; asserts nothing.

    python benchmarks/bench_outage.py [--seconds 60] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_junk import running
from sqlalchemy import select

from bot.domain.status import NotificationKind
from storage import notifications, people
from storage.models import Notification

NAME = "bench_outage"
REMINDERS = 10


async def scenario(seconds: float, status: int | None) -> dict[str, float]:
    """Seconds after the outage ended until each thing happened; the outbox's tries."""
    async with running(limits=False) as bench:
        residents = [bench.emu.add_user(first_name=f"Мешканка {i}") for i in range(REMINDERS)]
        for user in residents:
            user.chat.started = True  # they wrote to the bot when they signed up
        now = datetime.now(UTC)
        async with bench.db.transaction() as session:
            rows = []
            for user in residents:
                person = await people.ensure(session, user.user_id, now=now)
                person.full_name, person.consent_at = "Олена Петренко", now
                await session.flush()
                rows.append(
                    {
                        "event_id": bench.event_id,
                        "person_id": person.id,
                        "kind": NotificationKind.REMINDER,
                        "due_at": now,
                        "expires_at": now + timedelta(days=3),
                        "created_at": now,
                    }
                )
            await notifications.enqueue(session, rows)
        tapper = bench.emu.add_user(first_name="Тарас")
        if seconds > 0:
            bench.emu.outage(seconds, status=status)
        back = time.monotonic() + seconds
        bench.app.bot_data["deps"].poke()
        await tapper.send_command("/start")
        await tapper.next_reply(timeout=seconds + 120)
        answered = time.monotonic() - back
        for user in residents:
            await user.next_reply(timeout=seconds + 600)
        delivered = time.monotonic() - back
        async with bench.db.session() as session:
            tries = (await session.execute(select(Notification.attempts))).scalars().all()
        return {"answered": answered, "delivered": delivered, "tries": max(tries)}


def row(what: str, value: float, baseline: float) -> dict[str, Any]:
    return {
        "benchmark": NAME,
        "what": what,
        "value": round(value, 2),
        "baseline": round(baseline, 2),
        "ratio": round(value / baseline, 2) if baseline else None,
    }


async def main(seconds: float, as_json: bool) -> None:
    calm = await scenario(0, 502)
    rows: list[dict[str, Any]] = []
    for status, name in ((502, "502"), (None, "no answer")):
        down = await scenario(seconds, status)
        rows += [
            row(
                f"{name}: a /start sent in the outage answered, s after",
                down["answered"],
                calm["answered"],
            ),
            row(
                f"{name}: all {REMINDERS} due reminders delivered, s after",
                down["delivered"],
                calm["delivered"],
            ),
            row(f"{name}: the outbox's tries of a reminder, at most", down["tries"], calm["tries"]),
        ]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))  # one line: run_all.py reads it
        return
    print(f"\nTelegram down for {seconds:.0f} s; baseline: no outage")
    print("| what | value | baseline | ratio |")
    print("|---|---|---|---|")
    for r in rows:
        print(f"| {r['what']} | {r['value']} | {r['baseline']} | {r['ratio']} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="how long Telegram is down")
    parser.add_argument("--json", action="store_true", help="rows as a JSON list")
    args = parser.parse_args()
    asyncio.run(main(args.seconds, args.json))
