"""Reminders and notices in real time through the emulator: on time, once, within limits."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from telegram.ext import Application

from bot.config import Config, RemindersConfig
from bot.domain.interests import Interests
from bot.domain.status import NotificationKind, NotificationStatus, RegistrationStatus
from emulator import BotApiEmulator, SimUser
from storage.database import Database
from storage.models import Event, Notification, Person, Registration
from tests.e2e.conftest import Outbox, event_in
from tests.factories import make_person, queue
from tests.waiting import until

pytestmark = pytest.mark.usefixtures("app")

OFFSET = timedelta(seconds=4)


@pytest.fixture
def bot_config(bot_config: Config) -> Config:
    """Reminders seconds before the start, and a sweep every second."""
    return dataclasses.replace(
        bot_config,
        reminders=RemindersConfig(
            before=(OFFSET,), sweep_interval=timedelta(seconds=1), claim_lease=timedelta(seconds=5)
        ),
    )


async def sign_up(user: SimUser, event_id: int, button: str = "Записатися") -> None:
    await user.send_command(f"/start event_{event_id}")
    await user.press(await user.next_reply(), text=button)
    await user.next_reply()  # the card, redrawn with the outcome on top


async def test_a_reminder_arrives_on_time_and_i_will_come_is_noted(
    emu: BotApiEmulator, db: Database, app: Application, outbox: Outbox
) -> None:
    event = await event_in(db, days=7 / 86400, capacity=5)  # starts in 7 seconds
    user = emu.add_user(first_name="Оксана")
    await make_person(db, user.user_id, now=event.created_at)
    await sign_up(user, event.id)
    reminder = await user.next_reply(timeout=15)
    arrived = datetime.now(UTC)
    assert reminder.text.startswith("🔔 Нагадування: " + event.title)
    assert "Читальна зала" in reminder.text
    assert [row[0].text for row in reminder.buttons] == ["✅ Прийду", "❌ Не зможу прийти"]
    due = event.starts_at - OFFSET
    assert due <= arrived < due + timedelta(seconds=2), (due, arrived)

    query = await user.press(reminder, text="Прийду")
    assert (await user.callback_answer(query))["text"] == "Дякуємо! Чекаємо на вас."
    assert (await user.next_reply()).buttons == []
    async with db.session() as session:
        acknowledged = (await session.execute(select(Registration.acknowledged_at))).scalar_one()
    assert acknowledged is not None
    # Exactly one reminder: once it is marked sent, a later pass of the outbox sends nothing.
    await until(lambda: statuses(db, NotificationKind.REMINDER), what="the reminder marked sent")
    assert await statuses(db, NotificationKind.REMINDER) == [NotificationStatus.SENT]
    await outbox.full_pass(app)
    await user.expect_silence(0.1)  # short: the pass is over, anything it sent is here


async def test_i_cannot_come_frees_the_seat_for_the_first_in_line(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, days=6 / 86400, capacity=1)
    first, second = emu.add_user(first_name="Перший"), emu.add_user(first_name="Друга")
    for user in (first, second):
        await make_person(db, user.user_id, now=event.created_at)
    await sign_up(first, event.id)
    await sign_up(second, event.id, "Стати в чергу")
    reminder = await first.next_reply(timeout=15)
    await first.press(reminder, text="Не зможу прийти")
    notice = await first.next_reply()  # the reminder itself becomes the notice: one edit
    assert notice.message_id == reminder.message_id and notice.buttons == []
    assert "скасовано" in notice.text
    promoted = await second.next_reply(timeout=5)
    assert promoted.text.startswith("🎉 Звільнилося місце")
    async with db.session() as session:
        statuses = (
            (await session.execute(select(Registration.status).order_by(Registration.id)))
            .scalars()
            .all()
        )
    assert statuses == [RegistrationStatus.CANCELLED, RegistrationStatus.CONFIRMED]


async def test_429_for_a_while_and_403_for_some_lose_nothing_and_keep_the_order(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, days=1, capacity=None)
    users = [emu.add_user(first_name=f"Мешканець {i}") for i in range(12)]
    for user in users:
        await make_person(db, user.user_id, now=event.created_at)
        await sign_up(user, event.id)
    blocked = {users[2].user_id, users[7].user_id}
    for user in users:
        if user.user_id in blocked:
            # Blocked while the bot was down: it missed the my_chat_member update and
            # learns of it only from the 403.
            user.blocked = True
    emu.fail_next(4, status=429, retry_after=1, methods={"sendMessage"})
    # Make every reminder due now, one second apart, in the users' order.
    now = datetime.now(UTC)
    async with db.transaction() as session:
        people = {p.telegram_id: p.id for p in (await session.execute(select(Person))).scalars()}
        for i, user in enumerate(users):
            await session.execute(
                update(Notification)
                .where(
                    Notification.person_id == people[user.user_id],
                    Notification.kind == NotificationKind.REMINDER,
                )
                .values(due_at=now - timedelta(seconds=len(users) - i))
            )
    reachable = [u for u in users if u.user_id not in blocked]
    for user in reachable:
        assert (await user.next_reply(timeout=20)).text.startswith("🔔 Нагадування")
    sends = [
        int(r.params["chat_id"])
        for r in emu.requests_for("sendMessage")
        if "Нагадування" in str(r.params.get("text"))
    ]
    assert len(sends) == len(reachable) + 4 + len(blocked)  # four 429s were answered and retried
    delivered = [chat for chat in sends if chat not in blocked]
    # 429 answers are repeated for the same chat; once delivered, the order is the users' order
    assert list(dict.fromkeys(delivered)) == [u.user_id for u in reachable]
    # The outbox settles: every reminder sent or given up, so nothing more may arrive.
    await until(lambda: statuses(db, NotificationKind.REMINDER), what="no reminder pending")
    assert await statuses(db, NotificationKind.REMINDER) == sorted(
        [NotificationStatus.SENT] * 10 + [NotificationStatus.BLOCKED] * 2
    )
    async with db.session() as session:
        rows = (await session.execute(select(Person.telegram_id, Person.unreachable_at))).all()
    assert {tg for tg, at in rows if at is not None} == blocked
    assert all(sum(1 for m in u.messages if m.text.startswith("🔔")) == 1 for u in reachable)


async def test_unblocking_the_bot_makes_a_person_reachable_again(
    emu: BotApiEmulator, db: Database, app: Application, outbox: Outbox
) -> None:
    user = emu.add_user(first_name="Петро")
    event = await event_in(db, days=1)
    person = await make_person(db, user.user_id, now=event.created_at)
    await user.send_command("/start")
    await user.next_reply()
    await user.block()
    await wait_until(db, lambda at: at is not None, user.user_id)
    now = datetime.now(UTC)
    # something due while they had blocked the bot
    await queue(db, events=[event], person_id=person.id, kind=NotificationKind.PROMOTED, due=now)
    await outbox.full_pass(app)  # the outbox looks; nothing is sent to an unreachable person
    assert not any(m.text.startswith("🎉") for m in user.messages)
    await user.unblock()
    await wait_until(db, lambda at: at is None, user.user_id)
    assert (await user.next_reply(timeout=5)).text.startswith("🎉")


async def wait_until(
    db: Database, condition: Callable[[datetime | None], bool], telegram_id: int
) -> None:
    """Until the person's ``unreachable_at`` meets ``condition``."""

    async def met() -> bool:
        async with db.session() as session:
            at = (
                await session.execute(
                    select(Person.unreachable_at).where(Person.telegram_id == telegram_id)
                )
            ).scalar_one()
        return condition(at)

    await until(met, what=f"unreachable_at of {telegram_id} to change")


