"""What one tap costs in Bot API calls, and when the outbox is woken.

Under Telegram's limits every message and every edit into a chat counts (30 a second in
all), so a tap that can be answered by redrawing the pressed message must not also send
one: these count the calls the emulator received for one update.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from telegram import Message, Update
from telegram.ext import Application

from bot.domain.signup import Step
from bot.services import dialogs
from emulator import BotApiEmulator, SimUser
from emulator.messages import SimMessage
from storage.database import Database
from tests.e2e.conftest import Updates, event_in
from tests.factories import make_person

pytestmark = pytest.mark.usefixtures("app")


async def calls_of(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    updates: Updates,
    act: object,
) -> list[str]:
    """The Bot API methods the bot called because of ``act`` (getUpdates aside)."""
    await updates.idle(app, emu)
    before = len(emu.requests)
    await act  # type: ignore[misc]
    await updates.idle(app, emu)
    return [r.method for r in emu.requests[before:] if r.method != "getUpdates"]


async def returning(emu: BotApiEmulator, db: Database, name: str = "Олена") -> SimUser:
    user = emu.add_user(first_name=name, last_name="Петренко", language_code="uk")
    await make_person(db, user.user_id, now=(await event_in(db, days=30)).created_at)
    return user


async def registered_by_a_tap(
    emu: BotApiEmulator,
    db: Database,
    app: Application,  # type: ignore[type-arg]
    updates: Updates,
) -> SimMessage:
    """A returning resident opens an event's card and taps «Записатися»: the card as edited."""
    event = await event_in(db, title="Навчаємось вираховувати субсидію")
    user = await returning(emu, db)
    await user.send_command(f"/start event_{event.id}")
    card = await user.next_reply()
    await user.press(card, text="Записатися")
    await updates.idle(app, emu)
    edited = user.chat.bot_messages[card.message_id]
    assert edited.text.startswith("✅ Ви записані!")
    return edited


async def test_a_returning_residents_tap_is_one_answer_and_one_edit_of_the_card(
    emu: BotApiEmulator,
    db: Database,
    app: Application,  # type: ignore[type-arg]
    updates: Updates,
) -> None:
    event = await event_in(db, title="Навчаємось вираховувати субсидію", capacity=1)
    first, second = await returning(emu, db), await returning(emu, db, "Марія")
    for user, button, head in (
        (first, "Записатися", "✅ Ви записані!\n\nНавчаємось вираховувати субсидію"),
        (second, "Стати в чергу", "⏳ Усі місця зайняті, тож ви в черзі під номером 1."),
    ):
        await user.send_command(f"/start event_{event.id}")
        card = await user.next_reply()
        calls = await calls_of(app, emu, updates, user.press(card, text=button))
        assert calls == ["answerCallbackQuery", "editMessageText"]
        redrawn = await user.next_reply()
        assert redrawn.message_id == card.message_id
        assert redrawn.text.startswith(head)
        assert "Читальна зала" in redrawn.text  # where and when stay on the card


async def test_cancelling_from_the_card_or_my_registrations_is_one_edit(
    emu: BotApiEmulator,
    db: Database,
    app: Application,  # type: ignore[type-arg]
    updates: Updates,
) -> None:
    one = await event_in(db, title="Легальна зайнятість")
    two = await event_in(db, days=4, title="Субсидії")
    user = await returning(emu, db)
    for event in (one, two):
        await user.send_command(f"/start event_{event.id}")
        await user.press(await user.next_reply(), text="Записатися")
        await user.next_reply()

    await user.send_command(f"/start event_{one.id}")
    card = await user.next_reply()
    calls = await calls_of(app, emu, updates, user.press(card, text="Скасувати мій запис"))
    assert calls == ["answerCallbackQuery", "editMessageText"]
    redrawn = await user.next_reply()
    assert redrawn.message_id == card.message_id
    assert redrawn.text.startswith("Ваш запис на «Легальна зайнятість» скасовано.")
    assert any("Записатися" in row[0].text for row in redrawn.buttons)

    await user.send_command("/my")
    mine = await user.next_reply()
    calls = await calls_of(app, emu, updates, user.press(mine, text="Скасувати №1"))
    assert calls == ["answerCallbackQuery", "editMessageText"]
    redrawn = await user.next_reply()
    assert redrawn.message_id == mine.message_id
    assert redrawn.text.startswith("Ваш запис на «Субсидії» скасовано.")
    assert "немає записів" in redrawn.text


