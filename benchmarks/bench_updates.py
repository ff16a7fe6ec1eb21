"""What one update costs the bot under Telegram's limits, next to a bare python-telegram-bot.

Each bot runs as a process of its own (so that its CPU time and memory are its own, not
the emulator's or the simulated residents') against the local Bot API emulator with
Telegram's limits switched on (one message a second into a chat, 30 a second in all):

- the baseline: a bare python-telegram-bot app (``benchmarks/bare_bot.py``: answer the
  callback and edit the message, ``AIORateLimiter``), 200 residents tapping at once;
- the stack's floor: the same bare bot with SQLAlchemy's asyncio engine on the same kind
  of database, writing one row a tap: what the required stack costs any bot built on it
  (the start-up and memory of SQLAlchemy, its ORM, which its asyncio extension imports,
  and the driver), not a target;
- hromada-bot (``python -m bot run``), 200 returning residents (a profile and consent)
  tapping «Записатися» on an event's card at once;
- hromada-bot, 200 first-time residents going through the sign-up at once (the tap, the
  Telegram name, the category, the phone as a contact, the consent).

Every resident first gets the card (``/start``, not measured) and taps a moment later.
Figures: registrations a second (from the first tap to the bot's last call), Bot API
calls per registration (all but getUpdates; in brackets those Telegram rate-limits:
messages and edits), the bot process's CPU time per update, its resident memory after
start-up and after the burst (``VmRSS``), and the start-up time from the process's start
to its first getUpdates. Ratios are to the bare bot of the same run.

Prints figures; asserts nothing. SQLite (a temporary file) by default.

    python benchmarks/bench_updates.py [--database postgresql://postgres@127.0.0.1:5432/postgres]
        [--residents 200] [--rounds 1] [--json] [--python PATH] [--code DIR] [--profile DIR]

``--rounds N`` runs the four bots N times, one after another, and prints medians; each
ratio is taken to the bare bot of the same round (the lowest and highest in brackets).

``--python PATH`` runs every bot with that interpreter, e.g. a virtual environment with only
``pip install .`` in it, as a library deploys the bot (``python3 -m venv /tmp/plain &&
/tmp/plain/bin/pip install .``): test tools installed beside the bot (rich, click, pygments)
are imported by httpx when present, and would count in every bot's memory and start-up.

``--code DIR`` runs hromada-bot from another checkout (e.g. ``git worktree add /tmp/before
main``) to measure before and after a change; the database is seeded with this checkout's
schema, so the other must have the same migrations.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import create_async_engine

from benchmarks import bare_bot
from benchmarks.databases import scratch_database
from benchmarks.emulated import TOKEN
from bot.domain.event_import import EventDraft
from emulator import BotApiEmulator, SimUser
from emulator.errors import ApiError
from emulator.messages import SimMessage
from storage import events, migrate, people
from storage.database import Database
from storage.models import Registration

READING = 1.2  # seconds between the card and the tap: more than Telegram's one a second
RATE_LIMITED = {"sendmessage", "editmessagetext", "senddocument", "sendphoto"}
WAIT = 60.0  # seconds a resident waits for an answer; then it counts as not answered
CARDS_PER_SECOND = 20  # the cards are opened at this pace, under the 30/s limit (not measured)
REFUSED: list[str] = []  # the methods the emulator answered with 429, in order
# Each round: the bare bot (the baseline of every ratio), the stack's floor, returning
# residents, first-time residents.
SCENARIOS = ("bare", "stack", "returning", "first-time")
PYTHON = [sys.executable]  # the interpreter the bots run with (``--python``)


def count_refusals(emu: BotApiEmulator) -> None:
    """Note every 429 the emulator's flood control gives (it records requests, not answers)."""
    limiter = emu._rates  # a benchmark looks inside its own test double
    check = limiter.check

    def counted(method: str, chat_key: str | None, now: float) -> ApiError | None:
        refused = check(method, chat_key, now)
        if refused is not None:
            REFUSED.append(method)
        return refused

    limiter.check = counted  # type: ignore[method-assign]


