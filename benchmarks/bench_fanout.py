"""Residents tap buttons while an announcement goes out to thousands: how long do they wait?

The real bot against the local Bot API emulator with Telegram's limits switched on (one
message a second into a chat, 30 a second in all), on a temporary SQLite file (or a
scratch PostgreSQL database with ``--postgres``). Ten residents each have their
subscriptions screen open and tap a toggle on it every two seconds or so; each tap is
answered by redrawing the screen. The figures are the time from a tap to its answer, p50
and p99, first with nothing else going on (the baseline of the same run), then while an
announcement to ``--messages`` residents (5,000 by default) goes out through the outbox;
and the announcement's own figures: messages a second, 429s provoked, and residents who got
it not at all or twice (both must be 0).

``--fifo`` also measures the same bot with the outbox's messages not marked as bulk, so
that they and the answers share the overall budget first come, first served.

Prints figures; asserts nothing.

    python benchmarks/bench_fanout.py                    # 5,000 messages: about 7 minutes
    python benchmarks/bench_fanout.py --messages 600     # a quick look
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import random
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.databases import postgres_server, scratch_database
from benchmarks.emulated import TOKEN, config_for
from benchmarks.results import Row, print_json
from bot import ratelimit
from bot.app import build_application, start, stop
from bot.domain.event_import import EventDraft
from bot.domain.status import NotificationKind
from emulator import BotApiEmulator, SimUser
from emulator.messages import SimMessage
from storage import events, migrate, notifications
from storage.database import Database
from storage.models import Person

RESIDENTS = 10
EVERY = 2.0  # seconds between one resident's taps (Telegram paces a chat at ~1/s)
BASELINE_SECONDS = 20.0
CHUNK = 500  # rows per INSERT (SQLite's limit on bound parameters)


@dataclasses.dataclass
class Figures:
    idle: list[float]  # seconds from tap to answer, nothing else going on
    busy: list[float]  # the same during the announcement
    messages: int
    seconds: float  # from the announcement's first message to its last
    refused: int  # 429s the announcement provoked
    lost: int
    doubled: int


@contextlib.asynccontextmanager
async def database(postgres: bool) -> AsyncIterator[str]:
    if postgres:
        server = postgres_server()
        if server is None:
            raise SystemExit("no PostgreSQL answers on 127.0.0.1:5432 (or HROMADA_BENCH_PG)")
        async with scratch_database(server) as url:
            yield url
        return
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite+aiosqlite:///{folder}/bench.sqlite3"


async def measure(messages: int, *, postgres: bool, fifo: bool) -> Figures:
    async with database(postgres) as url:
        db = Database(url)
        await migrate.upgrade(db)
        try:
            async with BotApiEmulator(token=TOKEN) as emu:
                # The announcement goes out at once, whatever the hour of the run.
                config = config_for(emu, url, quiet_hours=False)
                app = build_application(config, token=TOKEN, db=db)
                await start(app)
                try:
                    with _first_come_first_served(fifo):
                        return await _scenario(emu, db, app.bot_data["deps"].poke, messages)
                finally:
                    await stop(app)
        finally:
            await db.dispose()


@contextlib.contextmanager
def _first_come_first_served(fifo: bool) -> Iterator[None]:
    """With ``fifo``, the outbox's messages are not marked bulk (how it was before)."""
    if not fifo:
        yield
        return
    original = ratelimit.bulk
    setattr(ratelimit, "bulk", contextlib.nullcontext)  # noqa: B010
    try:
        yield
    finally:
        setattr(ratelimit, "bulk", original)  # noqa: B010


async def _scenario(emu: BotApiEmulator, db: Database, poke: object, messages: int) -> Figures:
    now = datetime.now(UTC)
    async with db.transaction() as session:
        (event,) = await events.add_many(session, [_draft(now)], now=now)
    residents = [emu.add_user(first_name=f"Мешканка {i}") for i in range(RESIDENTS)]
    screens = []
    for user in residents:
        await user.send_command("/subscribe")
        screens.append(await user.next_reply(timeout=30))
    audience = [emu.add_user(first_name=f"Підписник {i}") for i in range(messages)]
    for user in audience:
        user.chat.started = True  # they wrote to the bot some time ago
    person_ids = await _people(db, audience, now)
    await asyncio.sleep(1.1)  # the /subscribe answers out of the chats' window
    emu.set_rate_limits(per_chat_per_second=1, global_per_second=30)

    idle = await _tapping(residents, screens, until=_after(BASELINE_SECONDS))

    async def announced() -> bool:
        await asyncio.sleep(0.5)
        # The emulator has no event for "everyone has it": look five times a second.
        while sum(1 for u in audience if u.chat.visible_messages()) < messages:  # noqa: ASYNC110
            await asyncio.sleep(0.2)
        return True

    await _announce(db, event.id, person_ids, datetime.now(UTC))
    poke()  # type: ignore[operator]
    done = asyncio.create_task(announced())
    busy = await _tapping(residents, screens, until=done)
    await asyncio.sleep(1.5)  # anything sent twice would be here by now

    chats = {str(u.user_id) for u in audience}
    sends = [r for r in emu.requests_for("sendMessage") if str(r.params.get("chat_id")) in chats]
    got = [len(u.chat.visible_messages()) for u in audience]
    return Figures(
        idle=idle,
        busy=busy,
        messages=messages,
        seconds=sends[-1].time - sends[0].time,
        refused=len(sends) - sum(got),
        lost=sum(1 for n in got if n == 0),
        doubled=sum(n - 1 for n in got if n > 1),
    )


