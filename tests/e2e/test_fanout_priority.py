"""While an announcement goes out to many, residents' taps are answered first.

Counted from the emulator's recorded requests, not from the clock: how many of the
announcement's messages reached Telegram after the bot had a tap's answer ready and
before the answer.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from telegram.ext import Application

from bot.app import build_application, start, stop
from bot.config import Config
from bot.domain.status import NotificationKind
from bot.ratelimit import ChatRateLimiter
from emulator import BotApiEmulator, SimUser
from emulator.messages import SimMessage
from emulator.server import RecordedRequest
from storage.database import Database
from storage.models import Event
from tests.e2e.conftest import event_in
from tests.factories import make_person, queue
from tests.waiting import until

pytestmark = pytest.mark.telegram_limits

ANSWERS = frozenset({"sendmessage", "editmessagetext"})


async def fan_out(db: Database, emu: BotApiEmulator, event: Event, count: int) -> list[SimUser]:
    """An announcement of the event queued for ``count`` residents, due now."""
    now = datetime.now(UTC)
    audience = []
    for i in range(count):
        user = emu.add_user(first_name=f"Підписниця {i}")
        user.chat.started = True  # they wrote to the bot some time ago
        person = await make_person(db, user.user_id, now=now)
        await queue(
            db, events=[event], person_id=person.id, kind=NotificationKind.ANNOUNCEMENT, due=now
        )
        audience.append(user)
    return audience


def sends_to(emu: BotApiEmulator, users: list[SimUser]) -> list[RecordedRequest]:
    chats = {str(u.user_id) for u in users}
    return [r for r in emu.requests_for("sendMessage") if str(r.params.get("chat_id")) in chats]


async def open_card(user: SimUser, event: Event) -> SimMessage:
    await user.send_command(f"/start event_{event.id}")
    return await user.next_reply(timeout=10)


async def tap(
    emu: BotApiEmulator, user: SimUser, card: SimMessage
) -> tuple[float, RecordedRequest]:
    """Press «Записатися»: when the bot had the answer ready, and the answer's request.

    Ready is when it stopped the button's spinner (``answerCallbackQuery``, not paced), or
    the press itself should the bot answer the spinner only afterwards.
    """
    pressed = time.monotonic()
    query_id = await user.press(card, text="Записатися")
    reply = await user.next_reply(timeout=10)
    assert reply.text.startswith("✅ Ви записані!"), reply.text

    def answer() -> RecordedRequest | None:
        return next(
            (
                r
                for r in emu.requests
                if r.time > pressed
                and r.method.lower() in ANSWERS
                and str(r.params.get("chat_id")) == str(user.user_id)
            ),
            None,
        )

    found = await until(answer, what="the answer's request")
    spinner = [
        r.time
        for r in emu.requests_for("answerCallbackQuery")
        if r.params.get("callback_query_id") == query_id and r.time < found.time
    ]
    return max([pressed, *spinner]), found


@pytest.fixture
async def slow_app(
    bot_config: Config, emu: BotApiEmulator, db: Database
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """The bot with an overall budget of four messages a second (and two banked), so an
    announcement is still going out while residents tap, and its order is easy to read."""
    limiter = ChatRateLimiter(overall_per_second=4, overall_burst=2, max_retries=3)
    application = build_application(bot_config, token=emu.token, db=db, rate_limiter=limiter)
    await start(application)
    yield application
    await stop(application)


async def test_taps_are_answered_before_the_announcement_waiting_to_go_out(
    slow_app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
) -> None:
    event = await event_in(db, capacity=None, title="Навчаємось вираховувати субсидію")
    residents = [emu.add_user(first_name=f"Мешканка {i}") for i in range(6)]
    for user in residents:
        await make_person(db, user.user_id, now=event.created_at)
    cards = await asyncio.gather(*(open_card(user, event) for user in residents))
    # Telegram's limits; the bot keeps under them (6 a second at most).
    emu.set_rate_limits(per_chat_per_second=1, global_per_second=7)
    audience = await fan_out(db, emu, event, 16)
    slow_app.bot_data["deps"].poke()
    await until(lambda: len(sends_to(emu, audience)) >= 2, timeout=10, what="the fan-out")

    overtaken = []
    for user, card in zip(residents, cards, strict=True):
        await asyncio.sleep(0.7)  # a resident reads the card; the announcement goes on
        ready, answer = await tap(emu, user, card)
        between = [r for r in sends_to(emu, audience) if ready < r.time < answer.time]
        overtaken.append(len(between))
    still_to_go = len(audience) - len(sends_to(emu, audience))

    # Once the bot has an answer ready, no message of the announcement goes before it
    # (one may slip in while the answer is on its way). Sharing the budget first come,
    # first served, the announcement's message already waiting for a token would go first.
    assert sum(overtaken) <= 1, overtaken
    assert still_to_go > 0  # the announcement was going out all along
    await until(
        lambda: all(u.messages for u in audience), timeout=30, what="the whole announcement"
    )
    assert [len(u.messages) for u in audience] == [1] * len(audience)  # none lost, none twice
    assert len(sends_to(emu, audience)) == len(audience)  # and no 429 provoked


@pytest.mark.usefixtures("app")
async def test_an_outbox_429_does_not_hold_back_answers_to_other_chats(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
) -> None:
    event = await event_in(db, capacity=None, title="Навчаємось вираховувати субсидію")
    resident = emu.add_user(first_name="Мешканка")
    await make_person(db, resident.user_id, now=event.created_at)
    card = await open_card(resident, event)
    audience = await fan_out(db, emu, event, 6)
    # Telegram refuses the announcement twice and asks for 3 s: the limiter waits out the
    # first 429 in that chat, the second pauses the whole outbox.
    emu.fail_next(2, status=429, retry_after=3, methods={"sendMessage"})
    app.bot_data["deps"].poke()
    await until(lambda: sends_to(emu, audience), timeout=10, what="the first 429")

    _, answer = await tap(emu, resident, card)

    # Answered while the outbox waits: nothing more of the announcement went out before.
    assert len([r for r in sends_to(emu, audience) if r.time < answer.time]) == 1
    await until(
        lambda: all(u.messages for u in audience), timeout=30, what="the whole announcement"
    )
    assert [len(u.messages) for u in audience] == [1] * len(audience)