@dataclasses.dataclass
class Run:
    """One bot process through one burst."""

    name: str
    startup: float  # seconds from the process's start to its first getUpdates
    rss_started: float  # MiB
    rss_after: float  # MiB
    registrations: int
    seconds: float  # first tap to the bot's last call
    calls: int  # Bot API requests in the burst, getUpdates aside
    limited_calls: int  # of those, the ones Telegram rate-limits
    refused: int  # of those, the ones refused with 429 (and tried again)
    unanswered: int  # residents left without an answer
    updates: int
    cpu: float  # the bot process's CPU seconds during the burst

    @property
    def per_second(self) -> float:
        return self.registrations / self.seconds

    @property
    def calls_each(self) -> float:
        return self.calls / self.registrations

    @property
    def limited_each(self) -> float:
        return self.limited_calls / self.registrations

    @property
    def refused_each(self) -> float:
        return self.refused / self.registrations

    @property
    def cpu_per_update(self) -> float:
        return self.cpu / self.updates


# --- the bot process ---------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (``/proc/PID/stat``)."""
    after_name = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime = int(after_name[11]), int(after_name[12])  # fields 14 and 15
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


@dataclasses.dataclass
class Bot:
    process: asyncio.subprocess.Process
    startup: float
    rss_started: float
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid


@asynccontextmanager
async def running(
    emu: BotApiEmulator, args: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT
) -> AsyncIterator[Bot]:
    """A bot process, once it polls; stopped (SIGINT, as Ctrl+C) afterwards."""
    polls = len(emu.requests_for("getUpdates"))
    with log.open("wb") as stderr:
        started = time.monotonic()
        process = await asyncio.create_subprocess_exec(
            PYTHON[0],
            *args,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=stderr,
            env={**os.environ, **env},
            cwd=cwd,  # ``-m`` puts the working folder first on the path
        )
    try:
        while len(emu.requests_for("getUpdates")) <= polls:
            if process.returncode is not None:
                raise RuntimeError(f"the bot exited: {_tail(log)}")
            await asyncio.sleep(0.002)
        first_poll = emu.requests_for("getUpdates")[polls].time
        bot = Bot(process, first_poll - started, rss_mib(process.pid), log)
        yield bot
    finally:
        if process.returncode is None:
            process.send_signal(2)
            try:
                await asyncio.wait_for(process.wait(), timeout=30)
            except TimeoutError:
                process.kill()
                await process.wait()


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-2000:]


async def burst(
    emu: BotApiEmulator,
    bot: Bot,
    name: str,
    residents: list[SimUser],
    act: Callable[[SimUser], Awaitable[int]],
    registered: Callable[[], Awaitable[int]],
) -> Run:
    """Every resident's ``act`` at once (each returns how many updates it sent); measured
    from the first update to the bot's last call once it has gone quiet."""
    before = len(emu.requests)
    refused_before = len(REFUSED)
    cpu_before = cpu_seconds(bot.pid)
    began = time.monotonic()
    unanswered: list[Unanswered] = []

    async def one(user: SimUser) -> int:
        try:
            return await act(user)
        except Unanswered as missing:  # its updates still count (the minimum, one)
            unanswered.append(missing)
            return 1

    updates = sum(await asyncio.gather(*(one(user) for user in residents)))
    # Quiet: no call for a second (the outbox's sweeps only read the database).
    while True:
        calls = [r for r in emu.requests[before:] if r.method != "getUpdates"]
        if calls and time.monotonic() - calls[-1].time > 1.0:
            break
        await asyncio.sleep(0.1)
    cpu = cpu_seconds(bot.pid) - cpu_before
    return Run(
        name=name,
        startup=bot.startup,
        rss_started=bot.rss_started,
        rss_after=rss_mib(bot.pid),
        registrations=await registered(),
        seconds=calls[-1].time - began,
        calls=len(calls),
        limited_calls=sum(r.method.lower() in RATE_LIMITED for r in calls),
        refused=len(REFUSED) - refused_before,
        unanswered=len(unanswered),
        updates=updates,
        cpu=cpu,
    )


class Unanswered(Exception):
    """The bot did not answer a resident within ``WAIT`` (a reply it gave up on)."""


async def reply_where(user: SimUser, test: Callable[[SimMessage], bool], what: str) -> SimMessage:
    """The bot's next message (or edit) in the chat that passes ``test``; others are skipped."""
    deadline = time.monotonic() + WAIT
    while True:
        left = deadline - time.monotonic()
        try:
            if left <= 0:
                raise TimeoutError
            message = await user.next_reply(timeout=left)
        except TimeoutError:
            raise Unanswered(f"{user.name}: no {what}") from None
        if test(message):
            return message


