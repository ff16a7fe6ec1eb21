"""A flood of junk updates mixed with real first sign-ups: how long do residents wait, how
fast is junk got rid of, and does memory stay flat?

The real bot against the local Bot API emulator, on a temporary SQLite file. Junk comes
from ``emulator.junk`` (random and 100 KB texts, random and oversized button data, update
kinds the bot never asked for, odd fields) from 300 accounts.

1. Time, with Telegram's limits (30 messages a second in all, one a second into a chat,
   enforced by the emulator as well): 20 residents each go through the first sign-up
   (name, category, phone, consent) alone — the baseline — and then while 10,000 junk
   updates arrive.
2. Memory, with the limits lifted (so the run is short): 1,000 junk to warm up, then three
   rounds of 10,000. After each round the emulator's own records are cleared, garbage
   collected, and Python's traced memory (tracemalloc) and the resident set size read; the
   later rounds' growth over the first is what a leak would show.

Prints figures; asserts nothing.

    python benchmarks/bench_junk.py [--junk 10000] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import json
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from telegram.ext import Application

from benchmarks.emulated import TOKEN, config_for
from bot.app import build_application, start, stop
from bot.domain.event_import import EventDraft
from bot.ratelimit import ChatRateLimiter
from emulator import BotApiEmulator, SimUser
from emulator.junk import JunkMaker
from storage import events, migrate
from storage.database import Database

RESIDENTS = 20
STRANGERS = 300
PATIENCE = 900  # seconds a resident waits for an answer before the run is called off
NAME = "bench_junk"


@dataclasses.dataclass
class Bench:
    emu: BotApiEmulator
    app: Application  # type: ignore[type-arg]
    db: Database
    event_id: int
    strangers: list[SimUser]
    junk: JunkMaker


@asynccontextmanager
async def running(*, limits: bool) -> AsyncIterator[Bench]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.sqlite3"
        db = Database(url)
        await migrate.upgrade(db)
        async with BotApiEmulator(token=TOKEN) as emu:
            limiter = (
                None
                if limits
                else ChatRateLimiter(overall_per_second=10_000, chat_per_second=10_000)
            )
            if limits:
                emu.set_rate_limits(per_chat_per_second=1, global_per_second=30)
            app = build_application(config_for(emu, url), token=TOKEN, db=db, rate_limiter=limiter)
            await start(app)
            now = datetime.now(UTC)
            async with db.transaction() as session:
                (event,) = await events.add_many(session, [_draft(now)], now=now)
            strangers = [emu.add_user(first_name=f"Незнайомець {i}") for i in range(STRANGERS)]
            junk = JunkMaker(emu, strangers, random.Random(2026))
            try:
                yield Bench(emu, app, db, event.id, strangers, junk)
            finally:
                await stop(app)
                await db.dispose()


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


async def first_sign_up(user: SimUser, event_id: int, number: int) -> float:
    """Seconds from the deep link to the confirmation, the questions answered at once."""
    started = time.perf_counter()
    await user.send_command(f"/start event_{event_id}")
    card = await user.next_reply(timeout=PATIENCE)
    await user.press(card, text="Записатися")
    await user.next_reply(timeout=PATIENCE)
    await user.send_text(f"Олена Петренко {number}")
    categories = await user.next_reply(timeout=PATIENCE)
    await user.press(categories, text="Користувачі бібліотеки")
    await user.next_reply(timeout=PATIENCE)
    await user.send_contact(phone_number="+380501234567")
    await user.next_reply(timeout=PATIENCE)
    consent = await user.next_reply(timeout=PATIENCE)
    await user.press(consent, text="Погоджуюся")
    confirmation = await user.next_reply(timeout=PATIENCE)
    if not confirmation.text.startswith("✅ Ви записані!"):
        raise RuntimeError(f"sign-up {number} did not succeed: {confirmation.text[:80]!r}")
    return time.perf_counter() - started


async def sign_ups(bench: Bench, first: int, *, junk: int) -> tuple[list[float], float]:
    """Each resident's sign-up time, with ``junk`` updates arriving meanwhile; and how long
    until the bot had fetched every update."""
    residents = [bench.emu.add_user(first_name=f"Мешканка {first + i}") for i in range(RESIDENTS)]
    started = time.perf_counter()

    async def flood() -> None:
        for _ in range(junk // 500):
            await bench.junk.push(500)
            await asyncio.sleep(0.05)

    async def resident(number: int, user: SimUser) -> float:
        await asyncio.sleep(number * 0.2)  # arriving through the flood
        return await first_sign_up(user, bench.event_id, first + number)

    _, *times = await asyncio.gather(
        flood(), *(resident(i, user) for i, user in enumerate(residents))
    )
    await drained(bench)
    return times, time.perf_counter() - started


async def drained(bench: Bench) -> None:
    """Until every update was fetched and handled."""
    app = bench.app
    # Polling is the point: three places to look, none of which signals.
    while bench.emu.pending_updates or not app.update_queue.empty() or _in_flight(app):  # noqa: ASYNC110
        await asyncio.sleep(0.05)


def _in_flight(app: Application) -> bool:  # type: ignore[type-arg]
    return any(n != 0 for n in app.update_processor.tables)  # type: ignore[attr-defined]


async def junk_round(bench: Bench, count: int) -> float:
    started = time.perf_counter()
    for _ in range(max(count // 500, 1)):
        await bench.junk.push(min(500, count))
        await asyncio.sleep(0.05)
    await drained(bench)
    await asyncio.sleep(0.5)  # the last answers
    return time.perf_counter() - started


def forget_emulator_records(emu: BotApiEmulator) -> None:
    """The emulator runs in this process too: drop what it recorded, so the figures are
    the bot's."""
    emu.requests.clear()
    emu.state.transcript.entries.clear()
    emu.state.queries.clear()
    for user in emu.users:
        user.chat.bot_messages.clear()
        user.chat.user_messages.clear()
        user.chat.actions.clear()  # what the simulated user has yet to read
        user.chat.chat_actions.clear()
        user.chat.cursor = 0