async def test_a_first_sign_up_edits_the_question_in_place_wherever_a_button_answers(
    emu: BotApiEmulator,
    db: Database,
    app: Application,  # type: ignore[type-arg]
    updates: Updates,
) -> None:
    event = await event_in(db)
    user = emu.add_user(first_name="Іван", last_name="Коваль", language_code="uk")
    await user.send_command(f"/start event_{event.id}")
    card = await user.next_reply()
    steps = [
        await calls_of(app, emu, updates, user.press(card, text="Записатися")),
        await calls_of(app, emu, updates, user.press(card, text="Я — Іван Коваль")),
        await calls_of(app, emu, updates, user.press(card, text="Інше")),
        await calls_of(app, emu, updates, user.send_text("Пропустити")),
    ]
    consent = user.messages[-1]
    steps.append(await calls_of(app, emu, updates, user.press(consent, text="Погоджуюся")))
    assert steps == [
        ["answerCallbackQuery", "editMessageText"],  # the card becomes the name question
        ["answerCallbackQuery", "editMessageText"],  # ... then the category question
        ["answerCallbackQuery", "sendMessage"],  # the phone: only a new message has a keyboard
        ["sendMessage", "sendMessage"],  # the keyboard removed, and the consent question
        ["answerCallbackQuery", "editMessageText"],  # the consent question becomes the card
    ]
    assert user.messages[-1].message_id == consent.message_id
    assert user.messages[-1].text.startswith("✅ Ви записані!")


async def test_the_outbox_is_woken_only_by_a_change_that_queued_something(
    emu: BotApiEmulator,
    db: Database,
    app: Application,  # type: ignore[type-arg]
    updates: Updates,
) -> None:
    deps = app.bot_data["deps"]
    wake = deps.poke
    woken: list[str] = []

    def poke() -> None:
        woken.append("poke")
        wake()

    deps.poke = poke
    soon = await event_in(db, days=1 / 24, title="Уже за годину")  # its reminders have passed
    later = await event_in(db, days=3, capacity=1, title="За три дні")
    user, second = await returning(emu, db), await returning(emu, db, "Марія")

    async def tap(who: SimUser, event_id: int, button: str = "Записатися") -> None:
        await who.send_command(f"/start event_{event_id}")
        await who.press(await who.next_reply(), text=button)
        await who.next_reply()
        await updates.idle(app, emu)

    await user.send_command("/events")
    await user.next_reply()
    await user.send_command("/language")
    await user.press(await user.next_reply(), text="Українська")  # a write, nothing queued
    await user.next_reply()
    await tap(user, soon.id)  # registered, but no reminder is ahead of it
    assert woken == []
    # Its 24-hour and 2-hour reminders are queued, due in days: the next sweep sees them.
    await tap(user, later.id)
    await tap(second, later.id, "Стати в чергу")
    assert woken == []
    await user.send_command("/my")
    mine = await user.next_reply()
    await user.press(mine, text="Скасувати №2")  # «За три дні»: the seat goes to Марія
    await user.next_reply()
    await updates.idle(app, emu)
    assert woken == ["poke"]  # her news is due now
    promoted = await second.next_reply()
    assert promoted.text.startswith("🎉 Звільнилося місце")


async def test_the_card_after_a_tap_counts_the_seat_it_took_and_the_line_it_shows(
    emu: BotApiEmulator,
    db: Database,
    app: Application,  # type: ignore[type-arg]
    updates: Updates,
) -> None:
    # The card is drawn from the registration's outcome: the seat taken by the conditional
    # UPDATE must show on it, not the count the event had when it was read.
    # The waiting list is counted only for a card that shows it: with no seat left.
    event = await event_in(db, capacity=3)
    for name, button, head, left in (
        ("Олена", "Записатися", "✅ Ви записані!", "Залишилося 2 вільні місця з 3."),
        ("Марія", "Записатися", "✅ Ви записані!", "Залишилося 1 вільне місце з 3."),
        ("Ірина", "Записатися", "✅ Ви записані!", "Вільних місць немає, але можна стати в"),
        ("Ганна", "Стати в чергу", "⏳ Усі місця зайняті", "(у черзі 1 особа)"),
        ("Дарина", "Стати в чергу", "⏳ Усі місця зайняті", "(у черзі 2 особи)"),
    ):
        user = await returning(emu, db, name)
        await user.send_command(f"/start event_{event.id}")
        card = await user.next_reply()
        await user.press(card, text=button)
        redrawn = await user.next_reply()
        assert redrawn.text.startswith(head)
        assert left in redrawn.text


