"""Residents who phone, end to end: the real bot against the emulator and a real database.

Staff write them down from the event's card («➕»), their seats count like any other, they
get no messages, and the call list («📞») tells staff whom to phone.
"""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select
from telegram.ext import Application

from bot import morning_summary
from bot.domain.status import RegistrationStatus
from bot.exports.registrants import CSV_SEPARATOR
from bot.services import registration, summary
from emulator import BotApiEmulator
from emulator.messages import SimMessage
from emulator.users import SimUser
from storage import phone_registrants, staff
from storage.database import Database
from storage.models import Event, Notification, Person, Registration
from tests.conftest import REMINDERS
from tests.e2e.conftest import Outbox, Updates, event_in
from tests.factories import LIBRARIAN, make_event, make_person

pytestmark = [pytest.mark.usefixtures("app"), pytest.mark.staff]


async def _card(librarian: SimUser, event: Event) -> SimMessage:
    await librarian.send_command("/events")
    listing = await librarian.next_reply()
    await librarian.press(listing, callback_data=f"sev:{event.id}")
    return await librarian.next_reply()


async def _write_down(
    librarian: SimUser, message: SimMessage, name: str, phone: str | None
) -> SimMessage:
    """«➕» on the card (or after the last one), then the three answers; the outcome."""
    await librarian.press(message, text="Записати")
    asked = await librarian.next_reply()
    assert "Напишіть її ім’я та прізвище" in asked.text
    await librarian.send_text(name)
    categories = await librarian.next_reply()
    assert "Оберіть групу" in categories.text
    await librarian.press(categories, text="Користувачі бібліотеки")
    await librarian.next_reply()  # the category buttons taken off
    phone_question = await librarian.next_reply()
    assert "Номер телефону" in phone_question.text
    if phone is None:
        await librarian.press(phone_question, text="Пропустити")
        await librarian.next_reply()  # the buttons taken off
    else:
        await librarian.send_text(phone)
    return await librarian.next_reply()


async def _resident(emu: BotApiEmulator, db: Database, event: Event, i: int) -> SimUser:
    """A resident with a profile, who has opened the event's card."""
    user = emu.add_user(first_name=f"Мешканка {i}")
    await make_person(db, user.user_id, now=event.created_at, name=f"Мешканка {i}")
    await user.send_command(f"/start event_{event.id}")
    return user


async def test_five_seats_three_by_phone_four_taps_at_once_then_a_phone_cancellation(
    emu: BotApiEmulator,
    db: Database,
    app: Application,
    updates: Updates,  # type: ignore[type-arg]
) -> None:
    """The issue's test: 5 seats, 3 taken by phone, 4 residents tap at once in Telegram:
    2 confirmed, 2 waiting; a phone registrant cancelled: the first waiting resident is
    promoted and told in Telegram."""
    event = await event_in(db, capacity=5, title="Навчаємось вираховувати субсидію")
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    message = await _card(librarian, event)
    for name, phone in (
        ("Марія Коваль", "+380 50 111 22 33"),
        ("Іван Сидоренко", None),
        ("Ганна Шевчук", "+380 67 123 45 67"),
    ):
        message = await _write_down(librarian, message, name, phone)
        assert message.text == f"✅ {name}: місце на «{event.title}» заброньовано."

    residents = [await _resident(emu, db, event, i) for i in range(4)]
    cards = [await user.next_reply() for user in residents]
    assert all("Залишилося 2 вільні місця з 5." in card.text for card in cards)
    await asyncio.gather(
        *(
            u.press(c, callback_data=f"reg:{event.id}")
            for u, c in zip(residents, cards, strict=True)
        )
    )
    replies = await asyncio.gather(*(u.next_reply(timeout=30) for u in residents))
    assert sorted(r.text[0] for r in replies) == ["⏳", "⏳", "✅", "✅"]
    async with db.session() as session:
        seats = (
            await session.execute(select(Event.seats_taken).where(Event.id == event.id))
        ).scalar_one()
        first_waiting = (
            await session.execute(
                select(Person.telegram_id)
                .join(Registration, Registration.person_id == Person.id)
                .where(Registration.status == RegistrationStatus.WAITING)
                .order_by(Registration.queued_at, Registration.id)
                .limit(1)
            )
        ).scalar_one()
    assert seats == 5
    (promoted,) = [u for u in residents if u.user_id == first_waiting]
    waiting_reply = replies[residents.index(promoted)]
    assert "ви в черзі під номером 1" in waiting_reply.text
    await updates.idle(app, emu)  # the taps' other answers (the cards redrawn) are in
    promoted.skip_pending()

    # Ганна phones to say she cannot come: staff cancel her registration from the call list.
    card = await _card(librarian, event)
    await librarian.press(card, text="Кому подзвонити")
    calls = await librarian.next_reply()
    assert "• Ганна Шевчук — +380671234567 — має місце" in calls.text
    assert "• Іван Сидоренко — без телефону — має місце" in calls.text
    await librarian.press(calls, text="👤 Ганна Шевчук")
    person = await librarian.next_reply()
    await librarian.press(person, text="Скасувати запис")
    question = await librarian.next_reply()
    assert "Скасувати запис Ганна Шевчук" in question.text
    query = await librarian.press(question, text="Так, скасувати запис")
    answer = await librarian.callback_answer(query)
    assert answer["text"] == (
        "Запис скасовано. Місце отримав перший у черзі; йому повідомлено в Telegram."
    )
    told = await promoted.next_reply()
    assert told.text.startswith("🎉 Звільнилося місце")
    assert "Ганна Шевчук" not in (await librarian.next_reply()).text  # the list, redrawn
    async with db.session() as session:
        statuses = dict(
            (
                await session.execute(
                    select(Person.telegram_id, Registration.status)
                    .join(Registration, Registration.person_id == Person.id)
                    .where(Person.telegram_id.is_not(None))
                )
            ).all()
        )
    assert statuses[promoted.user_id] == RegistrationStatus.CONFIRMED
    assert sorted(statuses.values()).count(RegistrationStatus.CONFIRMED) == 3