def memory() -> tuple[float, float]:
    """Traced Python memory and the resident set size now, in MiB (after a collection)."""
    gc.collect()
    traced, _ = tracemalloc.get_traced_memory()
    with open("/proc/self/statm") as statm:
        rss_pages = int(statm.read().split()[1])
    return traced / 2**20, rss_pages * resource.getpagesize() / 2**20


def row(what: str, value: float, baseline: float) -> dict[str, Any]:
    return {
        "benchmark": NAME,
        "what": what,
        "value": round(value, 3),
        "baseline": round(baseline, 3),
        "ratio": round(value / baseline, 2) if baseline else None,
    }


async def main(junk: int, as_json: bool, *, timing: bool = True) -> None:
    rows: list[dict[str, Any]] = []
    if timing:
        rows += await timing_rows(junk)
    rows += await memory_rows(junk)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))  # one line: run_all.py reads it
        return
    print(f"\n{RESIDENTS} first sign-ups among {junk} junk updates from {STRANGERS} accounts")
    print("| what | value | baseline | ratio |")
    print("|---|---|---|---|")
    for r in rows:
        print(f"| {r['what']} | {r['value']} | {r['baseline']} | {r['ratio']} |")


async def timing_rows(junk: int) -> list[dict[str, Any]]:
    async with running(limits=True) as bench:
        alone, _ = await sign_ups(bench, 0, junk=0)
        flooded, took = await sign_ups(bench, RESIDENTS, junk=junk)
        processor = bench.app.update_processor
        dropped = processor.dropped  # type: ignore[attr-defined]
    base = statistics.median(alone)
    return [
        row("first sign-up, median s (baseline: no junk)", statistics.median(flooded), base),
        row("first sign-up, slowest s (baseline: slowest, no junk)", max(flooded), max(alone)),
        row(f"{junk} junk + sign-ups handled, s (baseline: sign-ups alone)", took, max(alone)),
        row("junk updates skipped by the flood guard (of all junk)", dropped, junk),
    ]


async def memory_rows(junk: int) -> list[dict[str, Any]]:
    tracemalloc.start()
    async with running(limits=False) as bench:
        await junk_round(bench, 1000)
        forget_emulator_records(bench.emu)
        traced0, rss0 = memory()
        first = await junk_round(bench, junk)
        forget_emulator_records(bench.emu)
        traced1, rss1 = memory()
        second = await junk_round(bench, junk)
        forget_emulator_records(bench.emu)
        traced2, rss2 = memory()
        await junk_round(bench, junk)
        forget_emulator_records(bench.emu)
        traced3, rss3 = memory()
        tables = bench.app.update_processor.tables  # type: ignore[attr-defined]
        chats = bench.app.bot.rate_limiter.chats  # type: ignore[union-attr]
    tracemalloc.stop()
    return [
        row(f"junk handled per second, 2nd {junk} (baseline: 1st)", junk / second, junk / first),
        row("traced MiB after 1st round (baseline: warmed up)", traced1, traced0),
        row("traced MiB after 2nd round (baseline: after 1st)", traced2, traced1),
        row("RSS MiB after 1st round (baseline: warmed up)", rss1, rss0),
        row("RSS MiB after 2nd round (baseline: after 1st)", rss2, rss1),
        row("traced MiB after 3rd round (baseline: after 2nd)", traced3, traced2),
        row("RSS MiB after 3rd round (baseline: after 2nd)", rss3, rss2),
        row("per-person entries left in the update processor", sum(tables), 0),
        row("chats with a rate-limit bucket (baseline: the cap, KEEP_CHATS)", chats, 1024),
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--junk", type=int, default=10_000, help="junk updates per round")
    parser.add_argument("--json", action="store_true", help="rows as a JSON list")
    parser.add_argument("--memory-only", action="store_true", help="skip the timed part")
    args = parser.parse_args()
    asyncio.run(main(args.junk, args.json, timing=not args.memory_only))
