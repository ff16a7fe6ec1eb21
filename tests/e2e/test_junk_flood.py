"""A flood of junk (random and huge texts, random and oversized button data, update kinds the
bot never asked for, odd fields) mixed with real first sign-ups: every sign-up succeeds,
nothing unhandled is logged, and nothing is kept per update once the flood has passed."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select
from telegram.ext import Application

from bot.app import build_application, start, stop
from bot.config import Config
from bot.ratelimit import KEEP_CHATS, ChatRateLimiter
from bot.updates import PerUserUpdateProcessor
from emulator import BotApiEmulator, SimMessage, SimUser
from emulator.junk import JunkMaker
from storage.database import Database
from storage.models import Person, Registration
from tests.e2e.conftest import Updates, event_in
from tests.waiting import until

JUNK = 10_000
REAL = 20
STRANGERS = 300  # the junk comes from this many accounts
CONFIRMED = "✅ Ви записані!"


@pytest.fixture
async def app(bot_config: Config, emu: BotApiEmulator, db: Database) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    # Telegram's 30 messages a second would make the thousands of answers to junk take
    # minutes here; the limits themselves are tested elsewhere (test_flood.py).
    limiter = ChatRateLimiter(overall_per_second=10_000, chat_per_second=10_000)
    application = build_application(bot_config, token=emu.token, db=db, rate_limiter=limiter)
    await start(application)
    yield application
    await stop(application)


async def sign_up_first_time(user: SimUser, card: SimMessage, name: str) -> str:
    """The first sign-up's questions, as in test_resident_flows, with the patience a flood
    asks for (the residents' updates wait behind the junk fetched before them)."""
    wait = 120
    await user.press(card, text="Записатися")
    assert "ім’я та прізвище" in (await user.next_reply(timeout=wait)).text
    await user.send_text(name)
    categories = await user.next_reply(timeout=wait)
    await user.press(categories, text="Користувачі бібліотеки")
    assert "номер телефону" in (await user.next_reply(timeout=wait)).text
    await user.send_contact(phone_number="+380501234567")
    assert "номер отримано" in (await user.next_reply(timeout=wait)).text
    consent = await user.next_reply(timeout=wait)
    await user.press(consent, text="Погоджуюся")
    return (await user.next_reply(timeout=wait)).text


async def count(db: Database, what: type[object]) -> int:
    async with db.session() as session:
        return (await session.execute(select(func.count()).select_from(what))).scalar_one()


async def test_junk_flood_lets_every_real_sign_up_through_and_leaves_nothing_behind(
    emu: BotApiEmulator,
    db: Database,
    app: Application,  # type: ignore[type-arg]
    updates: Updates,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    event = await event_in(db, capacity=None, title="Навчаємось вираховувати субсидію")
    strangers = [emu.add_user(first_name=f"Незнайомець {i}") for i in range(STRANGERS)]
    residents = [emu.add_user(first_name=f"Мешканка {i}") for i in range(REAL)]
    junk = JunkMaker(emu, strangers, random.Random(2026))

    async def flood() -> None:
        for _ in range(JUNK // 500):
            await junk.push(500)
            await asyncio.sleep(0.05)  # let the bot fetch some between the bursts

    async def register(number: int, user: SimUser) -> str:
        await asyncio.sleep(number * 0.2)  # residents arrive through the flood
        await user.send_command(f"/start event_{event.id}")
        card = await user.next_reply(timeout=120)
        return await sign_up_first_time(user, card, name=f"Олена Петренко {number}")

    results = await asyncio.gather(flood(), *(register(i, u) for i, u in enumerate(residents)))
    confirmations = results[1:]
    assert all(str(text).startswith(CONFIRMED) for text in confirmations), confirmations
    await until(lambda: not emu.pending_updates, timeout=120, what="every junk update fetched")

    # The bot still answers, and it is the residents', not the junk's, who signed up.
    await residents[0].send_command("/my")
    assert "Навчаємось вираховувати субсидію" in (await residents[0].next_reply(timeout=60)).text
    assert await count(db, Registration) == REAL
    # Nothing unhandled: no traceback, no error from a handler.
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert not [r for r in caplog.records if r.exc_info]

    # Nothing kept per person or per update once the flood is over.
    processor = app.update_processor
    assert isinstance(processor, PerUserUpdateProcessor)
    await updates.idle(app, emu, timeout=60)
    assert processor.tables == (0, 0, 0)
    assert len(app.user_data) == 0 and len(app.chat_data) == 0
    limiter = app.bot.rate_limiter
    assert isinstance(limiter, ChatRateLimiter)
    assert limiter.chats <= KEEP_CHATS
    # Strangers are not made into people by junk: only who wrote in a private chat is.
    assert await count(db, Person) <= STRANGERS + REAL


async def test_an_update_the_library_cannot_read_is_skipped_and_polling_goes_on(
    emu: BotApiEmulator,
    app: Application,  # type: ignore[type-arg]
    updates: Updates,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    user = emu.add_user(first_name="Олена")
    await user.send_command("/start")
    await user.next_reply()
    # A poll as a newer Bot API sends it, without fields this library requires; without
    # care the whole batch fails to parse and is fetched again for ever.
    await emu.push_update("poll", {"id": "1", "question": "Олена Петренко, +380501234567?"})
    await user.send_command("/help")
    assert "/events" in (await user.next_reply(timeout=10)).text
    await updates.idle(app, emu)
    skipped = [r.getMessage() for r in caplog.records if "cannot be read" in r.getMessage()]
    assert len(skipped) == 1 and "(poll)" in skipped[0], skipped
    assert "Петренко" not in caplog.text and "380501234567" not in caplog.text