async def cards(
    users: list[SimUser], command: str, test: Callable[[SimMessage], bool]
) -> dict[int, SimMessage]:
    """Each resident opens the card (not measured, at a pace the limits allow), then
    reads it a moment."""

    async def one(n: int, user: SimUser) -> SimMessage:
        await asyncio.sleep(n / CARDS_PER_SECOND)
        await user.send_command(command)
        return await reply_where(user, test, "card")

    found = await asyncio.gather(*(one(n, user) for n, user in enumerate(users)))
    await asyncio.sleep(READING)
    return {user.user_id: card for user, card in zip(users, found, strict=True)}


# --- the scenarios -----------------------------------------------------------------------------


async def bare(emu: BotApiEmulator, folder: Path, residents: int) -> Run:
    return await _bare_bot(emu, folder / "bare.log", residents, "bare python-telegram-bot")


async def stack(emu: BotApiEmulator, folder: Path, url: str, residents: int) -> Run:
    """The bare bot on SQLAlchemy and the database at ``url``: the stack's floor. Its table
    is made first, as hromada-bot's database is migrated before it starts."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(bare_bot.CREATE_TAPS))
    finally:
        await engine.dispose()
    name = "bare python-telegram-bot + SQLAlchemy"
    return await _bare_bot(emu, folder / "stack.log", residents, name, url)


async def _bare_bot(
    emu: BotApiEmulator, log: Path, residents: int, name: str, url: str | None = None
) -> Run:
    args = [str(ROOT / "benchmarks" / "bare_bot.py"), emu.base_url, TOKEN]
    async with running(emu, [*args, *([url] if url else [])], {}, log) as bot:
        users = [emu.add_user(first_name=f"Мешканка {i}") for i in range(residents)]
        shown = await cards(users, "/start", lambda m: bool(m.buttons))
        done: list[int] = []

        async def tap(user: SimUser) -> int:
            await user.press(shown[user.user_id], text="Записатися")
            await reply_where(user, lambda m: m.text.startswith("✅"), "confirmation")
            done.append(user.user_id)
            return 1

        async def registered() -> int:
            return len(done)

        return await burst(emu, bot, name, users, tap, registered)


async def hromada(
    emu: BotApiEmulator,
    folder: Path,
    url: str,
    residents: int,
    *,
    returning: bool,
    code: Path | None,
    profile: Path | None = None,
) -> Run:
    db = Database(url)
    try:
        await migrate.upgrade(db)
        now = datetime.now(UTC)
        async with db.transaction() as session:
            (event,) = await events.add_many(session, [_draft(now)], now=now)
        users = [
            emu.add_user(first_name=f"Мешканка {i}", last_name="Бенч") for i in range(residents)
        ]
        if returning:
            async with db.transaction() as session:
                for user in users:
                    person = await people.ensure(session, user.user_id, now=now)
                    person.full_name, person.category, person.consent_at = (
                        f"Мешканка {user.user_id}",
                        "library_users",
                        now,
                    )
        config = folder / "config.toml"
        config.write_text(
            f"[telegram]\napi_base_url = '{emu.base_url}'\napi_file_url = '{emu.base_file_url}'\n",
            encoding="utf-8",
        )
        env = {"BOT_TOKEN": TOKEN, "DATABASE_URL": url}
        if code is not None:  # another checkout's bot (its code first on the path)
            env["PYTHONPATH"] = str(code)
        kind = "returning" if returning else "first-time"
        args = ["-m", "bot", "--config", str(config), "run"]
        if profile is not None:  # the figures then include cProfile's own cost
            args = ["-m", "cProfile", "-o", str(profile / f"hromada-{kind}.prof"), *args]
        log = folder / f"hromada-{kind}.log"
        async with running(emu, args, env, log, code or ROOT) as bot:
            shown = await cards(users, f"/start event_{event.id}", lambda m: bool(m.buttons))
            act = _tap if returning else _sign_up

            async def registered() -> int:
                async with db.session() as session:
                    count = select(func.count()).select_from(Registration)
                    return int((await session.execute(count)).scalar_one())

            who = "returning resident, one tap" if returning else "first-time resident, sign-up"
            return await burst(
                emu, bot, f"hromada-bot, {who}", users, lambda u: act(u, shown), registered
            )
    finally:
        await db.dispose()


def _confirmed(message: SimMessage) -> bool:
    return message.text.startswith("✅ Ви записані!")


async def _tap(user: SimUser, shown: dict[int, SimMessage]) -> int:
    await user.press(shown[user.user_id], text="Записатися")
    await reply_where(user, _confirmed, "confirmation")
    return 1


async def _sign_up(user: SimUser, shown: dict[int, SimMessage]) -> int:
    """Five updates: the tap, the Telegram name, the category, the contact, the consent."""
    await user.press(shown[user.user_id], text="Записатися")
    name = await reply_where(user, lambda m: "ім’я та прізвище" in m.text, "name question")
    await user.press(name, text=f"Я — {user.name}")
    category = await reply_where(user, lambda m: "Хто ви?" in m.text, "category question")
    await user.press(category, text="Користувачі бібліотеки")
    await reply_where(user, lambda m: "номер телефону" in m.text, "phone question")
    await user.send_contact(phone_number="+380501234567")
    consent = await reply_where(user, lambda m: "Ви погоджуєтеся?" in m.text, "consent question")
    await user.press(consent, text="Погоджуюся")
    await reply_where(user, _confirmed, "confirmation")
    return 5


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


# --- the table ---------------------------------------------------------------------------------


@asynccontextmanager
async def database(server: str | None, folder: Path, name: str) -> AsyncIterator[str]:
    if server is None:
        yield f"sqlite+aiosqlite:///{folder / name}.sqlite3"
        return
    async with scratch_database(server) as url:
        yield url


def compile_bytecode(code: Path) -> None:
    """Write the bot's bytecode first, as ``pip install`` does: an editable install run with
    PYTHONDONTWRITEBYTECODE (as here and in the Dockerfile) would compile every module of
    the bot at each start, which an installed bot does not."""
    folders = [str(code / name) for name in ("bot", "handlers", "storage")]
    subprocess.run([PYTHON[0], "-m", "compileall", "-q", *folders], check=True)


async def measure(args: argparse.Namespace) -> list[list[Run]]:
    """``--rounds`` rounds, each the four bots of ``SCENARIOS`` one after another."""
    compile_bytecode(args.code or ROOT)
    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for round_ in range(args.rounds):
            runs = []
            for scenario in SCENARIOS:
                async with BotApiEmulator(token=TOKEN) as emu:
                    emu.set_rate_limits(per_chat_per_second=1, global_per_second=30)
                    count_refusals(emu)
                    if scenario == "bare":
                        runs.append(await bare(emu, folder, args.residents))
                        continue
                    name = f"{scenario}-{round_}"
                    async with database(args.database, folder, name) as url:
                        if scenario == "stack":
                            runs.append(await stack(emu, folder, url, args.residents))
                            continue
                        runs.append(
                            await hromada(
                                emu,
                                folder,
                                url,
                                args.residents,
                                returning=scenario == "returning",
                                code=args.code,
                                profile=args.profile,
                            )
                        )
            rounds.append(runs)
    return rounds


@dataclasses.dataclass(frozen=True)
class Figure:
    """One figure of one bot over the rounds: its median, the bare bot's median, and its
    ratio to the bare bot of the same round (median, lowest, highest; none from a round
    where the bare bot's figure was 0)."""

    value: float
    baseline: float
    ratios: list[float]

    @property
    def ratio(self) -> float | None:
        return statistics.median(self.ratios) if self.ratios else None

    def ratio_text(self, digits: int) -> str:
        """``1.8×``, or ``1.8×; 1.7–2.0×`` over several rounds."""
        if self.ratio is None:
            return "–"
        text = f"{self.ratio:.{digits}f}×"
        if len(self.ratios) > 1:
            text += f"; {min(self.ratios):.{digits}f}–{max(self.ratios):.{digits}f}×"
        return text


def figure(rounds: list[list[Run]], bot: int, of: Callable[[Run], float]) -> Figure:
    """``of`` for bot ``bot`` (0: the bare bot) across the rounds. A machine shared with
    others is slower in some minutes than in others: a ratio to the baseline measured
    just before, in the same round, is steadier than either figure alone."""
    values = [of(runs[bot]) for runs in rounds]
    baselines = [of(runs[0]) for runs in rounds]
    return Figure(
        value=statistics.median(values),
        baseline=statistics.median(baselines),
        ratios=[v / b for v, b in zip(values, baselines, strict=True) if b],
    )


FIGURES: list[tuple[str, Callable[[Run], float], str]] = [
    ("registrations a second", lambda r: r.per_second, "{:.1f}/s"),
    ("Bot API calls per registration", lambda r: r.calls_each, "{:.2f}"),
    ("rate-limited calls per registration", lambda r: r.limited_each, "{:.2f}"),
    ("429s per registration", lambda r: r.refused_each, "{:.2f}"),
    ("CPU per update", lambda r: 1000 * r.cpu_per_update, "{:.1f} ms"),
    ("RSS after start", lambda r: r.rss_started, "{:.0f} MiB"),
    ("RSS after the burst", lambda r: r.rss_after, "{:.0f} MiB"),
    ("start-up to the first getUpdates", lambda r: r.startup, "{:.2f} s"),
    ("residents left without an answer", lambda r: r.unanswered, "{:.0f}"),
]


def rows(rounds: list[list[Run]]) -> list[dict[str, object]]:
    """Each figure beside the bare bot's of the same run, as ``benchmarks/run_all.py``
    reads them: benchmark, what, value and baseline (with units), ratio (medians over
    the rounds)."""
    result: list[dict[str, object]] = []
    for bot, run in enumerate(rounds[0]):
        for what, of, unit in FIGURES:
            found = figure(rounds, bot, of)
            result.append(
                {
                    "benchmark": f"updates: {run.name}",
                    "what": what,
                    "value": unit.format(found.value),
                    "baseline": "" if bot == 0 else unit.format(found.baseline),
                    "ratio": None if bot == 0 or found.ratio is None else round(found.ratio, 2),
                }
            )
    return result


def table(rounds: list[list[Run]], residents: int, database: str) -> str:
    medians = f"; medians of {len(rounds)} rounds" if len(rounds) > 1 else ""
    lines = [
        f"{residents} residents at once, Telegram's limits on (1/s a chat, 30/s in all); "
        f"{database}{medians}",
        "| | registrations/s | calls per registration (rate-limited, 429s) | CPU per update "
        "| RSS after start / after the burst | start-up to first poll |",
        "|---|---|---|---|---|---|",
    ]
    for bot, run in enumerate(rounds[0]):
        speed = figure(rounds, bot, lambda r: r.per_second)
        cpu = figure(rounds, bot, lambda r: 1000 * r.cpu_per_update)
        calls, limited, refused = (
            figure(rounds, bot, of).value
            for of in (lambda r: r.calls_each, lambda r: r.limited_each, lambda r: r.refused_each)
        )
        rss = [
            figure(rounds, bot, lambda r: r.rss_started),
            figure(rounds, bot, lambda r: r.rss_after),
        ]
        startup = figure(rounds, bot, lambda r: r.startup)
        lines.append(
            f"| {run.name} | {speed.value:.1f}{'' if bot == 0 else f' ({speed.ratio_text(2)})'} "
            f"| {calls:.2f} ({limited:.2f}, {refused:.2f}) "
            f"| {cpu.value:.1f} ms{'' if bot == 0 else f' ({cpu.ratio_text(1)})'} "
            f"| {rss[0].value:.0f} / {rss[1].value:.0f} MiB | {startup.value:.2f} s |"
        )
    runs = [run for runs in rounds for run in runs]
    lines.append(
        f"({sum(r.registrations for r in runs)} registrations made of {residents * len(runs)}; "
        f"{sum(r.unanswered for r in runs)} residents left without an answer)"
    )
    return "\n".join(lines)


def _at_least_one(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of rounds, 1 or more: {text!r}")
    return int(text)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database", help="a PostgreSQL server URL (a scratch database is made on it)"
    )
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument(
        "--rounds",
        type=_at_least_one,
        default=1,
        help="run the four bots this many times; medians",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON rows")
    parser.add_argument(
        "--python", help="the interpreter every bot runs with (e.g. a venv with only the bot)"
    )
    parser.add_argument("--code", type=Path, help="run hromada-bot from this checkout")
    parser.add_argument(
        "--profile",
        type=Path,
        help="run hromada-bot under cProfile, writing DIR/hromada-*.prof (the last round's)",
    )
    return parser.parse_args()


def main() -> None:
    args = arguments()
    if args.python:
        PYTHON[0] = args.python
    rounds = asyncio.run(measure(args))
    if args.json:
        print(json.dumps(rows(rounds), ensure_ascii=False))  # one line: run_all reads the last
    else:
        print(table(rounds, args.residents, "PostgreSQL" if args.database else "SQLite"))


if __name__ == "__main__":
    main()
