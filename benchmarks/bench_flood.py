"""One resident floods the bot while ten others register: how long do the others wait?

The real bot against the local Bot API emulator with Telegram's limits switched on (one
message a second into a chat, 30 a second in all), on a temporary SQLite file. Each of ten
residents opens an event's card and, a moment later, taps «Записатися»; the figures are the
times each of them waited for the card and for the confirmation. Measured with and without one resident sending 40 /start at the same
moment, for the bot's per-chat rate limiter and, as the baseline of the same run, for
python-telegram-bot's AIORateLimiter (which halts every request after any 429).

Prints figures; asserts nothing.

    python benchmarks/bench_flood.py
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

from telegram.ext import AIORateLimiter

from benchmarks.emulated import TOKEN, config_for
from benchmarks.results import Row, print_json
from bot.app import build_application, start, stop
from bot.domain.event_import import EventDraft
from bot.updates import PerUserUpdateProcessor
from emulator import BotApiEmulator, SimUser
from storage import events, migrate, people
from storage.database import Database

RESIDENTS = 10
FLOOD = 40
READING = 1.5  # seconds between seeing the card and tapping: more than Telegram's 1/s


async def registration_latencies(*, flood: bool, ptb_limiter: bool) -> tuple[list[float], int]:
    """Seconds each resident waited for each answer; notices the flooder got."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.sqlite3"
        db = Database(url)
        await migrate.upgrade(db)
        async with BotApiEmulator(token=TOKEN) as emu:
            app = build_application(config_for(emu, url), token=TOKEN, db=db)
            if ptb_limiter:  # what the bot had before: one limiter, a 429 halts everyone
                app.bot._rate_limiter = AIORateLimiter(max_retries=3)
                app._update_processor = PerUserUpdateProcessor(64, max_pending=10**9)
            await start(app)
            try:
                return await _scenario(emu, db, flood=flood)
            finally:
                await stop(app)
                await db.dispose()


async def _scenario(emu: BotApiEmulator, db: Database, *, flood: bool) -> tuple[list[float], int]:
    now = datetime.now(UTC)
    async with db.transaction() as session:
        (event,) = await events.add_many(session, [_draft(now)], now=now)
    residents = [emu.add_user(first_name=f"Мешканка {i}") for i in range(RESIDENTS)]
    for user in residents:
        async with db.transaction() as session:
            person = await people.ensure(session, user.user_id, now=now)
            person.full_name, person.category, person.consent_at = (
                "Олена Петренко",
                "library_users",
                now,
            )
    emu.set_rate_limits(per_chat_per_second=1, global_per_second=30)
    flooder = emu.add_user(first_name="Швидкий")

    async def register(user: SimUser) -> list[float]:
        """Seconds to the card and from the tap to the confirmation."""
        sent = time.perf_counter()
        await user.send_command(f"/start event_{event.id}")
        card = await user.next_reply(timeout=120)
        to_card = time.perf_counter() - sent
        await asyncio.sleep(READING)  # a person reads the card before tapping
        tapped = time.perf_counter()
        await user.press(card, text="Записатися")
        await user.next_reply(timeout=120)
        return [to_card, time.perf_counter() - tapped]

    if flood:
        for _ in range(FLOOD):
            await flooder.send_command("/start")
    answers = await asyncio.gather(*(register(user) for user in residents))
    await asyncio.sleep(2)
    notices = sum("швидше, ніж я встигаю" in m.text for m in flooder.messages)
    return [seconds for pair in answers for seconds in pair], notices


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


def _row(name: str, latencies: list[float], baseline: float, notices: int | None) -> str:
    p50, worst = statistics.median(latencies), max(latencies)
    told = "" if notices is None else f" | {notices}"
    return f"| {name} | {p50:.2f} s ({p50 / baseline:.1f}×) | {worst:.2f} s{told} |"


async def main(as_json: bool) -> None:
    runs = {}
    for ptb_limiter in (True, False):
        for flood in (False, True):
            runs[(ptb_limiter, flood)] = await registration_latencies(
                flood=flood, ptb_limiter=ptb_limiter
            )
    baseline = statistics.median(runs[(False, False)][0])
    print(f"\n{RESIDENTS} residents register; {FLOOD} /start from one flooder when flooding")
    print("| configuration | answer, median (× baseline) | slowest | flood notices |")
    print("|---|---|---|---|")
    names = {
        (False, False): "per-chat limiter, no flood (baseline)",
        (False, True): "per-chat limiter, one resident flooding",
        (True, False): "AIORateLimiter (before), no flood",
        (True, True): "AIORateLimiter (before), one resident flooding",
    }
    rows = []
    for key, name in names.items():
        latencies, notices = runs[key]
        print(_row(name, latencies, baseline, notices if key[1] else None))
        if key != (False, False):
            p50 = statistics.median(latencies)
            told = f", {notices} notice(s) to the flooder" if key[1] else ""
            rows.append(
                Row(
                    "flood",
                    f"answer to 10 residents, median: {name}",
                    f"{p50:.2f} s (slowest {max(latencies):.2f} s){told}",
                    f"{baseline:.2f} s (per-chat limiter, no flood)",
                    p50 / baseline,
                )
            )
    if as_json:
        print_json(rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="also print the rows as JSON")
    asyncio.run(main(parser.parse_args().json))
