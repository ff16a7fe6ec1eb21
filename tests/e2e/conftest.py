"""The real bot, over real HTTP, against the local Bot API emulator and a real database."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from telegram.ext import Application

from bot.app import build_application, start, stop
from bot.config import Config, StaffConfig, TelegramConfig
from bot.outbox.dispatcher import Dispatcher
from emulator import BotApiEmulator
from storage.database import Database
from storage.models import Event
from tests.factories import LIBRARIAN, make_event
from tests.waiting import until

__all__ = ["LIBRARIAN", "event_in", "start", "stop"]


@pytest.fixture
def bot_config(config: Config, emu: BotApiEmulator, request: pytest.FixtureRequest) -> Config:
    """The defaults, pointed at the emulator; with ``@pytest.mark.staff`` (on a test or a
    module), ``LIBRARIAN`` is the library's administrator; with
    ``@pytest.mark.telegram_limits``, the bot paces chats as Telegram requires."""
    # The emulator has no flood limits unless a test switches them on, so the bot need not
    # pace chats the way Telegram requires; tests marked ``telegram_limits`` keep the pace.
    limits = request.node.get_closest_marker("telegram_limits") is not None
    configured = dataclasses.replace(
        config,
        telegram=TelegramConfig(
            token=config.telegram.token,
            api_base_url=emu.base_url,
            api_file_url=emu.base_file_url,
            chat_messages_per_second=1.0 if limits else 1000.0,
        ),
    )
    if request.node.get_closest_marker("staff") is not None:
        configured = dataclasses.replace(configured, staff=StaffConfig(admins=(LIBRARIAN,)))
    return configured


@pytest.fixture
async def app(bot_config: Config, emu: BotApiEmulator, db: Database) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    application = build_application(bot_config, token=emu.token, db=db)
    await start(application)
    yield application
    await stop(application)


async def event_in(
    db: Database, *, days: float = 3, capacity: int | None = 10, **kwargs: object
) -> Event:
    """An event some days from the real now (the bot runs on the real clock here)."""
    now = datetime.now(UTC)
    return await make_event(
        db, now=now, starts_in=timedelta(days=days), capacity=capacity, **kwargs
    )  # type: ignore[arg-type]


class Outbox:
    """Counts the outbox's passes (``Dispatcher.run``), so a test can wait for one to have
    looked at the queue instead of sleeping through a sweep interval."""

    def __init__(self) -> None:
        self.started = 0
        self._finished: list[int] = []  # for each finished pass, its number when it started

    def watch(self, monkeypatch: pytest.MonkeyPatch) -> None:
        original = Dispatcher.run

        async def run(dispatcher: Dispatcher, *args: Any, **kwargs: Any) -> Any:
            number = self.started
            self.started += 1
            try:
                return await original(dispatcher, *args, **kwargs)
            finally:
                self._finished.append(number)

        monkeypatch.setattr(Dispatcher, "run", run)

    async def full_pass(self, app: Application, timeout: float = 5) -> None:  # type: ignore[type-arg]  # noqa: ASYNC109
        """Wait until a pass that began after this call has finished (poking the outbox so it
        begins at once rather than at the next sweep)."""
        first = self.started
        app.bot_data["deps"].poke()
        await until(
            lambda: any(n >= first for n in self._finished),
            timeout=timeout,
            what="an outbox pass that began after the call finished",
        )


@pytest.fixture
def outbox(monkeypatch: pytest.MonkeyPatch) -> Outbox:
    watched = Outbox()
    watched.watch(monkeypatch)
    return watched


@dataclasses.dataclass
class Handled:
    update: object
    task: asyncio.Task[Any]


class Updates:
    """The updates the bot has taken up and finished, and the task each ran in, so a test can
    wait for the bot to be idle instead of sleeping."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.finished: list[Handled] = []

    def watch(self, app: Application, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[type-arg]
        processor_type = type(app.update_processor)
        original: Callable[..., Awaitable[None]] = processor_type.process_update

        async def process_update(processor: Any, update: object, coroutine: Any) -> None:
            self.in_flight += 1
            try:
                await original(processor, update, coroutine)
            finally:
                self.in_flight -= 1
                task = asyncio.current_task()
                assert task is not None
                self.finished.append(Handled(update, task))

        monkeypatch.setattr(processor_type, "process_update", process_update)

    async def idle(self, app: Application, emu: BotApiEmulator, timeout: float = 5) -> None:  # type: ignore[type-arg]  # noqa: ASYNC109
        """Wait until every update the emulator holds has been fetched and handled."""

        def quiet() -> bool:
            return not emu.pending_updates and app.update_queue.empty() and not self.in_flight

        await until(quiet, timeout=timeout, what="the bot to be idle")
        # Once more a moment later: an update just taken off the queue is in flight only
        # once its task has started.
        await asyncio.sleep(0.01)
        await until(quiet, timeout=timeout, what="the bot to be idle")


@pytest.fixture
def updates(app: Application, monkeypatch: pytest.MonkeyPatch) -> Updates:  # type: ignore[type-arg]
    watched = Updates()
    watched.watch(app, monkeypatch)
    return watched