async def test_writing_down_asks_again_politely_and_shows_them_everywhere_without_telegram(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, capacity=1, title="Легальна зайнятість")
    resident = await make_person(db, 901, now=event.created_at, name="Андрій Бондар")
    async with db.transaction() as session:
        await registration.register(
            session,
            event_id=event.id,
            person_id=resident.id,
            default_reminders=REMINDERS,
            now=datetime.now(UTC),
        )
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    card = await _card(librarian, event)
    await librarian.press(card, text="Записати відвідувача")
    await librarian.next_reply()
    await librarian.send_text("1")
    again = await librarian.next_reply()
    assert again.text.startswith("⚠️ Напишіть, будь ласка, ім’я та прізвище людини")
    await librarian.send_text("Марія Коваль")
    categories = await librarian.next_reply()
    await librarian.send_text("пенсіонерка")  # a button is expected
    again = await librarian.next_reply()
    assert again.text.startswith("⚠️ Будь ласка, оберіть кнопкою.")
    await librarian.press(again, text="Користувачі бібліотеки")
    await librarian.next_reply()
    await librarian.next_reply()  # the phone question
    await librarian.send_text("дзвоніть увечері")
    again = await librarian.next_reply()
    assert again.text.startswith("⚠️ Це не схоже на номер телефону.")
    await librarian.send_text("+380501112233")
    outcome = await librarian.next_reply()
    assert outcome.text.startswith("⏳ Вільних місць на «Легальна зайнятість» немає: Марія Коваль")
    assert "під номером 1" in outcome.text
    assert categories.message_id != again.message_id

    await librarian.send_command(f"/attendance {event.id}")
    sheet = await librarian.next_reply()
    assert "⬜ Андрій Бондар" in sheet.button_texts
    async with db.transaction() as session:  # the resident cancels: she is promoted
        await registration.cancel(
            session,
            event_id=event.id,
            person_id=resident.id,
            default_reminders=REMINDERS,
            now=datetime.now(UTC),
        )
    await librarian.send_command(f"/attendance {event.id}")
    sheet = await librarian.next_reply()
    assert "⬜ Марія Коваль (без Telegram)" in sheet.button_texts

    card = await _card(librarian, event)
    await librarian.press(card, text="Записані (CSV)")
    sent = await librarian.next_reply()
    assert sent.document is not None
    text = sent.document.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=CSV_SEPARATOR))
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [
        ("Марія Коваль (без Telegram)", "+380501112233", "має місце")
    ]
    async with db.session() as session:
        queued = (await session.execute(select(Notification.person_id))).scalars().all()
        phoned = (
            await session.execute(select(Person.id).where(Person.full_name == "Марія Коваль"))
        ).scalar_one()
    assert phoned not in queued  # no promotion notice, no reminders

    # The call list: she got the seat and must be told; «✅ Повідомлено» notes it.
    await librarian.press(card, text="Кому подзвонити")
    calls = await librarian.next_reply()
    assert "Отримали місце з черги — подзвоніть і повідомте:\n• Марія Коваль" in calls.text
    query = await librarian.press(calls, text="✅ Повідомлено: Марія Коваль")
    assert (await librarian.callback_answer(query))["text"] == "Позначено: повідомлено."
    calls = await librarian.next_reply()
    assert "Отримали місце з черги" not in calls.text
    assert "• Марія Коваль — +380501112233 — має місце" in calls.text
    assert not [t for t in calls.button_texts if t.startswith("✅")]


