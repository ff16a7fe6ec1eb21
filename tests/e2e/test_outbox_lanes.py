"""The outbox keeps a few messages in flight at once (Telegram is far away), never two to one
person, over the real request path to an emulator that answers late as Telegram does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from telegram.ext import AIORateLimiter, ExtBot

from bot.config import Config
from bot.deps import Deps
from bot.domain.status import NotificationKind
from bot.i18n import Catalogs
from bot.outbox.dispatcher import LANES, Dispatcher
from bot.sending import outbox_sender
from emulator import BotApiEmulator
from storage.database import Database
from tests.factories import make_event, make_person, queue

LATE = 0.4  # seconds each sendMessage takes to be answered


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[ExtBot[None]]:
    async with ExtBot(
        emu.token, base_url=emu.base_url, rate_limiter=AIORateLimiter(max_retries=3)
    ) as b:  # type: ignore[arg-type]
        yield b


def dispatcher(config: Config, db: Database, bot: ExtBot[None], *, lanes: int) -> Dispatcher:
    deps = Deps(config=config, db=db, catalogs=Catalogs())
    return Dispatcher(deps, outbox_sender(bot, deps), lanes=lanes)


@pytest.mark.parametrize("lanes", [1, LANES])
async def test_messages_to_different_people_are_in_flight_together(
    config: Config, db: Database, emu: BotApiEmulator, bot: ExtBot[None], lanes: int
) -> None:
    now = datetime.now(UTC)
    event = await make_event(db, now=now, starts_in=timedelta(days=2))
    users = [emu.add_user(first_name=f"Мешканка {i}") for i in range(2 * LANES)]
    for user in users:
        await user.send_command("/start")  # the chat exists (nobody polls here)
        person = await make_person(db, user.user_id, now=now)
        await queue(
            db, events=[event], person_id=person.id, kind=NotificationKind.PROMOTED, due=now
        )
    emu.set_latency(LATE, methods={"sendMessage"})

    tally = await dispatcher(config, db, bot, lanes=lanes).run()

    assert tally.sent == len(users)
    assert [len(u.messages) for u in users] == [1] * len(users)  # each once
    assert emu.most_in_flight["sendmessage"] == lanes


async def test_one_persons_messages_go_one_at_a_time_in_order(
    config: Config, db: Database, emu: BotApiEmulator, bot: ExtBot[None]
) -> None:
    now = datetime.now(UTC)
    user = emu.add_user(first_name="Леся")
    await user.send_command("/start")
    person = await make_person(db, user.user_id, now=now)
    titles = ["Перший тренінг", "Другий тренінг", "Третій тренінг"]
    for i, title in enumerate(titles):
        event = await make_event(db, now=now, starts_in=timedelta(days=2), title=title)
        due = now - timedelta(minutes=len(titles) - i)  # the first is the oldest
        await queue(
            db, events=[event], person_id=person.id, kind=NotificationKind.PROMOTED, due=due
        )
    emu.set_latency(LATE, methods={"sendMessage"})

    tally = await dispatcher(config, db, bot, lanes=LANES).run()

    assert tally.sent == len(titles)
    assert emu.most_in_flight["sendmessage"] == 1
    received = [next(t for t in titles if t in m.text) for m in user.messages]
    assert received == titles
