"""Residents' flows end to end: the real bot, real HTTP to the emulator, a real database."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select
from telegram.ext import Application

from bot.domain.status import RegistrationStatus
from emulator import BotApiEmulator, SimUser
from storage.database import Database
from storage.models import Event, Person, Registration
from tests.e2e.conftest import event_in, start, stop
from tests.factories import make_person

pytestmark = pytest.mark.usefixtures("app")


async def sign_up_first_time(
    user: SimUser, card_message: object, *, name: str = "Олена Петренко"
) -> str:
    """Walk the first-registration questions; returns the confirmation text."""
    await user.press(card_message, text="Записатися")  # type: ignore[arg-type]
    name_question = await user.next_reply()
    assert "ім’я та прізвище" in name_question.text
    assert name_question.message_id == card_message.message_id  # type: ignore[attr-defined]
    await user.send_text(name)
    categories = await user.next_reply()
    assert "Хто ви?" in categories.text
    await user.press(categories, text="Користувачі бібліотеки")
    phone_question = await user.next_reply()
    assert "номер телефону" in phone_question.text
    assert user.reply_keyboard is not None
    await user.send_contact(phone_number="+380501234567")
    assert "номер отримано" in (await user.next_reply()).text
    consent = await user.next_reply()
    assert "Ви погоджуєтеся?" in consent.text
    await user.press(consent, text="Погоджуюся")
    confirmation = await user.next_reply()
    assert confirmation.message_id == consent.message_id  # the question became the card
    assert any("Скасувати мій запис" in row[0].text for row in confirmation.buttons)
    return confirmation.text


async def test_start_greets_with_the_library_name_and_a_menu(emu: BotApiEmulator) -> None:
    user = emu.add_user(first_name="Олена", language_code="uk")
    await user.send_command("/start")
    reply = await user.next_reply()
    assert "Вітаємо!" in reply.text and "Бібліотека" in reply.text
    assert [row[0].text for row in reply.buttons] == [
        "📅 Найближчі заходи",
        "📝 Мої записи",
        "🔔 Новини про нові заходи",
        "🌐 Мова / Language",
    ]


async def test_deep_link_opens_the_card_and_first_registration_asks_then_confirms(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, title="Навчаємось вираховувати субсидію", capacity=20)
    user = emu.add_user(first_name="Олена", last_name="Петренко", language_code="uk")
    await user.send_command(f"/start event_{event.id}")
    card = await user.next_reply()
    assert card.text.startswith("Навчаємось вираховувати субсидію\nТренінг")
    assert "Залишилося 20 вільних місць з 20." in card.text
    assert "📍 Читальна зала" in card.text

    confirmation = await sign_up_first_time(user, card)
    assert confirmation.startswith("✅ Ви записані!")
    assert "Навчаємось вираховувати субсидію" in confirmation and "Читальна зала" in confirmation

    async with db.session() as session:
        person = (await session.execute(select(Person))).scalar_one()
        assert (person.full_name, person.category, person.phone) == (
            "Олена Петренко",
            "library_users",
            "+380501234567",
        )
        assert person.consent_at is not None

    # The next registration takes one tap.
    other = await event_in(db, days=5, title="Легальна зайнятість")
    await user.send_command(f"/start event_{other.id}")
    other_card = await user.next_reply()
    await user.press(other_card, text="Записатися")
    redrawn = await user.next_reply()  # the card itself says so: no second message
    assert redrawn.message_id == other_card.message_id
    assert redrawn.text.startswith("✅ Ви записані!\n\nЛегальна зайнятість")
    assert "✅ Ви записані." in redrawn.text
    assert any("Скасувати мій запис" in row[0].text for row in redrawn.buttons)
    await user.expect_silence(0.3)


async def test_the_telegram_name_is_one_tap_and_the_phone_can_be_skipped(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db)
    user = emu.add_user(first_name="Іван <b>&", last_name="Коваль", language_code="uk")
    await user.send_command(f"/start event_{event.id}")
    await user.press(await user.next_reply(), text="Записатися")
    name_question = await user.next_reply()
    await user.press(name_question, text="Я — Іван <b>& Коваль")
    await user.press(await user.next_reply(), text="Внутрішньо переміщені особи")
    await user.next_reply()
    await user.send_text("Пропустити")
    assert "без телефону" in (await user.next_reply()).text
    assert user.reply_keyboard is None
    await user.press(await user.next_reply(), text="Погоджуюся")
    assert (await user.next_reply()).text.startswith("✅")
    async with db.session() as session:
        person = (await session.execute(select(Person))).scalar_one()
    assert (person.full_name, person.phone, person.category) == ("Іван <b>& Коваль", None, "idp")


async def test_bad_answers_are_asked_again_politely(emu: BotApiEmulator, db: Database) -> None:
    event = await event_in(db)
    user = emu.add_user(first_name="X", language_code="uk")
    await user.send_command(f"/start event_{event.id}")
    await user.press(await user.next_reply(), text="Записатися")
    await user.next_reply()
    await user.send_text("1")
    assert "щонайменше дві літери" in (await user.next_reply()).text
    await user.send_text("Я" * 5000)
    assert "не більше 100 символів" in (await user.next_reply()).text
    await user.send_text("Марія Іваненко")
    await user.press(await user.next_reply(), text="Інше")
    await user.next_reply()
    await user.send_text("дзвоніть увечері")
    assert "не схоже на номер телефону" in (await user.next_reply()).text
    someone_else = emu.add_user(first_name="Сусід")
    await user.send_contact(phone_number="+380671112233", user_id=someone_else.user_id)
    assert "не схоже на номер телефону" in (await user.next_reply()).text
    await user.send_text("+380 67 111 22 33")
    assert "номер отримано" in (await user.next_reply()).text


async def test_a_full_event_offers_the_waiting_list_and_a_cancellation_promotes(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, capacity=1)
    first, second = emu.add_user(first_name="Перша"), emu.add_user(first_name="Друга")
    for i, user in enumerate((first, second)):
        await make_person(db, user.user_id, now=event.created_at, name=f"Людина {i}")
    await first.send_command(f"/start event_{event.id}")
    await first.press(await first.next_reply(), text="Записатися")
    assert (await first.next_reply()).text.startswith("✅")

    await second.send_command(f"/start event_{event.id}")
    full_card = await second.next_reply()
    assert "Вільних місць немає, але можна стати в чергу." in full_card.text
    await second.press(full_card, text="Стати в чергу")
    waiting = await second.next_reply()
    assert waiting.message_id == full_card.message_id
    assert waiting.text.startswith("⏳ Усі місця зайняті, тож ви в черзі під номером 1.")
    assert "Ви в черзі: номер 1." in waiting.text

    await first.send_command("/my")
    mine = await first.next_reply()
    assert "ви записані" in mine.text
    await first.press(mine, text="Скасувати №1")
    redrawn = await first.next_reply()
    assert redrawn.message_id == mine.message_id
    assert "скасовано" in redrawn.text and "немає записів" in redrawn.text
    promoted = await second.next_reply()
    assert promoted.text.startswith("🎉 Звільнилося місце")
    async with db.session() as session:
        statuses = (
            (await session.execute(select(Registration.status).order_by(Registration.id)))
            .scalars()
            .all()
        )
    assert statuses == [RegistrationStatus.CANCELLED, RegistrationStatus.CONFIRMED]


async def test_events_list_pages_and_opens_cards(emu: BotApiEmulator, db: Database) -> None:
    for i in range(8):
        await event_in(db, days=1 + i, title=f"Тренінг №{i + 1}")
    user = emu.add_user(first_name="Петро")
    await user.send_command("/events")
    page = await user.next_reply()
    assert "Сторінка 1 з 2" in page.text
    assert len(page.buttons) == 6 + 2  # six events, the navigation row, the menu
    await user.press(page, text="Далі")
    second = await user.next_reply()
    assert second.message_id == page.message_id and "Сторінка 2 з 2" in second.text
    await user.press(second, text="Тренінг №8")
    card = await user.next_reply()
    assert card.text.startswith("Тренінг №8")
    await user.press(card, text="Усі заходи")
    assert "Сторінка 1 з 2" in (await user.next_reply()).text


async def test_calendar_file(emu: BotApiEmulator, db: Database) -> None:
    event = await event_in(db, title="Електронні послуги для громади")
    user = emu.add_user(first_name="Ганна")
    await user.send_command(f"/start event_{event.id}")
    await user.press(await user.next_reply(), text="Додати в календар")
    sent = await user.next_reply()
    assert sent.document is not None and sent.document.file_name == f"event-{event.id}.ics"
    assert b"SUMMARY:" in sent.document.data and "Електронні послуги".encode() in sent.document.data


async def test_english_clients_get_english_and_language_can_be_switched(
    emu: BotApiEmulator,
) -> None:
    user = emu.add_user(first_name="John", language_code="en")
    await user.send_command("/start")
    assert (await user.next_reply()).text.startswith("Hello!")
    await user.send_command("/language")
    await user.press(await user.next_reply(), text="Українська")
    assert "українською" in (await user.next_reply()).text
    await user.send_command("/help")
    assert "Я розумію такі команди" in (await user.next_reply()).text


async def test_forget_deletes_the_data_after_confirmation(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, capacity=1)
    user = emu.add_user(first_name="Оля")
    waiting = emu.add_user(first_name="Тарас")
    await make_person(db, user.user_id, now=event.created_at)
    await make_person(db, waiting.user_id, now=event.created_at)
    for u in (user, waiting):
        await u.send_command(f"/start event_{event.id}")
        await u.press(await u.next_reply(), text="Записатися" if u is user else "Стати в чергу")
        await u.next_reply()
    await user.send_command("/forget")
    question = await user.next_reply()
    assert "Видалити ваше ім’я" in question.text
    await user.press(question, text="Так, видалити мої дані")
    assert "ваші дані видалено" in (await user.next_reply()).text
    assert (await waiting.next_reply()).text.startswith("🎉")
    async with db.session() as session:
        names = (
            (await session.execute(select(Person.full_name).order_by(Person.id))).scalars().all()
        )
    assert names == [None, "Олена Петренко"]


async def test_escaping_keeps_titles_exactly_as_typed(emu: BotApiEmulator, db: Database) -> None:
    title = "Excel <для початківців> & «Word» </b>"
    event = await event_in(db, title=title)
    user = emu.add_user(first_name="Юлія")
    await user.send_command(f"/start event_{event.id}")
    assert (await user.next_reply()).text.startswith(title)


async def test_the_longest_event_still_fits_one_message(emu: BotApiEmulator, db: Database) -> None:
    async with db.transaction() as session:
        event = await session.get(Event, (await event_in(db)).id)
        assert event is not None
        event.title = "Т" * 200
        event.place = "М" * 200
        event.audience = "А" * 200
        event.description = "<&>" * 666
    user = emu.add_user(first_name="Ліна")
    await user.send_command(f"/start event_{event.id}")
    card = await user.next_reply()
    assert "<&>" * 666 in card.text


async def test_stray_messages_get_a_short_help(emu: BotApiEmulator) -> None:
    user = emu.add_user(first_name="Степан")
    await user.send_text("Добрий день! Коли буде тренінг?")
    assert "Я розумію такі команди" in (await user.next_reply()).text
    await user.send_command("/unknown_command")
    assert "Я розумію такі команди" in (await user.next_reply()).text
    await user.send_contact(phone_number="+380501234567")
    assert "Я розумію такі команди" in (await user.next_reply()).text


async def test_a_half_finished_signup_survives_a_restart(
    emu: BotApiEmulator,
    db: Database,
    app: Application,
    bot_config: object,  # type: ignore[type-arg]
) -> None:
    from bot.app import build_application

    event = await event_in(db)
    user = emu.add_user(first_name="Віра")
    await user.send_command(f"/start event_{event.id}")
    await user.press(await user.next_reply(), text="Записатися")
    await user.next_reply()
    await user.send_text("Віра Мельник")
    categories = await user.next_reply()

    await stop(app)
    restarted = build_application(bot_config, token=emu.token, db=db)  # type: ignore[arg-type]
    await start(restarted)
    try:
        await user.press(categories, text="Бібліотечні фахівці")
        assert "номер телефону" in (await user.next_reply()).text
    finally:
        await stop(restarted)
        await start(app)  # the fixture stops it again


async def test_forty_people_tapping_at_once_fill_exactly_the_seats(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, capacity=10)
    users = [emu.add_user(first_name=f"Мешканець {i}") for i in range(40)]
    for user in users:
        await make_person(db, user.user_id, now=event.created_at)
    cards = []
    for user in users:
        await user.send_command(f"/start event_{event.id}")
        cards.append(await user.next_reply())
    await asyncio.gather(
        *(u.press(c, callback_data=f"reg:{event.id}") for u, c in zip(users, cards, strict=True))
    )
    replies = await asyncio.gather(*(u.next_reply(timeout=30) for u in users))
    confirmed = [r for r in replies if r.text.startswith("✅")]
    waiting = [r for r in replies if r.text.startswith("⏳")]
    assert (len(confirmed), len(waiting)) == (10, 30)
    async with db.session() as session:
        seats = (await session.execute(select(Event.seats_taken))).scalar_one()
        count = (await session.execute(select(func.count()).select_from(Registration))).scalar_one()
    assert (seats, count) == (10, 40)


async def test_a_file_or_an_unknown_event_link_gets_a_polite_answer(emu: BotApiEmulator) -> None:
    user = emu.add_user(first_name="Клим")
    await user.send_document(b"title\n", "events.csv")
    assert "Я розумію такі команди" in (await user.next_reply()).text
    await user.send_command("/start event_424242")
    reply = await user.next_reply()
    assert reply.text == "Такого заходу не знайдено."
    assert reply.buttons[0][0].text == "📅 Найближчі заходи"


async def test_the_running_bot_purges_abandoned_sign_ups_every_hour(
    app: Application,  # type: ignore[type-arg]
) -> None:
    from bot import housekeeping

    assert app.job_queue is not None
    (job,) = app.job_queue.get_jobs_by_name(housekeeping.JOB_NAME)
    assert job.job.trigger.interval.total_seconds() == 3600