async def test_stopping_and_skipping_the_phone(emu: BotApiEmulator, db: Database) -> None:
    event = await event_in(db, capacity=3)
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    card = await _card(librarian, event)
    await librarian.press(card, text="Записати відвідувача")
    asked = await librarian.next_reply()
    await librarian.press(asked, text="Скасувати")
    await librarian.next_reply()
    assert (await librarian.next_reply()).text == "Зупинено: нікого не записано."
    await librarian.send_text("Марія Коваль")  # answers nothing now: the help
    assert "Я розумію такі команди" in (await librarian.next_reply()).text
    await librarian.press(card, text="Записати відвідувача")
    await librarian.next_reply()
    await librarian.send_command("/cancel")
    assert (await librarian.next_reply()).text == "Зупинено: нікого не записано."
    done = await _write_down(librarian, card, "Марія Коваль", None)
    assert done.text.startswith("✅ Марія Коваль")
    async with db.session() as session:
        person = (
            await session.execute(select(Person).where(Person.full_name == "Марія Коваль"))
        ).scalar_one()
    assert (person.telegram_id, person.phone, person.added_by) == (None, None, LIBRARIAN)
    assert person.consent_at is not None


async def test_deleting_a_phoned_persons_data_from_the_call_list(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, capacity=3)
    async with db.transaction() as session:
        phoned = await phone_registrants.add_person(
            session,
            name="Марія Коваль",
            category="library_users",
            phone="+380501112233",
            added_by=LIBRARIAN,
            now=datetime.now(UTC),
        )
        await registration.register(
            session,
            event_id=event.id,
            person_id=phoned.id,
            default_reminders=REMINDERS,
            now=datetime.now(UTC),
        )
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    card = await _card(librarian, event)
    await librarian.press(card, text="Кому подзвонити")
    calls = await librarian.next_reply()
    await librarian.press(calls, text="👤 Марія Коваль")
    person = await librarian.next_reply()
    assert person.text.split("\n")[0] == "Марія Коваль (без Telegram)"
    await librarian.press(person, text="Видалити дані")
    question = await librarian.next_reply()
    assert question.text.startswith("Видалити ім’я та телефон: Марія Коваль?")
    query = await librarian.press(question, text="Так, видалити")
    assert (await librarian.callback_answer(query))["text"] == "Ім’я та телефон видалено."
    calls = await librarian.next_reply()
    assert "Без Telegram на цей захід ніхто не записаний." in calls.text
    async with db.session() as session:
        row = await session.get(Person, phoned.id)
        seats = (
            await session.execute(select(Event.seats_taken).where(Event.id == event.id))
        ).scalar_one()
    assert row is not None and (row.full_name, row.phone) == (None, None)
    assert row.category == "library_users"  # counted in reports, without a name
    assert seats == 0


