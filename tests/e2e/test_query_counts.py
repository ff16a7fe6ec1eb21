"""How much database work one update of a hot path costs: sessions, transactions, statements.

Counted on the test database's engine for the one update's task only (the outbox's sweeps
and wake-ups run in tasks of their own), after its reply arrived and the bot is idle.
``-s`` prints the figures; they are also recorded as properties for the JUnit report.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import event
from telegram.ext import Application

from emulator import BotApiEmulator, SimUser
from emulator.messages import SimMessage
from storage.database import Database
from tests.e2e.conftest import Updates, event_in
from tests.factories import make_person
from tests.waiting import until

pytestmark = pytest.mark.usefixtures("app")

# Upper bounds: exactly what one update of each path costs since the restructuring into one
# session per update, on SQLite; on PostgreSQL as much, but for HELD_ON_POSTGRESQL. Before it (main at 536fb48) the
# same paths took 2 / 3 / 3 sessions and transactions and 5 / 14 / 4 statements.
# The tap went from 11 statements to 6 (benchmarks/bench_updates.py): the event read once,
# locked; no DELETE of a dialog that the person lookup shows is not there; the card drawn
# from the registration's outcome instead of read again, the line counted only when shown.
BOUNDS = {
    # The card's waiting list is counted only when it shows it (no seat left): 4 before.
    "deep link /start event_<id>": {"sessions": 1, "transactions": 1, "statements": 3},
    "registration tap (returning resident)": {"sessions": 1, "transactions": 1, "statements": 6},
    "/events (resident)": {"sessions": 1, "transactions": 1, "statements": 3},
    # Text with no question open: no write (it took the write lock for a feedback comment
    # before; a flood of junk text queued every writer behind it, bench_junk).
    "text out of the blue (resident)": {"sessions": 1, "transactions": 1, "statements": 2},
    # A newcomer's answer by button (name, category): the person, staff flag and open
    # question in one look-up (on SQLite that read's snapshot ends, and its connection
    # goes back, before the write), the question read again in the writing transaction,
    # the next one written by one INSERT ... ON CONFLICT. Three statements fewer than
    # before: the person is the row the look-up loaded (not INSERT ... ON CONFLICT and
    # SELECT again; on PostgreSQL read again, held, see HELD_ON_POSTGRESQL), and the
    # dialog row is not read before it is written.
    "sign-up answer by button (newcomer)": {"sessions": 2, "transactions": 2, "statements": 3},
    # A newcomer's «Sign up»: two look-ups (no person yet, then the staff flag and open
    # question), the event, the person made (INSERT … ON CONFLICT, SELECT), and the first
    # question asked in one INSERT … ON CONFLICT (an UPDATE and an INSERT before).
    "first tap (newcomer)": {"sessions": 1, "transactions": 1, "statements": 6},
}

# On PostgreSQL a use case that changes what is the person's first holds their row (SELECT
# ... FOR UPDATE, storage.people.get), so that several bot processes take turns: one more
# statement there. SQLite's writers hold the whole database already.
HELD_ON_POSTGRESQL = {
    "registration tap (returning resident)": 1,
    "sign-up answer by button (newcomer)": 1,
}

# storage.database's SQLite listener, where it sends BEGIN as a statement of its own (an
# in-memory database; a file's BEGIN goes with the first statement, storage.sqlite_driver).
_OWN_BEGIN = frozenset({"BEGIN", "BEGIN IMMEDIATE"})


@dataclass
class Work:
    sessions: int = 0  # connections checked out of the pool
    transactions: int = 0  # the engine's "begin" events
    statements: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, int]:
        return {
            "sessions": self.sessions,
            "transactions": self.transactions,
            "statements": len(self.statements),
        }


class DatabaseWork:
    """The engine's work, by the asyncio task that did it."""

    def __init__(self, db: Database) -> None:
        self.by_task: dict[asyncio.Task[Any], Work] = {}
        self._engine = db.engine.sync_engine
        self._listeners: list[tuple[str, Callable[..., None]]] = [
            ("checkout", self._on_checkout),
            ("begin", self._on_begin),
            ("before_cursor_execute", self._on_statement),
        ]

    def __enter__(self) -> DatabaseWork:
        for name, listener in self._listeners:
            event.listen(self._engine, name, listener)
        return self

    def __exit__(self, *exc: object) -> None:
        for name, listener in self._listeners:
            event.remove(self._engine, name, listener)

    def _work(self) -> Work:
        # The sync events run in SQLAlchemy's greenlet, inside the awaiting task's step.
        task = asyncio.current_task()
        assert task is not None
        return self.by_task.setdefault(task, Work())

    def _on_checkout(self, *_: object) -> None:
        self._work().sessions += 1

    def _on_begin(self, *_: object) -> None:
        self._work().transactions += 1

    def _on_statement(self, _conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.strip().upper() not in _OWN_BEGIN:  # counted as a transaction
            self._work().statements.append(" ".join(statement.split())[:160])


@pytest.fixture
def database_work(db: Database) -> Iterator[DatabaseWork]:
    with DatabaseWork(db) as work:
        yield work


async def one_update(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    updates: Updates,
    work: DatabaseWork,
    act: Callable[[], Awaitable[SimMessage]],
) -> tuple[Work, SimMessage]:
    """What the update ``act`` sends costs, once its reply has come and the bot is idle."""
    await updates.idle(app, emu)
    before = len(updates.finished)
    reply = await act()
    await until(lambda: len(updates.finished) > before, what="the update handled")
    await updates.idle(app, emu)
    handled = updates.finished[before:]
    assert len(handled) == 1, handled
    return work.by_task.get(handled[0].task, Work()), reply


def over_bounds(
    measured: dict[str, Work], record_property: Callable[[str, object], None], db: Database
) -> list[str]:
    """Print and record each path's figures; describe those above their bounds."""
    dialect = "sqlite" if db.is_sqlite else "postgresql"
    problems = []
    for path, work in measured.items():
        figures = work.figures()
        print(f"\n{dialect} {path}: {figures}")
        print("".join(f"    {statement}\n" for statement in work.statements), end="")
        record_property(f"{dialect} {path}", figures)
        bounds = dict(BOUNDS[path])
        if not db.is_sqlite:
            bounds["statements"] += HELD_ON_POSTGRESQL.get(path, 0)
        if any(figures[k] > bounds[k] for k in figures):
            statements = "\n    ".join(work.statements)
            problems.append(f"{path}: {figures} exceeds {bounds}; statements:\n    {statements}")
    return problems


async def returning_resident(emu: BotApiEmulator, db: Database) -> SimUser:
    """Someone with a profile and consent who has written to the bot before."""
    user = emu.add_user(first_name="Олена", last_name="Петренко", language_code="uk")
    await make_person(db, user.user_id, now=(await event_in(db, days=30)).created_at)
    await user.send_command("/start")
    await user.next_reply()
    return user


async def test_hot_paths_cost_at_most_what_they_cost_today(
    emu: BotApiEmulator,
    db: Database,
    app: Application,  # type: ignore[type-arg]
    updates: Updates,
    database_work: DatabaseWork,
    record_property: Callable[[str, object], None],
) -> None:
    event = await event_in(db, title="Навчаємось вираховувати субсидію", capacity=20)
    user = await returning_resident(emu, db)

    async def open_card() -> SimMessage:
        await user.send_command(f"/start event_{event.id}")
        return await user.next_reply()

    deep_link, card = await one_update(app, emu, updates, database_work, open_card)
    assert card.text.startswith("Навчаємось вираховувати субсидію")

    async def tap() -> SimMessage:
        await user.press(card, text="Записатися")
        return await user.next_reply()

    registration, confirmation = await one_update(app, emu, updates, database_work, tap)
    assert confirmation.text.startswith("✅ Ви записані!")

    async def events() -> SimMessage:
        await user.send_command("/events")
        return await user.next_reply()

    listing, page = await one_update(app, emu, updates, database_work, events)
    assert "Навчаємось вираховувати субсидію" in str(page.buttons) + page.text

    async def chatter() -> SimMessage:
        await user.send_text("а коли наступний тренінг?")
        return await user.next_reply()

    text, help_message = await one_update(app, emu, updates, database_work, chatter)
    assert "/events" in help_message.text

    newcomer = emu.add_user(first_name="Іван", last_name="Коваль", language_code="uk")
    await newcomer.send_command(f"/start event_{event.id}")
    newcomers_card = await newcomer.next_reply()

    async def first_tap() -> SimMessage:
        await newcomer.press(newcomers_card, text="Записатися")
        return await newcomer.next_reply()

    first, name_question = await one_update(app, emu, updates, database_work, first_tap)
    assert name_question.message_id == newcomers_card.message_id  # the card became it

    async def name() -> SimMessage:
        await newcomer.press(newcomers_card, text="Я — Іван Коваль")
        return await newcomer.next_reply()

    answer, category_question = await one_update(app, emu, updates, database_work, name)
    assert "Інше" in str(category_question.buttons)

    measured = {
        "deep link /start event_<id>": deep_link,
        "registration tap (returning resident)": registration,
        "/events (resident)": listing,
        "text out of the blue (resident)": text,
        "sign-up answer by button (newcomer)": answer,
        "first tap (newcomer)": first,
    }
    problems = over_bounds(measured, record_property, db)
    assert not problems, "\n".join(problems)
