"""Telegram down for a while (5xx, or no answer at all past the read timeout) while
residents tap and reminders are due: afterwards polling resumes by itself, every due
reminder arrives once, a tap is registered at once and answered when Telegram is back."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from telegram.ext import Application

from bot.app import build_application, start, stop
from bot.config import Config, RemindersConfig
from bot.domain.status import NotificationKind, NotificationStatus
from emulator import BotApiEmulator, SimUser
from storage.database import Database
from storage.models import Notification, Registration
from tests.e2e.conftest import event_in
from tests.e2e.test_notifications import sign_up
from tests.factories import make_person
from tests.waiting import until

WINDOW = 4.0  # seconds Telegram is down; the benchmark's figure is for a minute
READ_TIMEOUT = 1.0  # how long the bot waits for an answer before it counts as lost
CONFIRMED = "✅ Ви записані!"
# The Bot API down: every call answered 502 or 500, or hanging past the read timeout.
MODES = [pytest.param(502, id="502"), pytest.param(500, id="500"), pytest.param(None, id="hang")]
SENDS = {"sendMessage", "editMessageText", "answerCallbackQuery"}


@pytest.fixture
def bot_config(bot_config: Config) -> Config:
    """Reminders an hour before, a sweep every second, a lease longer than a send."""
    return dataclasses.replace(
        bot_config,
        reminders=RemindersConfig(
            before=(timedelta(hours=1),),
            sweep_interval=timedelta(seconds=1),
            claim_lease=timedelta(seconds=30),
        ),
    )


@pytest.fixture
async def app(bot_config: Config, emu: BotApiEmulator, db: Database) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    application = build_application(bot_config, token=emu.token, db=db, read_timeout=READ_TIMEOUT)
    await start(application)
    yield application
    await stop(application)


async def registrations(db: Database) -> int:
    async with db.session() as session:
        return (await session.execute(select(func.count()).select_from(Registration))).scalar_one()


async def reminders_of(db: Database, people: list[int]) -> list[str]:
    """The statuses of these people's reminders, once none of them is pending any more."""
    async with db.session() as session:
        found = sorted(
            (
                await session.execute(
                    select(Notification.status).where(
                        Notification.kind == NotificationKind.REMINDER,
                        Notification.person_id.in_(people),
                    )
                )
            ).scalars()
        )
    return [] if {NotificationStatus.PENDING, NotificationStatus.SENDING} & set(found) else found


def reminders_in(user: SimUser) -> int:
    return sum(1 for m in user.messages if m.text.startswith("🔔 Нагадування"))


@pytest.mark.parametrize("status", MODES)
async def test_after_an_outage_every_due_reminder_arrives_once_and_taps_are_answered(
    emu: BotApiEmulator,
    db: Database,
    app: Application,  # type: ignore[type-arg]
    status: int | None,
) -> None:
    event = await event_in(db, days=1, capacity=None)
    residents = [emu.add_user(first_name=f"Мешканка {i}") for i in range(5)]
    tapper = emu.add_user(first_name="Тарас")
    people = [(await make_person(db, u.user_id, now=event.created_at)).id for u in residents]
    await make_person(db, tapper.user_id, now=event.created_at)
    for user in residents:
        await sign_up(user, event.id)
    await tapper.send_command(f"/start event_{event.id}")
    card = await tapper.next_reply()

    outage = emu.outage(WINDOW, status=status)
    over_at = time.monotonic() + WINDOW
    async with db.transaction() as session:  # the residents' reminders fall due in the outage
        await session.execute(
            update(Notification)
            .where(Notification.kind == NotificationKind.REMINDER)
            .where(Notification.person_id.in_(people))
            .values(due_at=datetime.now(UTC))
        )
    app.bot_data["deps"].poke()
    await tapper.press(card, text="Записатися")

    confirmation = await tapper.next_reply(timeout=WINDOW + 30)
    assert confirmation.text.startswith(CONFIRMED)
    assert time.monotonic() >= over_at - 0.5  # answered once Telegram was back, not before
    assert outage.refused > 0
    settled = await until(lambda: reminders_of(db, people), timeout=40, what="reminders settled")
    assert settled == [NotificationStatus.SENT] * len(residents)  # none failed for good
    assert [reminders_in(user) for user in residents] == [1] * len(residents)
    # Polling is back: a new message is answered at once.
    await tapper.send_command("/help")
    assert (await tapper.next_reply(timeout=5)).text
    assert await registrations(db) == len(residents) + 1


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize("status", [pytest.param(502, id="502"), pytest.param(None, id="hang")])
async def test_a_tap_while_sends_fail_is_registered_at_once_and_answered_after(
    emu: BotApiEmulator, db: Database, status: int | None
) -> None:
    event = await event_in(db, days=1, capacity=None)
    tapper = emu.add_user(first_name="Тарас")
    await make_person(db, tapper.user_id, now=event.created_at)
    await tapper.send_command(f"/start event_{event.id}")
    card = await tapper.next_reply()

    # Updates still come in; whatever the bot sends is lost for a while.
    emu.outage(WINDOW, status=status, methods=SENDS)
    over_at = time.monotonic() + WINDOW
    await tapper.press(card, text="Записатися")
    await until(lambda: registrations(db), timeout=WINDOW - 1, what="the registration")
    assert time.monotonic() < over_at  # in the database while Telegram is still down
    # Someone opens the event's card meanwhile: the card is read from the database, and
    # its sending waits for Telegram holding no connection (others need them).
    reader = emu.add_user(first_name="Оксана")
    await reader.send_command(f"/start event_{event.id}")
    await until(
        lambda: any(r.params.get("chat_id") == str(reader.user_id) for r in emu.requests),
        timeout=1,
        what="the card tried",
    )
    await until(lambda: db.engine.pool.checkedout() == 0, timeout=1, what="no connection held")
    assert time.monotonic() < over_at

    # The card redrawn with the confirmation on top and «Скасувати», once Telegram is back.
    answer = await tapper.next_reply(timeout=WINDOW + 30)
    assert time.monotonic() >= over_at - 0.5
    assert CONFIRMED in answer.text and "Скасувати мій запис" in " ".join(answer.button_texts)
    assert (await reader.next_reply(timeout=30)).text.startswith(event.title)
    await tapper.expect_silence(0.5)  # and nothing twice
    assert sum(CONFIRMED in m.text for m in tapper.messages) == 1
    assert await registrations(db) == 1
