"""The dispatcher's answers to Telegram's errors, over the real request path to the emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from telegram.ext import AIORateLimiter, ExtBot

from bot.config import Config
from bot.deps import Deps
from bot.domain.status import NotificationKind, NotificationStatus
from bot.i18n import Catalogs
from bot.outbox.dispatcher import MAX_ATTEMPTS, Dispatcher, backoff
from bot.sending import outbox_sender
from emulator import BotApiEmulator, SimUser
from storage.database import Database
from storage.models import Notification, Person
from tests.factories import make_event, make_person, queue


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[ExtBot[None]]:
    async with ExtBot(
        emu.token, base_url=emu.base_url, rate_limiter=AIORateLimiter(max_retries=3)
    ) as b:  # type: ignore[arg-type]
        yield b


async def one_due(db: Database, emu: BotApiEmulator, clock: Clock) -> tuple[SimUser, int]:
    user = emu.add_user(first_name="Леся")
    await user.send_command("/start")  # the chat exists (nobody polls here)
    event = await make_event(db, now=clock.now, starts_in=timedelta(days=2))
    person = await make_person(db, user.user_id, now=clock.now)
    await queue(
        db, events=[event], person_id=person.id, kind=NotificationKind.PROMOTED, due=clock.now
    )
    return user, person.id


async def state(db: Database) -> tuple[str, int, datetime]:
    async with db.session() as session:
        row = (await session.execute(select(Notification))).scalar_one()
    return row.status, row.attempts, row.due_at


def dispatcher(config: Config, db: Database, bot: ExtBot[None], clock: Clock) -> Dispatcher:
    deps = Deps(config=config, db=db, catalogs=Catalogs(), clock=clock)
    return Dispatcher(deps, outbox_sender(bot, deps))


async def test_a_network_error_is_retried_later_with_back_off(
    config: Config, db: Database, emu: BotApiEmulator, bot: ExtBot[None]
) -> None:
    clock = Clock()
    user, _ = await one_due(db, emu, clock)
    d = dispatcher(config, db, bot, clock)
    emu.fail_next(1, status=502, methods={"sendMessage"})
    tally = await d.run()
    assert (tally.sent, tally.retried) == (0, 1)
    assert await state(db) == ("pending", 1, clock.now + backoff(1))
    assert (await d.run()).sent == 0  # not yet
    clock.now += backoff(1)
    assert (await d.run()).sent == 1
    assert (await user.next_reply()).text.startswith("🎉")
    assert (await state(db))[:2] == ("sent", 2)


async def test_a_refused_message_fails_without_stopping_the_others(
    config: Config, db: Database, emu: BotApiEmulator, bot: ExtBot[None]
) -> None:
    clock = Clock()
    await one_due(db, emu, clock)
    emu.fail_next(1, status=400, methods={"sendMessage"})
    tally = await dispatcher(config, db, bot, clock).run()
    assert (tally.sent, tally.failed) == (0, 1)
    assert (await state(db))[0] == NotificationStatus.FAILED


async def test_a_message_that_keeps_failing_is_given_up(
    config: Config, db: Database, emu: BotApiEmulator, bot: ExtBot[None]
) -> None:
    clock = Clock()
    await one_due(db, emu, clock)
    d = dispatcher(config, db, bot, clock)
    emu.fail_next(MAX_ATTEMPTS, status=502, methods={"sendMessage"})
    for _ in range(MAX_ATTEMPTS):
        await d.run()
        clock.now += timedelta(hours=1)
    tally = await d.run()
    assert tally.failed == 1
    assert (await state(db))[:2] == ("failed", MAX_ATTEMPTS + 1)


async def test_403_marks_the_person_unreachable(
    config: Config, db: Database, emu: BotApiEmulator, bot: ExtBot[None]
) -> None:
    clock = Clock()
    user, person_id = await one_due(db, emu, clock)
    user.blocked = True
    tally = await dispatcher(config, db, bot, clock).run()
    assert tally.blocked == 1
    async with db.session() as session:
        person = await session.get(Person, person_id)
    assert person is not None and person.unreachable_at == clock.now
    assert (await state(db))[0] == NotificationStatus.BLOCKED


async def test_repeated_429_gives_the_message_back_and_pauses(
    config: Config, db: Database, emu: BotApiEmulator, bot: ExtBot[None]
) -> None:
    clock = Clock()
    user, _ = await one_due(db, emu, clock)
    d = dispatcher(config, db, bot, clock)
    emu.fail_next(
        2, status=429, retry_after=1, methods={"sendMessage"}
    )  # the limiter waits out one
    tally = await d.run()
    assert tally.retried == 1 and d.paused_until == clock.now + timedelta(seconds=1)
    status, _, due = await state(db)
    assert (status, due) == ("pending", clock.now)  # its place in line is kept
    assert (await d.run()).sent == 0  # paused
    clock.now += timedelta(seconds=1)
    assert (await d.run()).sent == 1
    assert (await user.next_reply()).text.startswith("🎉")