async def test_summary_opt_in_and_the_morning_message_through_the_outbox(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
    outbox: Outbox,
) -> None:
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_command("/summary")
    setting = await librarian.next_reply()
    assert setting.text.startswith("☀️ Ранкове зведення: вимкнено.")
    await librarian.press(setting, text="Увімкнути")
    setting = await librarian.next_reply()
    assert setting.text.startswith("☀️ Ранкове зведення: увімкнено.")

    deps = app.bot_data["deps"]
    tz = deps.config.library.timezone
    now = datetime.now(UTC)
    day = now.astimezone(tz).date()
    # Tomorrow at noon, the library's time: on the summary's list of whom to call.
    noon = datetime.combine(day + timedelta(days=1), time(12, 0), tzinfo=tz)
    event = await make_event(
        db, now=now, starts_in=noon - now, capacity=5, title="Субсидії <для пенсіонерів>"
    )
    async with db.transaction() as session:
        phoned = await phone_registrants.add_person(
            session,
            name="Марія Коваль",
            category="library_users",
            phone="+380501112233",
            added_by=LIBRARIAN,
            now=now,
        )
        await registration.register(
            session, event_id=event.id, person_id=phoned.id, default_reminders=REMINDERS, now=now
        )
    for _ in range(2):  # queued again (a restart): sent once
        async with db.transaction() as session:
            await summary.queue(session, day=day, tz=tz, admins=(LIBRARIAN,), now=now)
    await outbox.full_pass(app)
    message = await librarian.next_reply()
    assert message.text.startswith("☀️ Доброго ранку! Заходи сьогодні й завтра")
    assert "Субсидії <для пенсіонерів>" in message.text
    assert "записалися 1 / 5, у черзі 0" in message.text
    assert "📞 без Telegram: 1 особа" in message.text
    assert "Марія Коваль — +380501112233 — має місце" in message.text
    await librarian.press(message, text="🖨 Реєстраційний лист")
    printable = [await librarian.next_reply(), await librarian.next_reply()]
    assert [m.document.file_name.rsplit(".", 1)[1] for m in printable if m.document] == [
        "docx",
        "pdf",
    ]
    await librarian.press(message, text="✅ Субсидії")
    sheet = await librarian.next_reply()
    assert sheet.text.startswith("Відвідування: Субсидії <для пенсіонерів>")
    await librarian.press(message, text=f"🗂 Картка №{event.id}")
    card = await librarian.next_reply()
    assert card.text.startswith("Субсидії <для пенсіонерів>")
    # Each came as a message of its own: the summary is still there to read.
    assert len({message.message_id, sheet.message_id, card.message_id}) == 3
    summary_now = next(m for m in librarian.messages if m.message_id == message.message_id)
    assert (summary_now.text, summary_now.edits) == (message.text, 0)
    await outbox.full_pass(app)
    await librarian.expect_silence(0.1)

    await librarian.send_command("/summary")
    setting = await librarian.next_reply()
    await librarian.press(setting, text="Вимкнути")
    assert (await librarian.next_reply()).text.startswith("☀️ Ранкове зведення: вимкнено.")

    assert app.job_queue is not None
    (daily,) = app.job_queue.get_jobs_by_name(morning_summary.JOB_NAME)
    assert "hour='8', minute='0'" in str(daily.job.trigger)


async def test_someone_who_phoned_and_got_a_seat_in_the_day_is_phoned_by_who_wrote_them_down(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
    outbox: Outbox,
) -> None:
    """A Telegram resident cancels; the first in line has no Telegram: the librarian who
    wrote her down is told to phone her (no name in the message), with the call list a
    tap away."""
    event = await event_in(db, capacity=1, title="Легальна зайнятість")
    resident = await _resident(emu, db, event, 0)
    card = await resident.next_reply()
    await resident.press(card, callback_data=f"reg:{event.id}")
    redrawn = await resident.next_reply()  # the card, with «❌» and the outcome on top
    assert redrawn.text.startswith("✅")
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    waiting = await _write_down(librarian, await _card(librarian, event), "Марія Коваль", None)
    assert waiting.text.startswith("⏳")

    await resident.press(redrawn, text="❌ Скасувати мій запис")
    assert "скасовано" in (await resident.next_reply()).text
    await outbox.full_pass(app)
    notice = await librarian.next_reply()
    assert notice.text.startswith(
        "📞 Людина без Telegram, яку ви записали, отримала місце з черги на «Легальна зайнятість»"
    )
    assert "Марія" not in notice.text
    await librarian.press(notice, text="📞 Кому подзвонити")
    calls = await librarian.next_reply()
    assert "Отримали місце з черги — подзвоніть і повідомте:\n• Марія Коваль" in calls.text
    async with db.session() as session:
        payloads = (
            await session.execute(
                select(Notification.payload).where(Notification.kind == "phone_promoted")
            )
        ).all()
    assert payloads == [("{}",)]