async def statuses(db: Database, kind: NotificationKind) -> list[str]:
    """The statuses of that kind of notification, ordered, once none is pending any more."""
    async with db.session() as session:
        rows = (
            await session.execute(select(Notification.status).where(Notification.kind == kind))
        ).scalars()
        found = sorted(rows)
    unsettled = {NotificationStatus.PENDING, NotificationStatus.SENDING}
    return [] if unsettled & set(found) else found


async def test_subscribing_from_the_menu_and_unsubscribing_in_one_tap(
    emu: BotApiEmulator, db: Database
) -> None:
    from bot.services import announcements

    user = emu.add_user(first_name="Ірина")
    await user.send_command("/start")
    menu = await user.next_reply()
    await user.press(menu, text="Новини про нові заходи")
    screen = await user.next_reply()
    assert screen.text.startswith("Я можу повідомляти вас про нові заходи")
    await user.press(screen, text="Семінар")
    screen = await user.next_reply()
    assert "✅ Семінар" in [row[0].text for row in screen.buttons]
    async with db.session() as session:
        assert await announcements.subscription(session, user.user_id) == Interests(
            kinds=frozenset({"seminar"})
        )
    await user.press(screen, text="Усі заходи")
    screen = await user.next_reply()
    assert screen.buttons[0][0].text == "✅ Усі заходи"

    event = await event_in(db, days=2, kind="seminar", title="Працевлаштування переселенців")
    async with db.transaction() as session:
        await announcements.announce(session, event_id=event.id, now=datetime.now(UTC))
    announcement = await user.next_reply(timeout=5)
    assert announcement.text.startswith("📣 Новий захід!\n\nПрацевлаштування переселенців\nСемінар")
    query = await user.press(announcement, text="Не надсилати таких повідомлень")
    assert (await user.callback_answer(query))["text"].startswith("Готово: більше не надсилатиму")
    async with db.session() as session:
        assert await announcements.subscription(session, user.user_id) is None


