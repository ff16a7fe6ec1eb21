"""Instructions a registration tap costs inside the bot, counted rather than timed.

CPU time on a shared machine moves by a third from one minute to the next; the number of
instructions a piece of code runs does not. Each bot handles the same taps in process,
given to ``Application.process_update`` one after another, with Telegram answered by a
fake request object in the same process (no HTTP, no emulator, no rate limit waits):

- the baseline: the bare python-telegram-bot app of ``bench_updates.py``
  (``benchmarks/bare_bot.py``: answer the callback, edit the message);
- hromada-bot's application as ``hromada-bot run`` builds it, on a SQLite file, with
  returning residents (a profile and consent) tapping «Записатися» on an event's card.

Each is run under valgrind (``cachegrind``, no cache simulation) twice: with no tap and
with ``--taps`` taps, everything else the same (start-up, the residents, their cards).
The difference divided by the taps is the instructions of one tap, from the update
handed to the application to the answer posted, the database's work and its thread
included. ``PYTHONHASHSEED=0``; repeated runs agree to about 0.1 %.

What this leaves out: the HTTP requests and the polling, which cost both bots the same
(``bench_updates.py`` measures everything, in CPU time, with Telegram's limits on).

Prints figures; asserts nothing. Needs ``valgrind``; takes a few minutes.

    python benchmarks/bench_instructions.py [--taps 150] [--python PATH] [--code DIR]

``--code DIR`` counts another checkout's bot (e.g. ``git worktree add /tmp/before main``),
to compare a change with the code before it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BOT_USER = {"id": 999, "is_bot": True, "first_name": "Bot", "username": "bench_bot"}
FIRST_ID = 10_000  # the residents' Telegram ids count up from here


def _fake_request() -> Any:
    """A python-telegram-bot request object that answers every call at once, as
    Telegram would: the bot itself, a sent or edited message, or True."""
    from telegram.request import BaseRequest

    class Answers(BaseRequest):
        last: dict[str, Any] | None = None  # the last message sent or edited

        async def initialize(self) -> None:
            pass

        async def shutdown(self) -> None:
            pass

        @property
        def read_timeout(self) -> float:
            return 5.0

        async def do_request(
            self,
            url: str,
            method: str,
            request_data: Any = None,
            read_timeout: Any = None,
            write_timeout: Any = None,
            connect_timeout: Any = None,
            pool_timeout: Any = None,
        ) -> tuple[int, bytes]:
            endpoint = url.rsplit("/", 1)[1]
            sent = request_data.json_parameters if request_data else {}
            result: Any = True
            if endpoint == "getMe":
                result = BOT_USER
            elif endpoint in ("sendMessage", "editMessageText"):
                result = {
                    "message_id": int(sent.get("message_id", 1)),
                    "date": 0,
                    "chat": {"id": int(sent["chat_id"]), "type": "private"},
                    "from": BOT_USER,
                    "text": sent.get("text", ""),
                }
                if "reply_markup" in sent:
                    result["reply_markup"] = json.loads(sent["reply_markup"])
                self.last = result
            return 200, json.dumps({"ok": True, "result": result}).encode()

    return Answers()


def _resident(n: int) -> dict[str, Any]:
    return {"id": FIRST_ID + n, "is_bot": False, "first_name": f"М{n}", "language_code": "uk"}


def _command(n: int, text: str) -> dict[str, Any]:
    chat = {"id": FIRST_ID + n, "type": "private"}
    command = {"type": "bot_command", "offset": 0, "length": len(text.split(maxsplit=1)[0])}
    message = {"message_id": n + 1, "date": 0, "chat": chat, "from": _resident(n)}
    return {"update_id": n + 1, "message": {**message, "text": text, "entities": [command]}}


def _tap(n: int, update_id: int, card: dict[str, Any], data: str) -> dict[str, Any]:
    query = {"id": str(update_id), "chat_instance": "bench", "from": _resident(n)}
    return {"update_id": update_id, "callback_query": {**query, "message": card, "data": data}}


async def _bare(residents: int, taps: int) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bare_bot
    from telegram import Update

    answers = _fake_request()
    app = bare_bot.build("http://127.0.0.1:9/bot", "1:bench")
    app.bot._request = (answers, answers)  # a benchmark wires its own test double
    await app.initialize()
    app.bot._rate_limiter = None  # nothing to wait for: Telegram is not there
    cards = []
    for n in range(residents):
        await app.process_update(Update.de_json(_command(n, "/start"), app.bot))
        cards.append(answers.last)
    for n in range(taps):
        tap = _tap(n, residents + n + 1, cards[n], "reg:1")
        await app.process_update(Update.de_json(tap, app.bot))
    await app.shutdown()


async def _hromada(residents: int, taps: int, folder: Path) -> None:
    from telegram import Update

    from bot.app import build_application
    from bot.config import load_config
    from bot.ratelimit import ChatRateLimiter
    from storage import events, migrate, people
    from storage.database import Database

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_updates import _draft

    db = Database(f"sqlite+aiosqlite:///{folder / 'bench.sqlite3'}")
    await migrate.upgrade(db)
    now = datetime.now(UTC)
    async with db.transaction() as session:
        (event,) = await events.add_many(session, [_draft(now)], now=now)
        for n in range(residents):
            person = await people.ensure(session, FIRST_ID + n, now=now)
            person.full_name, person.category, person.consent_at = f"М {n}", "library_users", now
    config = load_config(folder / "absent.toml", missing_ok=True)
    answers = _fake_request()
    unlimited = ChatRateLimiter(
        overall_per_second=1e6, overall_burst=10**6, chat_per_second=1e6, chat_burst=10**6
    )
    app = build_application(config, token="1:bench", db=db, rate_limiter=unlimited)
    app.bot._request = (answers, answers)  # a benchmark wires its own test double
    await app.initialize()
    cards = []
    for n in range(residents):
        await app.process_update(Update.de_json(_command(n, f"/start event_{event.id}"), app.bot))
        cards.append(answers.last)
    keyboard = cards[0]["reply_markup"]["inline_keyboard"]
    (data,) = [b["callback_data"] for row in keyboard for b in row if "Записатися" in b["text"]]
    for n in range(taps):
        tap = _tap(n, residents + n + 1, cards[n], data)
        await app.process_update(Update.de_json(tap, app.bot))
    await app.shutdown()
    await db.dispose()


def _child(bot: str, residents: int, taps: int) -> None:
    if bot == "bare":
        asyncio.run(_bare(residents, taps))
        return
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(_hromada(residents, taps, Path(tmp)))


def instructions(python: str, code: Path, bot: str, residents: int, taps: int) -> int:
    """Instructions the whole process ran, under cachegrind."""
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(code)}
    done = subprocess.run(
        [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            python,
            str(Path(__file__).resolve()),
            "--child",
            bot,
            "--residents",
            str(residents),
            "--taps",
            str(taps),
        ],
        env=env,
        cwd=code,
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"bench_instructions: the {bot} bot failed:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def per_tap(python: str, code: Path, bot: str, taps: int) -> float:
    none = instructions(python, code, bot, taps, 0)
    some = instructions(python, code, bot, taps, taps)
    return (some - none) / taps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--taps", type=int, default=150)
    parser.add_argument("--python", default=sys.executable, help="the interpreter both run")
    parser.add_argument("--code", type=Path, default=ROOT, help="count this checkout's bot")
    parser.add_argument("--child", choices=("bare", "hromada"), help=argparse.SUPPRESS)
    parser.add_argument("--residents", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.residents, args.taps)
        return
    if args.taps < 1:
        parser.error("--taps: at least 1")
    if shutil.which("valgrind") is None:
        raise SystemExit("bench_instructions: valgrind is not installed")
    bare = per_tap(args.python, ROOT, "bare", args.taps)
    hromada = per_tap(args.python, args.code.resolve(), "hromada", args.taps)
    print(f"instructions a tap, in process, {args.taps} taps (cachegrind)")
    print("| | instructions a tap | × bare |")
    print("|---|---|---|")
    print(f"| bare python-telegram-bot | {bare / 1e6:.2f} M | |")
    print(
        f"| hromada-bot ({args.code.resolve()}) | {hromada / 1e6:.2f} M | {hromada / bare:.1f}× |"
    )


if __name__ == "__main__":
    main()
