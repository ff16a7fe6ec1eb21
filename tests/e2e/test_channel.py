"""The library's channel (issue 12): announcing an event posts it there once, with a
button to the event; a bot that is not an administrator tells staff, and subscribers are
told anyway. The real bot against the emulator."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from telegram.ext import Application

from bot.app import build_application
from bot.config import Config
from bot.domain.quiet import QuietHours
from bot.services import announcements
from emulator import BotApiEmulator
from emulator.users import SimUser
from storage.database import Database
from storage.models import ChannelPost
from tests.e2e.conftest import event_in, start, stop
from tests.factories import LIBRARIAN

pytestmark = pytest.mark.staff
CHANNEL = "@volochysk_library"


@pytest.fixture
async def channel_app(
    bot_config: Config, emu: BotApiEmulator, db: Database
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    config = dataclasses.replace(
        bot_config, telegram=dataclasses.replace(bot_config.telegram, channel=CHANNEL)
    )
    application = build_application(config, token=emu.token, db=db)
    await start(application)
    yield application
    await stop(application)


async def _subscriber(emu: BotApiEmulator, db: Database, config: Config) -> SimUser:
    user = emu.add_user(first_name="Підписниця")
    await user.send_command("/start")
    await user.next_reply()
    async with db.transaction() as session:
        await announcements.choose(
            session,
            user.user_id,
            "*",
            known_kinds=[k.key for k in config.event_kinds],
            now=datetime.now(UTC),
        )
    return user


async def _announce(emu: BotApiEmulator, event_id: int) -> list[str]:
    """A librarian opens the event's card and taps 📣; what they are told, in order."""
    librarian = next((u for u in emu.users if u.user_id == LIBRARIAN), None) or emu.add_user(
        first_name="Бібліотекарка", user_id=LIBRARIAN
    )
    await librarian.send_command("/events")
    listing = await librarian.next_reply()
    await librarian.press(listing, callback_data=f"sev:{event_id}")
    card = await librarian.next_reply()
    await librarian.press(card, text="Розіслати підписникам")
    first = await librarian.next_reply(timeout=15)
    said = [first.text]
    if first.text.startswith(("📢", "⚠️")):
        said.append((await librarian.next_reply(timeout=15)).text)
    return said


@pytest.mark.usefixtures("channel_app")
async def test_announcing_posts_once_to_the_channel_with_a_button_to_the_event(
    emu: BotApiEmulator, db: Database, bot_config: Config
) -> None:
    channel = emu.add_channel(CHANNEL)
    event = await event_in(db, days=4, title="Навчаємось вираховувати субсидію")
    subscriber = await _subscriber(emu, db, bot_config)
    said = await _announce(emu, event.id)
    assert said[0] == f"📢 Опубліковано в каналі {CHANNEL}."
    (post,) = channel.posts
    assert post.text.startswith("📣 Новий захід!\n\nНавчаємось вираховувати субсидію")
    link = f"https://t.me/{emu.bot_user['username']}?start=event_{event.id}"
    assert post.url_buttons == [("✍️ Записатися", link)]
    assert (await subscriber.next_reply(timeout=15)).text.startswith("📣 Новий захід!")

    again = await _announce(emu, event.id)  # the second 📣 posts nothing new
    assert not again[0].startswith("📢") and len(channel.posts) == 1


@pytest.mark.usefixtures("channel_app")
async def test_a_bot_that_is_not_an_administrator_tells_staff_and_subscribers_still_get_it(
    emu: BotApiEmulator, db: Database, bot_config: Config
) -> None:
    channel = emu.add_channel(CHANNEL, bot_is_admin=False)
    event = await event_in(db, days=4, title="Легальна зайнятість")
    subscriber = await _subscriber(emu, db, bot_config)
    said = await _announce(emu, event.id)
    assert said[0].startswith(
        f"⚠️ Не вдалося опублікувати в каналі {CHANNEL}: бот не є його адміністратором"
    )
    assert said[1].startswith("Легальна зайнятість\n📣 Розсилка")  # the announcement goes on
    assert (await subscriber.next_reply(timeout=15)).text.startswith("📣 Новий захід!")
    assert channel.posts == []

    channel.bot_is_admin = True  # the library fixes it and taps 📣 again
    said = await _announce(emu, event.id)
    assert said[0] == f"📢 Опубліковано в каналі {CHANNEL}."
    assert len(channel.posts) == 1
    await subscriber.expect_silence(0.3)  # nothing twice


@pytest.mark.usefixtures("app")
async def test_without_a_channel_nothing_is_posted_or_said(
    emu: BotApiEmulator, db: Database, bot_config: Config
) -> None:
    channel = emu.add_channel(CHANNEL)
    event = await event_in(db, days=4, title="Електронні послуги")
    await _subscriber(emu, db, bot_config)
    said = await _announce(emu, event.id)
    assert said[0].startswith("Електронні послуги\n📣 Розсилка")
    assert channel.posts == []