async def test_tomorrows_call_list_goes_to_who_wrote_people_down(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
    outbox: Outbox,
) -> None:
    """Without the morning summary, the librarian still gets the call list the day before."""
    deps = app.bot_data["deps"]
    tz = deps.config.library.timezone
    now = datetime.now(UTC)
    day = now.astimezone(tz).date()
    noon = datetime.combine(day + timedelta(days=1), time(12, 0), tzinfo=tz)
    event = await make_event(db, now=now, starts_in=noon - now, capacity=5, title="Субсидії")
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await _write_down(librarian, await _card(librarian, event), "Марія Коваль", "+380501112233")
    for _ in range(2):  # queued again (a restart): sent once
        async with db.transaction() as session:
            await summary.queue_calls(session, day=day, tz=tz, admins=(LIBRARIAN,), now=now)
    await outbox.full_pass(app)
    calls = await librarian.next_reply()
    assert calls.text.startswith("🔔 Завтра прийдуть люди без Telegram, яких ви записали")
    assert "• Марія Коваль — +380501112233 — має місце" in calls.text
    await outbox.full_pass(app)
    await librarian.expect_silence(0.1)


async def test_a_staff_message_to_someone_no_longer_staff_is_dropped(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
    outbox: Outbox,
) -> None:
    """The summary was queued for a member who was removed before it went: names and
    phones go to staff only, so it is dropped, not sent."""
    member = emu.add_user(first_name="Колишня", user_id=LIBRARIAN + 1)
    await member.send_command("/start")
    await member.next_reply()
    async with db.transaction() as session:
        await staff.add_member(
            session, telegram_id=member.user_id, name="x", added_by=LIBRARIAN, now=datetime.now(UTC)
        )
        await summary.choose(session, member.user_id, on=True, now=datetime.now(UTC))
    deps = app.bot_data["deps"]
    tz = deps.config.library.timezone
    now = datetime.now(UTC)
    await event_in(db, days=0.5, capacity=5)
    async with db.transaction() as session:
        assert await summary.queue(
            session, day=now.astimezone(tz).date(), tz=tz, admins=(), now=now
        )
        await staff.remove_member(session, member.user_id)
    await outbox.full_pass(app)
    await member.expect_silence(0.1)
    async with db.session() as session:
        status = (await session.execute(select(Notification.status))).scalar_one()
    assert status == "dropped"


async def test_the_same_call_written_down_twice_takes_one_seat(
    emu: BotApiEmulator, db: Database
) -> None:
    """Two librarians write down the same call; later she phones for another event under a
    shorter name: one person, the name first written down, shown to staff."""
    event = await event_in(db, capacity=3, title="Субсидії")
    other = await event_in(db, days=4, capacity=3, title="Пенсії")
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    done = await _write_down(librarian, await _card(librarian, event), "Марія Коваль", "0501112233")
    assert done.text == "✅ Марія Коваль: місце на «Субсидії» заброньовано."
    again = await _write_down(librarian, done, "Марія Коваль", "+380 50 111 22 33")
    assert again.text == (
        "ℹ️ Марія Коваль вже записана(-ий) на «Субсидії» і має місце. "
        "Нічого не змінено: друге місце не зайняте."
    )
    known = await _write_down(librarian, await _card(librarian, other), "Маша", "0501112233")
    assert known.text == (
        "✅ Марія Коваль: місце на «Пенсії» заброньовано.\n\n"
        "ℹ️ Цей номер телефону вже записаний раніше — на ім’я Марія Коваль: це та сама "
        "людина, ім’я залишено."
    )
    async with db.session() as session:
        names = (await session.execute(select(Person.full_name))).scalars().all()
        seats = (
            await session.execute(select(Event.seats_taken).where(Event.id == event.id))
        ).scalar_one()
    assert (names, seats) == (["Марія Коваль"], 1)


async def test_writing_down_does_not_throw_away_a_half_filled_new_programme(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, capacity=3)
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    card = await _card(librarian, event)
    await librarian.send_command("/newprogram")
    await librarian.next_reply()  # the introduction
    await librarian.next_reply()  # the name question
    query = await librarian.press(card, text="Записати відвідувача")
    answer = await librarian.callback_answer(query)
    assert answer["text"] == (
        "Ви вже щось створюєте: спершу завершіть це або надішліть /cancel, щоб відкинути."
    )
    await librarian.send_text("Цифрова грамотність")  # the programme's name, still asked
    assert "Яка її мета?" in (await librarian.next_reply()).text