async def test_a_tap_still_closes_a_question_left_open(
    emu: BotApiEmulator,
    db: Database,
    app: Application,  # type: ignore[type-arg]
    updates: Updates,
) -> None:
    # The person lookup says whether a question is open; only then is it closed, but then
    # it must be, or their next typed text would answer a question no longer asked.
    event, other = await event_in(db), await event_in(db, title="Інший захід")
    user = await returning(emu, db)
    async with db.transaction() as session:
        await dialogs.ask_signup(
            session,
            user.user_id,
            dialogs.SignUp(Step.NAME, dialogs.SignUpAnswers(other.id)),
            now=datetime.now(UTC),
        )
    await user.send_command(f"/start event_{event.id}")
    await user.press(await user.next_reply(), text="Записатися")
    assert (await user.next_reply()).text.startswith("✅ Ви записані!")
    async with db.session() as session:
        assert await dialogs.signup(session, user.user_id) is None


async def test_each_update_is_read_once(
    emu: BotApiEmulator,
    db: Database,
    app: Application,  # type: ignore[type-arg]
    updates: Updates,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Reading an update is a good part of its cost: checking that it can be read must
    not read it a second time."""
    read: list[int] = []
    library_reads = Update.de_json.__func__  # type: ignore[attr-defined]

    def counted(cls: type[Update], data: dict[str, object], bot: object = None) -> Update:
        read.append(int(data["update_id"]))  # type: ignore[call-overload]
        return library_reads(cls, data, bot)  # type: ignore[no-any-return]

    monkeypatch.setattr(Update, "de_json", classmethod(counted))
    await registered_by_a_tap(emu, db, app, updates)
    assert len(read) == 2 and len(set(read)) == 2, read


@pytest.fixture
def messages_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of every ``Message`` the bot reads from Telegram's JSON."""
    read: list[str] = []
    library_reads = Message.de_json.__func__  # type: ignore[attr-defined]

    def counted(cls: type[Message], data: dict[str, object], bot: object = None) -> Message:
        read.append(str(data.get("text", "")))
        return library_reads(cls, data, bot)  # type: ignore[no-any-return]

    monkeypatch.setattr(Message, "de_json", classmethod(counted))
    return read


async def test_the_edited_card_is_not_read_back(
    emu: BotApiEmulator,
    db: Database,
    app: Application,  # type: ignore[type-arg]
    updates: Updates,
    messages_read: list[str],
) -> None:
    """Telegram answers an edit with the message as edited, buttons and all; reading it
    cost a tap more than the rest of the call, and nothing uses it."""
    edited = await registered_by_a_tap(emu, db, app, updates)
    assert edited.buttons, "the card keeps its buttons"
    assert [text for text in messages_read if text.startswith("✅")] == []
    assert any("Навчаємось" in text for text in messages_read), "the pressed card is read"


async def test_the_sign_ups_new_messages_are_not_read_back(
    emu: BotApiEmulator,
    db: Database,
    app: Application,  # type: ignore[type-arg]
    updates: Updates,
    messages_read: list[str],
) -> None:
    """Nor is a new message: only the person's own messages and the pressed ones are read."""
    event = await event_in(db)
    user = emu.add_user(first_name="Іван", last_name="Коваль", language_code="uk")
    await user.send_command(f"/start event_{event.id}")
    card = await user.next_reply()
    await user.press(card, text="Записатися")
    await user.press(await user.next_reply(), text="Я — Іван Коваль")
    await user.press(await user.next_reply(), text="Інше")
    phone = await user.next_reply()
    assert "номер телефону" in phone.text
    await user.send_text("Пропустити")
    await user.next_reply()  # the keyboard taken away
    consent = await user.next_reply()
    assert "Ви погоджуєтеся?" in consent.text
    await user.press(consent, text="Погоджуюся")
    assert (await user.next_reply()).text.startswith("✅ Ви записані!")
    await updates.idle(app, emu)
    # Read: the pressed messages (the consent question among them), never what
    # sendMessage answers: the phone question was pressed by nobody.
    assert not any("номер телефону" in text for text in messages_read)
    assert any("Ви погоджуєтеся?" in text for text in messages_read)