@pytest.mark.usefixtures("channel_app")
async def test_a_post_a_stopped_process_had_claimed_is_made_by_the_next_announce(
    emu: BotApiEmulator, db: Database, bot_config: Config
) -> None:
    """The bot restarted between taking the event's post and sending it: the row, with no
    message id, must not keep the event off the channel for ever."""
    channel = emu.add_channel(CHANNEL)
    event = await event_in(db, days=4, title="Кібербезпека для всіх")
    await _subscriber(emu, db, bot_config)
    async with db.transaction() as session:
        session.add(
            ChannelPost(event_id=event.id, posted_at=datetime.now(UTC) - timedelta(hours=1))
        )
    said = await _announce(emu, event.id)
    assert said[0] == f"📢 Опубліковано в каналі {CHANNEL}."
    assert len(channel.posts) == 1


@pytest.mark.usefixtures("channel_app")
async def test_a_post_being_made_right_now_is_not_made_twice(
    emu: BotApiEmulator, db: Database, bot_config: Config
) -> None:
    channel = emu.add_channel(CHANNEL)
    event = await event_in(db, days=4, title="Кібербезпека для всіх")
    await _subscriber(emu, db, bot_config)
    async with db.transaction() as session:  # another process has just taken it
        session.add(ChannelPost(event_id=event.id, posted_at=datetime.now(UTC)))
    said = await _announce(emu, event.id)
    assert not said[0].startswith("📢")
    assert channel.posts == []


def _quiet_now(config: Config, *, quiet: bool) -> Config:
    """Quiet hours around the present moment (the app's clock is the real one), or away
    from it."""
    now = datetime.now(config.library.timezone)
    shift = timedelta(hours=0 if quiet else 6)
    start = (now + shift - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (now + shift + timedelta(hours=1)).time().replace(second=0, microsecond=0)
    library = dataclasses.replace(config.library, quiet_hours=QuietHours(start, end))
    return dataclasses.replace(
        config,
        library=library,
        telegram=dataclasses.replace(config.telegram, channel=CHANNEL),
    )


@pytest.mark.parametrize("quiet", [True, False])
async def test_a_post_during_quiet_hours_makes_no_sound(
    emu: BotApiEmulator, db: Database, bot_config: Config, quiet: bool
) -> None:
    """Staff announcing late in the evening must not wake the channel's subscribers."""
    application = build_application(_quiet_now(bot_config, quiet=quiet), token=emu.token, db=db)
    await start(application)
    try:
        channel = emu.add_channel(CHANNEL)
        event = await event_in(db, days=4, title="Смартфон для початківців")
        await _subscriber(emu, db, bot_config)
        said = await _announce(emu, event.id)
        assert said[0] == f"📢 Опубліковано в каналі {CHANNEL}."
        (request,) = [
            r for r in emu.requests_for("sendMessage") if r.params.get("chat_id") == CHANNEL
        ]
        silent = request.params.get("disable_notification") == "true"
        assert silent == quiet
        assert len(channel.posts) == 1
    finally:
        await stop(application)


async def _settle(emu: BotApiEmulator) -> None:
    """Wait until the librarian's progress messages say the sending is done, and mark
    their edits as seen (so that the next /events reads its own answer)."""
    librarian = next(u for u in emu.users if u.user_id == LIBRARIAN)
    async with asyncio.timeout(15):
        while any("⏳" in m.text for m in librarian.messages):
            await asyncio.sleep(0.05)
    librarian.skip_pending()


@pytest.mark.usefixtures("channel_app")
async def test_staff_are_told_of_a_channel_problem_once_until_it_is_fixed(
    emu: BotApiEmulator, db: Database, bot_config: Config
) -> None:
    channel = emu.add_channel(CHANNEL, bot_is_admin=False)
    first, second, third, fourth = [
        await event_in(db, days=4 + i, title=title)
        for i, title in enumerate(["Легальна зайнятість", "Кібербезпека", "Смартфон", "Пенсія"])
    ]
    subscriber = await _subscriber(emu, db, bot_config)
    said = await _announce(emu, first.id)
    assert said[0].startswith(f"⚠️ Не вдалося опублікувати в каналі {CHANNEL}")
    await subscriber.next_reply(timeout=15)
    await _settle(emu)

    # Not fixed yet: neither another event's 📣 nor the same one's again repeats it.
    said = await _announce(emu, second.id)
    assert said[0].startswith("Кібербезпека\n📣 Розсилка")
    await subscriber.next_reply(timeout=15)
    await _settle(emu)
    said = await _announce(emu, first.id)
    assert not said[0].startswith(("⚠️", "📢"))
    assert channel.posts == []

    channel.bot_is_admin = True  # fixed: the next 📣 posts, and refused posts may follow
    said = await _announce(emu, third.id)
    assert said[0] == f"📢 Опубліковано в каналі {CHANNEL}."
    await subscriber.next_reply(timeout=15)
    await _settle(emu)
    said = await _announce(emu, second.id)
    assert said[0] == f"📢 Опубліковано в каналі {CHANNEL}."
    assert len(channel.posts) == 2

    channel.bot_is_admin = False  # a new problem is told again
    said = await _announce(emu, fourth.id)
    assert said[0].startswith(f"⚠️ Не вдалося опублікувати в каналі {CHANNEL}")
