"""Quiet hours in the outbox (issue 12), over the real request path to the emulator: at
night announcements and notices wait for the morning; reminders, and news of an event
that starts before the morning, go out at once without a sound."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from telegram.ext import AIORateLimiter, ExtBot

from bot.config import Config
from bot.deps import Deps
from bot.domain.quiet import QuietHours
from bot.domain.status import NotificationKind as Kind
from bot.i18n import Catalogs
from bot.outbox.dispatcher import Dispatcher
from bot.sending import outbox_sender
from emulator import BotApiEmulator
from storage.database import Database
from storage.models import Notification
from tests.factories import make_event, make_person, queue

KYIV = ZoneInfo("Europe/Kyiv")


def kyiv(*args: int) -> datetime:
    return datetime(*args, tzinfo=KYIV).astimezone(UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[ExtBot[None]]:
    async with ExtBot(
        emu.token, base_url=emu.base_url, rate_limiter=AIORateLimiter(max_retries=3)
    ) as b:  # type: ignore[arg-type]
        yield b


async def test_at_night_what_can_wait_waits_and_the_rest_goes_silently(
    config: Config, db: Database, emu: BotApiEmulator, bot: ExtBot[None]
) -> None:
    night = kyiv(2026, 1, 15, 23, 30)
    clock = Clock(night)
    library = dataclasses.replace(
        config.library, timezone=KYIV, quiet_hours=QuietHours(time(21, 0), time(8, 0))
    )
    deps = Deps(
        config=dataclasses.replace(config, library=library),
        db=db,
        catalogs=Catalogs(),
        clock=clock,
    )
    dispatcher = Dispatcher(deps, outbox_sender(bot, deps))

    created = night - timedelta(days=1)
    tomorrow_noon = await make_event(db, now=created, starts_in=kyiv(2026, 1, 16, 12, 0) - created)
    at_dawn = await make_event(db, now=created, starts_in=kyiv(2026, 1, 16, 7, 0) - created)
    users = {}
    for name, event, kind in [
        ("announced", tomorrow_noon, Kind.ANNOUNCEMENT),
        ("reminded", tomorrow_noon, Kind.REMINDER),
        ("cancelled_later", tomorrow_noon, Kind.CANCELLED),
        ("cancelled_at_dawn", at_dawn, Kind.CANCELLED),
    ]:
        user = emu.add_user(first_name=name)
        await user.send_command("/start")  # the chat exists (nobody polls here)
        person = await make_person(db, user.user_id, now=created)
        await queue(db, events=[event], person_id=person.id, kind=kind, due=night)
        users[name] = user

    tally = await dispatcher.run()
    assert (tally.sent, tally.held) == (2, 2)
    sent = {r.params.get("chat_id"): r.params for r in emu.requests_for("sendMessage")}
    for name in ("reminded", "cancelled_at_dawn"):
        params = sent[str(users[name].user_id)]
        assert params.get("disable_notification") == "true", name
    async with db.session() as session:
        rows = (await session.execute(select(Notification).order_by(Notification.id))).scalars()
        waiting = [(r.kind, r.status, r.due_at, r.attempts) for r in rows if r.status == "pending"]
    morning = kyiv(2026, 1, 16, 8, 0)
    assert waiting == [
        (Kind.ANNOUNCEMENT, "pending", morning, 0),
        (Kind.CANCELLED, "pending", morning, 0),  # not counted as a try
    ]
    assert (await dispatcher.run()).sent == 0  # nothing more before the morning
    assert await dispatcher.next_wake() == morning

    clock.now = morning
    assert (await dispatcher.run()).sent == 2
    by_chat = {r.params.get("chat_id"): r.params for r in emu.requests_for("sendMessage")}
    for name in ("announced", "cancelled_later"):
        assert by_chat[str(users[name].user_id)].get("disable_notification") in (None, "false")
