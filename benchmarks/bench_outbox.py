"""How fast the outbox empties when Telegram is far away: one message in flight, or a few.

The bot's own sending path (its rate limiter, the outbox's sender) against the local Bot
API emulator with Telegram's limits on (one message a second into a chat, 30 a second in
all) and every answer ``--latency`` seconds late, as from a library's connection to
Telegram's servers. ``--messages`` residents (600 by default) each get one announcement;
the outbox sends them one at a time (the baseline, as before) and then with
``bot.outbox.dispatcher.LANES`` in flight, each on a fresh database.

Prints figures; asserts nothing.

    python benchmarks/bench_outbox.py                      # about 2 minutes
    python benchmarks/bench_outbox.py --latency 0.25 --messages 300
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_fanout import _announce, _draft, _people, database
from benchmarks.emulated import TOKEN, config_for
from benchmarks.results import Row, print_json
from bot.deps import Deps
from bot.i18n import Catalogs
from bot.outbox.dispatcher import LANES, Dispatcher, Tally
from bot.ratelimit import ChatRateLimiter
from bot.sending import outbox_sender
from emulator import BotApiEmulator
from storage import events, migrate
from storage.database import Database


@dataclasses.dataclass
class Run:
    lanes: int
    seconds: float
    tally: Tally
    lost: int
    doubled: int
    refused: int  # 429s


async def measure(messages: int, latency: float, lanes: int, *, postgres: bool) -> Run:
    from telegram.ext import ExtBot

    async with database(postgres) as url:
        db = Database(url)
        await migrate.upgrade(db)
        try:
            async with BotApiEmulator(token=TOKEN) as emu:
                config = config_for(emu, url, quiet_hours=False)
                now = datetime.now(UTC)
                async with db.transaction() as session:
                    (event,) = await events.add_many(session, [_draft(now)], now=now)
                audience = [emu.add_user(first_name=f"Підписник {i}") for i in range(messages)]
                for user in audience:
                    user.chat.started = True
                await _announce(db, event.id, await _people(db, audience, now), now)
                emu.set_rate_limits(per_chat_per_second=1, global_per_second=30)
                emu.set_latency(latency)
                limiter = ChatRateLimiter(chat_per_second=1, max_retries=3)
                async with ExtBot(TOKEN, base_url=emu.base_url, rate_limiter=limiter) as bot:  # type: ignore[arg-type]
                    deps = Deps(config=config, db=db, catalogs=Catalogs())
                    dispatcher = Dispatcher(deps, outbox_sender(bot, deps), lanes=lanes)
                    tally = Tally()
                    started = time.perf_counter()
                    while tally.sent < messages:
                        done = await dispatcher.run()
                        tally.add(done)
                        if not done.handled:
                            await asyncio.sleep(0.2)  # a "retry after" pause
                    seconds = time.perf_counter() - started
                chats = {str(u.user_id) for u in audience}
                sends = [
                    r
                    for r in emu.requests_for("sendMessage")
                    if str(r.params.get("chat_id")) in chats
                ]
                got = [len(u.chat.visible_messages()) for u in audience]
                return Run(
                    lanes,
                    seconds,
                    tally,
                    lost=sum(1 for n in got if n == 0),
                    doubled=sum(n - 1 for n in got if n > 1),
                    refused=len(sends) - sum(got),
                )
        finally:
            await db.dispose()


def rows(one: Run, many: Run, messages: int, latency: float) -> list[Row]:
    base, rate = messages / one.seconds, messages / many.seconds
    late = f"{latency * 1000:.0f} ms"
    return [
        Row("outbox", f"{messages} messages, Telegram {late} away, {many.lanes} in flight",
            f"{rate:.1f} messages/s", f"{base:.1f} messages/s (one at a time)", rate / base),
        Row("outbox", f"{many.lanes} in flight: 429s, lost, sent twice",
            f"{many.refused}, {many.lost}, {many.doubled}",
            f"{one.refused}, {one.lost}, {one.doubled} (one at a time)"),
    ]  # fmt: skip


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=600, help="one message per resident")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per Bot API answer")
    parser.add_argument("--postgres", action="store_true", help="on PostgreSQL, not SQLite")
    parser.add_argument("--json", action="store_true", help="also print the rows as JSON")
    args = parser.parse_args()
    one = await measure(args.messages, args.latency, 1, postgres=args.postgres)
    many = await measure(args.messages, args.latency, LANES, postgres=args.postgres)
    table = rows(one, many, args.messages, args.latency)
    print(f"\nTelegram's limits on; {'PostgreSQL' if args.postgres else 'SQLite'}")
    print("| what | value | baseline (same run) | ratio |")
    print("|---|---|---|---|")
    for r in table:
        ratio = "" if r.ratio is None else f"{r.ratio:.2f}×"
        print(f"| {r.what} | {r.value} | {r.baseline} | {ratio} |")
    if args.json:
        print_json(table)


if __name__ == "__main__":
    asyncio.run(main())