def _after(seconds: float) -> asyncio.Task[bool]:
    async def wait() -> bool:
        await asyncio.sleep(seconds)
        return True

    return asyncio.create_task(wait())


async def _tapping(
    residents: list[SimUser], screens: list[SimMessage], *, until: asyncio.Task[bool]
) -> list[float]:
    """Each resident taps a toggle every EVERY seconds or so until ``until`` is done."""
    latencies: list[float] = []

    async def resident(user: SimUser, screen: SimMessage, offset: float) -> None:
        toggle = screen.buttons[1][0].callback_data  # the first kind of event: on, off, on...
        assert toggle is not None
        await asyncio.sleep(offset)
        while not until.done():
            tapped = time.perf_counter()
            await user.press(screen, callback_data=toggle)
            await user.next_reply(timeout=60)
            latencies.append(time.perf_counter() - tapped)
            await asyncio.sleep(EVERY * random.uniform(0.8, 1.2))

    await asyncio.gather(
        *(
            resident(user, screen, EVERY * i / len(residents))
            for i, (user, screen) in enumerate(zip(residents, screens, strict=True))
        )
    )
    await until
    return latencies


async def _people(db: Database, users: list[SimUser], now: datetime) -> list[int]:
    ids: list[int] = []
    for start_at in range(0, len(users), CHUNK):
        async with db.transaction() as session:
            rows = [
                Person(telegram_id=u.user_id, language="uk", created_at=now)
                for u in users[start_at : start_at + CHUNK]
            ]
            session.add_all(rows)
            await session.flush()
            ids.extend(p.id for p in rows)
    return ids


async def _announce(db: Database, event_id: int, person_ids: list[int], now: datetime) -> None:
    """Queue the announcement for everyone, as /announce does, due now."""
    for start_at in range(0, len(person_ids), CHUNK):
        async with db.transaction() as session:
            await notifications.enqueue(
                session,
                [
                    {
                        "event_id": event_id,
                        "person_id": person_id,
                        "kind": NotificationKind.ANNOUNCEMENT,
                        "due_at": now,
                        "expires_at": now + timedelta(days=3),
                        "created_at": now,
                    }
                    for person_id in person_ids[start_at : start_at + CHUNK]
                ],
            )


def _draft(now: datetime) -> EventDraft:
    return EventDraft(
        title="Навчаємось вираховувати субсидію",
        kind="training",
        starts_at=now + timedelta(days=3),
        ends_at=None,
        place="Читальна зала",
        capacity=None,
        audience="",
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def rows(figures: Figures, fifo: Figures | None) -> list[Row]:
    base50, base99 = percentile(figures.idle, 0.5), percentile(figures.idle, 0.99)
    baseline50 = f"{base50 * 1000:.0f} ms (no fan-out, {len(figures.idle)} taps)"
    baseline99 = f"{base99 * 1000:.0f} ms (no fan-out)"
    n = f"{figures.messages:,}"
    result = []
    for name, run in [("answers first", figures), ("first come, first served", fifo)]:
        if run is None:
            continue
        p50, p99 = percentile(run.busy, 0.5), percentile(run.busy, 0.99)
        rate = run.messages / run.seconds
        result += [
            Row("fanout", f"tap to answer p50, {n} going out ({name})",
                f"{p50 * 1000:.0f} ms ({len(run.busy)} taps)", baseline50, p50 / base50),
            Row("fanout", f"tap to answer p99, {n} going out ({name})", f"{p99 * 1000:.0f} ms",
                baseline99, p99 / base99),
            Row("fanout", f"fan-out rate ({name})", f"{rate:.1f} messages/s",
                "30/s (Telegram)", rate / 30),
            Row("fanout", f"fan-out: 429s, lost, sent twice ({name})",
                f"{run.refused}, {run.lost}, {run.doubled}"),
        ]  # fmt: skip
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=5000, help="announcement's size")
    parser.add_argument("--postgres", action="store_true", help="on PostgreSQL, not SQLite")
    parser.add_argument("--fifo", action="store_true", help="also measure without priority")
    parser.add_argument("--json", action="store_true", help="also print the rows as JSON")
    args = parser.parse_args()
    figures = await measure(args.messages, postgres=args.postgres, fifo=False)
    fifo = await measure(args.messages, postgres=args.postgres, fifo=True) if args.fifo else None
    table = rows(figures, fifo)
    print(f"\n{RESIDENTS} residents tapping every ~{EVERY:.0f} s; Telegram's limits on; "
          f"{'PostgreSQL' if args.postgres else 'SQLite'}")  # fmt: skip
    print("| what | value | baseline (same run) | ratio |")
    print("|---|---|---|---|")
    for r in table:
        ratio = "" if r.ratio is None else f"{r.ratio:.2f}×"
        print(f"| {r.what} | {r.value} | {r.baseline} | {ratio} |")
    if args.json:
        print_json(table)


if __name__ == "__main__":
    asyncio.run(main())