async def test_after_downtime_what_is_ahead_goes_at_once_and_the_rest_is_dropped(
    emu: BotApiEmulator,
    db: Database,
    app: object,
    bot_config: Config,
    caplog: pytest.LogCaptureFixture,
    outbox: Outbox,
) -> None:
    import logging

    from bot.app import build_application, start, stop
    from storage import notifications

    await stop(app)  # type: ignore[arg-type]
    user = emu.add_user(first_name="Олег")
    await user.send_command("/help")  # the chat exists; nobody answers while the bot is down
    ahead = await event_in(db, days=1, title="Ще попереду")
    begun = await event_in(db, days=1, title="Вже почався")
    person = await make_person(db, user.user_id, now=ahead.created_at)
    now = datetime.now(UTC)
    async with db.transaction() as session:
        await notifications.enqueue(
            session,
            [
                {
                    "event_id": e.id,
                    "person_id": person.id,
                    "kind": NotificationKind.REMINDER,
                    "due_at": now - timedelta(hours=1),
                    "expires_at": e.starts_at,
                    "created_at": now,
                }
                for e in (ahead, begun)
            ],
        )
        await session.execute(
            update(Notification)
            .where(Notification.event_id == begun.id)
            .values(expires_at=now - timedelta(minutes=5))
        )
    restarted = build_application(bot_config, token=emu.token, db=db)
    with caplog.at_level(logging.WARNING):
        await start(restarted)
        try:
            await user.next_reply()  # the help for /help, answered now
            reminder = await user.next_reply(timeout=5)
            assert reminder.text.startswith("🔔 Нагадування: Ще попереду")
            await outbox.full_pass(restarted)
            await user.expect_silence(0.1)  # short: the pass is over, anything it sent is here
        finally:
            await stop(restarted)
            await start(app)  # type: ignore[arg-type]
    assert "dropped 1 notification(s) whose event had already begun" in caplog.text


async def test_one_chat_gets_at_most_a_message_a_second_and_no_429_is_provoked(
    emu: BotApiEmulator, db: Database
) -> None:

    user = emu.add_user(first_name="Марта")
    await user.send_command("/help")
    await user.next_reply()
    # Only now: setting the limits starts their windows afresh, so the reply to /help does
    # not count against this chat (as it would, were they set before).
    emu.set_rate_limits(per_chat_per_second=1, global_per_second=30)
    person = await make_person(db, user.user_id, now=datetime.now(UTC))
    events = [await event_in(db, days=1 + i, title=f"Захід {i}") for i in range(3)]
    now = datetime.now(UTC)
    await queue(db, events=events, person_id=person.id, kind=NotificationKind.PROMOTED, due=now)
    started = time.monotonic()
    for _ in events:
        assert (await user.next_reply(timeout=10)).text.startswith("🎉")
    assert time.monotonic() - started >= 1.9  # three messages, a second apart
    sends = [r for r in emu.requests_for("sendMessage") if "🎉" in str(r.params.get("text"))]
    assert len(sends) == 3  # none refused with 429 and retried


async def test_following_an_audience_from_the_menu(emu: BotApiEmulator, db: Database) -> None:
    from bot.services import announcements

    event = await event_in(db, days=3, title="Навчаємось вираховувати субсидію")
    async with db.transaction() as session:
        row = await session.get(Event, event.id)
        assert row is not None
        row.audience = "пенсіонери"
    user = emu.add_user(first_name="Галина")
    await user.send_command("/subscribe")
    screen = await user.next_reply()
    await user.press(screen, text="👥 пенсіонери")
    screen = await user.next_reply()
    assert "✅ 👥 пенсіонери" in [row[0].text for row in screen.buttons]
    async with db.session() as session:
        interests = await announcements.subscription(session, user.user_id)
    assert interests == Interests(audiences=frozenset({"пенсіонери"}))
