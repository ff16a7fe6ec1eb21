"""Storage benchmarks: registrations under a crowd, and the outbox's claim-send-mark cycle.

Prints figures; asserts nothing. Machines here are shared and noisy, so each figure is
also given as a ratio to a baseline measured in the same run on the same database: one
trivial write transaction (``UPDATE`` of one row).

    python benchmarks/bench_storage.py            # SQLite, and PostgreSQL if one answers
    HROMADA_BENCH_PG=postgresql://postgres@127.0.0.1:5432/postgres python benchmarks/bench_storage.py
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from benchmarks.databases import postgres_server, scratch_database
from benchmarks.results import Row, print_json
from bot.domain.event_import import EventDraft
from bot.domain.status import NotificationKind, NotificationStatus
from bot.services import registration
from storage import events, migrate, notifications, people
from storage.database import Database

NOW = datetime.now(UTC)
CROWD, SEATS = 400, 50
OUTBOX = 1000
BASELINE_OPS = 300


async def baseline(db: Database) -> float:
    """Seconds per trivial write transaction (median of batches)."""
    async with db.transaction() as session:
        await session.execute(text("CREATE TABLE IF NOT EXISTS bench_counter (n integer)"))
        await session.execute(text("DELETE FROM bench_counter"))
        await session.execute(text("INSERT INTO bench_counter VALUES (0)"))
    samples = []
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(BASELINE_OPS // 3):
            async with db.transaction() as session:
                await session.execute(text("UPDATE bench_counter SET n = n + 1"))
        samples.append((time.perf_counter() - start) / (BASELINE_OPS // 3))
    return statistics.median(samples)


async def crowd(db: Database) -> tuple[float, int]:
    """Seconds per registration when CROWD people tap at once for SEATS seats."""
    async with db.transaction() as session:
        (event,) = await events.add_many(
            session,
            [EventDraft("Бенчмарк", "training", NOW + timedelta(days=3), None, "Зала", SEATS)],
            now=NOW,
        )
        ids = [(await people.ensure(session, 10_000_000 + i, now=NOW)).id for i in range(CROWD)]

    async def one(person_id: int) -> None:
        async with db.transaction() as session:
            await registration.register(
                session,
                event_id=event.id,
                person_id=person_id,
                default_reminders=(timedelta(hours=2),),
                now=NOW,
            )

    start = time.perf_counter()
    await asyncio.gather(*(one(pid) for pid in ids))
    elapsed = time.perf_counter() - start
    async with db.session() as session:
        taken = (
            await session.execute(text(f"SELECT seats_taken FROM event WHERE id = {event.id}"))
        ).scalar_one()
    return elapsed / CROWD, taken


async def outbox(db: Database) -> float:
    """Seconds per notification to claim and mark sent (no network)."""
    async with db.transaction() as session:
        (event,) = await events.add_many(
            session,
            [EventDraft("Вихідні", "training", NOW + timedelta(days=3), None, "Зала", None)],
            now=NOW,
        )
        ids = [(await people.ensure(session, 20_000_000 + i, now=NOW)).id for i in range(OUTBOX)]
        await notifications.enqueue(
            session,
            [
                {
                    "event_id": event.id,
                    "person_id": pid,
                    "kind": NotificationKind.ANNOUNCEMENT,
                    "due_at": NOW,
                    "created_at": NOW,
                }
                for pid in ids
            ],
        )
    start = time.perf_counter()
    done = 0
    while True:
        async with db.transaction() as session:
            claimed = await notifications.claim_next(
                session, now=NOW, worker="bench", lease=timedelta(minutes=5)
            )
        if claimed is None:
            break
        async with db.transaction() as session:
            await notifications.finish(
                session, claimed.id, worker="bench", status=NotificationStatus.SENT, now=NOW
            )
        done += 1
    assert done == OUTBOX, done
    return (time.perf_counter() - start) / OUTBOX


async def bench(name: str, url: str) -> list[Row]:
    db = Database(url)
    try:
        await migrate.upgrade(db)
        base = await baseline(db)
        per_registration, taken = await crowd(db)
        per_notification = await outbox(db)
    finally:
        await db.dispose()
    print(f"\n{name}")
    print(f"  baseline write transaction        {base * 1000:8.2f} ms")
    print(
        f"  registration, {CROWD} at once for {SEATS} seats {per_registration * 1000:8.2f} ms each"
        f"  ({per_registration / base:5.1f}x baseline; {1 / per_registration:6.0f}/s; seats taken {taken})"
    )
    print(
        f"  outbox claim + mark sent          {per_notification * 1000:8.2f} ms each"
        f"  ({per_notification / base:5.1f}x baseline; {1 / per_notification:6.0f}/s, Telegram allows 30/s)"
    )
    database = name.split(" ", maxsplit=1)[0]
    baseline_ms = f"{base * 1000:.2f} ms (one write transaction)"
    return [
        Row(
            "storage",
            f"{database}: registration, {CROWD} at once for {SEATS} seats",
            f"{per_registration * 1000:.2f} ms each, {taken} seats taken",
            baseline_ms,
            per_registration / base,
        ),
        Row(
            "storage",
            f"{database}: outbox claim + mark sent",
            f"{per_notification * 1000:.2f} ms each",
            baseline_ms,
            per_notification / base,
        ),
    ]


async def main(as_json: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rows = await bench(
            "SQLite (WAL, temporary file)", f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        )
    server = postgres_server()
    if server is None:
        print("\nPostgreSQL: none answers on 127.0.0.1:5432; skipped")
    else:
        async with scratch_database(server) as url:
            rows += await bench("PostgreSQL (asyncpg, 127.0.0.1)", url)
    if as_json:
        print_json(rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="also print the rows as JSON")
    asyncio.run(main(parser.parse_args().json))
