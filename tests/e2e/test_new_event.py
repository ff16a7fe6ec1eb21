"""/newevent and editing an event in Telegram: typed answers, checked, surviving restarts,
staff only; drafts stay hidden from residents."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from telegram.ext import Application

from bot.app import build_application, start, stop
from bot.config import Config
from bot.domain.status import EventStatus, RegistrationStatus
from bot.services import dialogs, event_admin, registration
from emulator import BotApiEmulator, SimUser
from emulator.messages import SimMessage
from storage import staff as staff_storage
from storage.database import Database
from storage.models import Event, Person, Program, Registration, StaffDialog
from tests.conftest import REMINDERS
from tests.e2e.conftest import event_in
from tests.factories import LIBRARIAN, make_person, make_program

pytestmark = [pytest.mark.usefixtures("app"), pytest.mark.staff]
KYIV = ZoneInfo("Europe/Kyiv")
STAFF_ONLY = "Ця команда — для працівників бібліотеки."
GONE = "Такого заходу не знайдено."


def day_ahead(days: int = 30) -> date:
    return datetime.now(UTC).astimezone(KYIV).date() + timedelta(days=days)


async def question(user: SimUser) -> SimMessage:
    """The next new message, past the edits that take the buttons off answered questions."""
    while True:
        action = await user.next_action()
        if action.kind == "message":
            return action.message


async def answer(user: SimUser, text: str, expect: str) -> SimMessage:
    await user.send_text(text)
    reply = await question(user)
    assert expect in reply.text, reply.text
    return reply


async def tap(user: SimUser, message: SimMessage, button: str, expect: str) -> SimMessage:
    await user.press(message, text=button)
    reply = await question(user)
    assert expect in reply.text, reply.text
    return reply


async def start_flow(librarian: SimUser) -> SimMessage:
    await librarian.send_command("/newevent")
    assert "12 коротких запитань" in (await question(librarian)).text
    reply = await question(librarian)
    assert "запитання 1 з 12" in reply.text and "Як називається захід?" in reply.text
    assert [row[0].text for row in reply.buttons] == ["✖️ Скасувати"]
    return reply


async def test_a_librarian_creates_and_publishes_an_event_residents_see_it(
    emu: BotApiEmulator, db: Database
) -> None:
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    day = day_ahead()
    await start_flow(librarian)
    kinds = await answer(librarian, "Легальна зайнятість <для ВПО>", "Який це вид заходу?")
    assert [row[0].text for row in kinds.buttons][:3] == ["Тренінг", "Семінар", "Практичне заняття"]
    await tap(librarian, kinds, "Семінар", "Якого дня?")
    await answer(librarian, day.strftime("%d.%m.%Y"), "О котрій")
    durations = await answer(librarian, "11:00", "Скільки він триває?")
    assert [row[0].text for row in durations.buttons] == [
        "1 год",
        "1 год 30 хв",
        "2 год",
        "3 год",
        "✖️ Скасувати",
    ]
    repeat = await answer(librarian, "1 год 30 хв", "Повторювати?")
    assert [row[0].text for row in repeat.buttons] == ["🚫 Ні", "🔁 Щотижня…", "✖️ Скасувати"]
    await tap(librarian, repeat, "Ні", "Де він відбудеться?")
    capacity = await answer(librarian, "ЦРБ, читальна зала", "Скільки є місць?")
    assert capacity.buttons[0][0].text == "♾ Без обмежень"
    await answer(librarian, "20", "Для кого він?")
    programs = await answer(librarian, "ВПО", "До якої програми")
    assert [row[0].text for row in programs.buttons] == ["⏭ Пропустити", "✖️ Скасувати"]
    # No programme yet: the typed name is offered to be created with one tap.
    offer = await answer(librarian, "Поінформована громада", "Програми «Поінформована громада»")
    assert "ще немає" in offer.text and "До якої програми" in offer.text
    assert [row[0].text for row in offer.buttons] == [
        "➕ Створити програму «Поінформована громада»",
        "⏭ Пропустити",
        "✖️ Скасувати",
    ]
    await tap(librarian, offer, "➕ Створити програму", "Кілька слів про захід")
    reminders = await answer(librarian, "Разом із центром зайнятості", "Коли нагадати")
    assert [row[0].text for row in reminders.buttons] == [
        "🔔 Як у бібліотеці: 1 день, 2 години",
        "🔕 Без нагадувань",
        "✖️ Скасувати",
    ]
    preview = await answer(librarian, "24h, 1h", "Попередній перегляд")
    assert "Легальна зайнятість <для ВПО>" in preview.text
    assert "Семінар" in preview.text and "11:00–12:30" in preview.text
    assert "ЦРБ, читальна зала" in preview.text and "Разом із центром зайнятості" in preview.text
    assert "Бачать лише працівники:" in preview.text
    assert "Місць: 20" in preview.text and "Програма: Поінформована громада" in preview.text
    assert "Нагадування: 1 день, 1 година до початку" in preview.text
    assert [row[0].text for row in preview.buttons] == [
        "✅ Опублікувати",
        "📝 Зберегти як чернетку",
        "🗑 Видалити",
    ]
    done = await tap(librarian, preview, "Опублікувати", "✅ Опубліковано: захід")
    async with db.session() as session:
        event = (await session.execute(select(Event))).scalar_one()
        dialog = await staff_storage.get_input(session, LIBRARIAN)
    assert f"захід {event.id}, «Легальна зайнятість &lt;для ВПО&gt;»" in done.html
    assert f"?start=event_{event.id}" in done.text
    assert done.buttons[0][0].callback_data == f"sev:{event.id}"
    assert dialog is None
    async with db.session() as session:
        program = (await session.execute(select(Program))).scalar_one()
    assert program.name == "Поінформована громада"
    assert (event.status, event.kind, event.capacity, event.program_id) == (
        EventStatus.PUBLISHED,
        "seminar",
        20,
        program.id,
    )
    assert event.starts_at.astimezone(KYIV).replace(tzinfo=None) == datetime(
        day.year, day.month, day.day, 11, 0
    )
    assert event.ends_at is not None and event.ends_at - event.starts_at == timedelta(minutes=90)
    assert (event.audience, event.reminder_offsets) == ("ВПО", "1d,1h")

    # A second tap on Publish (the message is gone from the screen, but a client may lag).
    query = await librarian.press_raw(preview.message_id, "ne:done:publish")
    assert (await librarian.callback_answer(query))["text"] == "Ця кнопка вже не діє."
    async with db.session() as session:
        assert (await session.execute(select(func.count()).select_from(Event))).scalar_one() == 1

    resident = emu.add_user(first_name="Мешканка")
    await resident.send_command("/events")
    listing = await resident.next_reply()
    assert "Легальна зайнятість <для ВПО>" in listing.buttons[0][0].text


async def test_a_draft_is_kept_and_residents_never_see_it(
    emu: BotApiEmulator, db: Database
) -> None:
    visible = await event_in(db, title="Відкритий захід")
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await start_flow(librarian)
    kinds = await answer(librarian, "Чернетка тренінгу", "Який це вид")
    await tap(librarian, kinds, "Тренінг", "Якого дня?")
    await answer(librarian, day_ahead(5).isoformat(), "О котрій")
    durations = await answer(librarian, "9:30", "Скільки він триває?")
    repeat = await tap(librarian, durations, "2 год", "Повторювати?")
    await tap(librarian, repeat, "Ні", "Де він")
    capacity = await answer(librarian, "Читальна зала", "Скільки є місць?")
    audience = await tap(librarian, capacity, "Без обмежень", "Для кого")
    programs = await tap(librarian, audience, "Пропустити", "До якої програми")
    description = await tap(librarian, programs, "Пропустити", "Кілька слів")
    reminders = await tap(librarian, description, "Пропустити", "Коли нагадати")
    preview = await tap(librarian, reminders, "Без нагадувань", "Попередній перегляд")
    assert "Місць: без обмежень" in preview.text and "Нагадування: немає" in preview.text
    assert "Програма: —" in preview.text
    await tap(librarian, preview, "Зберегти як чернетку", "📝 Збережено як чернетку")
    async with db.session() as session:
        draft = (await session.execute(select(Event).where(Event.id != visible.id))).scalar_one()
    assert (draft.status, draft.capacity, draft.program_id, draft.reminder_offsets) == (
        EventStatus.DRAFT,
        None,
        None,
        "",
    )

    resident = emu.add_user(first_name="Мешканка")
    await make_person(db, resident.user_id, now=draft.created_at)
    await resident.send_command("/events")
    listing = await resident.next_reply()
    titles = [b.text for row in listing.buttons for b in row]
    assert any("Відкритий захід" in t for t in titles)
    assert not any("Чернетка" in t for t in titles)
    await resident.send_command(f"/start event_{draft.id}")
    assert (await resident.next_reply()).text == GONE
    for forged in (f"ev:{draft.id}", f"reg:{draft.id}", f"ics:{draft.id}"):
        query = await resident.press_raw(listing.message_id, forged)
        assert (await resident.callback_answer(query))["text"] == GONE
    async with db.session() as session:
        count = select(func.count()).select_from(Registration)
        assert (await session.execute(count)).scalar_one() == 0


async def test_every_wrong_answer_is_asked_again_with_an_example(emu: BotApiEmulator) -> None:
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await start_flow(librarian)
    await answer(librarian, "т" * 201, "⚠️ Задовго: 201 символ, а можна щонайбільше 200.")
    await answer(librarian, "Субсидії", "Який це вид заходу?")
    again = await answer(librarian, "вечірка", "⚠️ Будь ласка, оберіть вид заходу кнопкою")
    assert again.buttons[0][0].text == "Тренінг"
    await answer(librarian, "лекція", "Якого дня?")  # a kind typed by its name is fine too
    example = (day_ahead(0) + timedelta(days=7)).strftime("%d.%m.%Y")
    await answer(
        librarian,
        "01.01.2020",
        f"⚠️ Цей день уже минув. Напишіть дату від сьогодні, наприклад {example}.",
    )
    year = day_ahead(400).year
    await answer(librarian, f"31.02.{year}", f"⚠️ Дня 31.02.{year} не існує.")
    await answer(librarian, "завтра", "⚠️ Не вдалося прочитати дату.")
    await answer(librarian, day_ahead().strftime("%d.%m.%Y"), "О котрій")
    await answer(librarian, "25:00", "⚠️ Часу 25:00 не існує")
    await answer(librarian, "о другій", "⚠️ Не вдалося прочитати час.")
    await answer(librarian, "14:00", "Скільки він триває?")
    await answer(librarian, "2", "⚠️ Захід триває від 10 хвилин до 12 годин.")
    await answer(librarian, "довго", "⚠️ Не вдалося прочитати тривалість.")
    repeat = await answer(librarian, "90", "Повторювати?")
    await answer(librarian, "1", "⚠️ Щотижневий захід повторюється від 2 до 52 разів.")
    await answer(librarian, "щотижня", "⚠️ Не вдалося прочитати.")
    await answer(librarian, "01.01.2020", "⚠️ Так не вийде жодного другого тижня.")
    await tap(librarian, repeat, "Ні", "Де він відбудеться?")
    await answer(librarian, "Зала", "Скільки є місць?")
    await answer(librarian, "0", "⚠️ Кількість місць — від 1 до 100000.")
    await answer(librarian, "1000000", "⚠️ Кількість місць — від 1 до 100000.")
    await answer(librarian, "двадцять", "⚠️ Напишіть кількість місць цифрами")
    await answer(librarian, "20", "Для кого він?")
    await answer(librarian, "п" * 201, "⚠️ Задовго")
    await answer(librarian, "пенсіонери", "До якої програми")
    await answer(librarian, "п" * 201, "⚠️ Задовго: 201 символ, а можна щонайбільше 200.")
    offer = await answer(librarian, "Проєкт", "⚠️ Програми «Проєкт» ще немає.")
    await tap(librarian, offer, "Пропустити", "Кілька слів")
    await answer(librarian, "о" * 2001, "⚠️ Задовго: 2001 символ, а можна щонайбільше 2000.")
    await answer(librarian, "Опис", "Коли нагадати")
    await answer(librarian, "завтра вранці", "⚠️ Не вдалося прочитати нагадування.")
    preview = await answer(librarian, "3h", "Попередній перегляд")
    again = await answer(librarian, "так", "⚠️ Будь ласка, натисніть одну з кнопок.")
    assert again.buttons == preview.buttons


async def test_cancel_abandons_the_flow_politely(emu: BotApiEmulator, db: Database) -> None:
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await start_flow(librarian)
    kinds = await answer(librarian, "Субсидії", "Який це вид заходу?")
    await librarian.send_command("/cancel")
    assert (await question(librarian)).text.startswith("Гаразд, новий захід видалено.")
    await librarian.send_command("/cancel")
    assert (await question(librarian)).text == "Немає чого скасовувати."
    # The old question's buttons do nothing now, and typing is no longer an answer.
    query = await librarian.press(kinds, text="Тренінг")
    assert (await librarian.callback_answer(query))["text"] == "Ця кнопка вже не діє."
    await librarian.send_text("Субсидії")
    assert "Я розумію такі команди" in (await question(librarian)).text

    question_one = await start_flow(librarian)
    await librarian.press(question_one, text="Скасувати")
    assert (await question(librarian)).text.startswith("Гаразд, новий захід видалено.")
    async with db.session() as session:
        assert await staff_storage.get_input(session, LIBRARIAN) is None
        assert (await session.execute(select(func.count()).select_from(Event))).scalar_one() == 0


async def test_a_half_filled_event_survives_a_restart(
    emu: BotApiEmulator,
    db: Database,
    app: Application,  # type: ignore[type-arg]
    bot_config: Config,
) -> None:
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await start_flow(librarian)
    kinds = await answer(librarian, "Електронні послуги", "Який це вид")
    await tap(librarian, kinds, "Тренінг", "Якого дня?")
    await answer(librarian, day_ahead(10).strftime("%d.%m.%Y"), "О котрій")

    await stop(app)
    restarted = build_application(bot_config, token=emu.token, db=db)
    await start(restarted)
    try:
        durations = await answer(librarian, "16:00", "Скільки він триває?")
        repeat = await tap(librarian, durations, "1 год", "Повторювати?")
        await tap(librarian, repeat, "Ні", "Де він")
        await librarian.send_command("/newevent")  # where was I? it goes on, not over
        assert "продовжимо з того місця" in (await question(librarian)).text
        assert "Де він відбудеться?" in (await question(librarian)).text
        await answer(librarian, "Читальна зала", "Скільки є місць?")
        await answer(librarian, "багато", "⚠️ Напишіть кількість місць цифрами")
        await answer(librarian, "12", "Для кого")
        await answer(librarian, "усі охочі", "До якої програми")
        offer = await answer(librarian, "Цифрова грамотність", "ще немає")
        await tap(librarian, offer, "Створити програму", "Кілька слів")
        reminders = await answer(librarian, "Як користуватися Дією", "Коли нагадати")
        preview = await tap(librarian, reminders, "Як у бібліотеці", "Попередній перегляд")
        assert "Нагадування: 1 день, 2 години до початку (як заведено в бібліотеці)" in preview.text
        await tap(librarian, preview, "Опублікувати", "✅ Опубліковано")
    finally:
        await stop(restarted)
        await start(app)  # the fixture stops it again
    async with db.session() as session:
        event = (await session.execute(select(Event))).scalar_one()
        program = (await session.execute(select(Program))).scalar_one()
    assert (event.title, event.place, event.capacity, event.reminder_offsets) == (
        "Електронні послуги",
        "Читальна зала",
        12,
        None,
    )
    assert (event.program_id, program.name) == (program.id, "Цифрова грамотність")


async def test_the_programmes_are_offered_and_a_typed_name_picks_one(
    emu: BotApiEmulator, db: Database
) -> None:
    now = datetime.now(UTC)
    informed = await make_program(db, "Поінформована громада", now=now)
    digital = await make_program(db, "Цифрова грамотність", now=now)
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await start_flow(librarian)
    kinds = await answer(librarian, "Нове", "Який це вид")
    await tap(librarian, kinds, "Тренінг", "Якого дня?")
    await answer(librarian, day_ahead().isoformat(), "О котрій")
    await answer(librarian, "10:00", "Скільки")
    repeat = await answer(librarian, "1:30", "Повторювати?")
    await tap(librarian, repeat, "Ні", "Де")
    await answer(librarian, "Зала", "Скільки є місць")
    audience = await answer(librarian, "15", "Для кого")
    programs = await tap(librarian, audience, "Пропустити", "До якої програми")
    assert [row[0].text for row in programs.buttons] == [
        "📁 Поінформована громада",
        "📁 Цифрова грамотність",
        "⏭ Пропустити",
        "✖️ Скасувати",
    ]
    description = await tap(librarian, programs, "Цифрова грамотність", "Кілька слів")
    reminders = await tap(librarian, description, "Пропустити", "Коли нагадати")
    preview = await tap(librarian, reminders, "Без нагадувань", "Попередній перегляд")
    assert "Програма: Цифрова грамотність" in preview.text
    await tap(librarian, preview, "Опублікувати", "✅ Опубліковано")

    # Typed, in another case and with spaces around it, the name picks the programme.
    await start_flow(librarian)
    kinds = await answer(librarian, "Ще одне", "Який це вид")
    await tap(librarian, kinds, "Тренінг", "Якого дня?")
    await answer(librarian, day_ahead().isoformat(), "О котрій")
    await answer(librarian, "12:00", "Скільки")
    repeat = await answer(librarian, "1:30", "Повторювати?")
    await tap(librarian, repeat, "Ні", "Де")
    await answer(librarian, "Зала", "Скільки є місць")
    await answer(librarian, "15", "Для кого")
    await answer(librarian, "пенсіонери", "До якої програми")
    description = await answer(librarian, "  поінформована ГРОМАДА ", "Кілька слів")
    reminders = await tap(librarian, description, "Пропустити", "Коли нагадати")
    preview = await tap(librarian, reminders, "Без нагадувань", "Попередній перегляд")
    assert "Програма: Поінформована громада" in preview.text
    await tap(librarian, preview, "Опублікувати", "✅ Опубліковано")
    async with db.session() as session:
        found = (await session.execute(select(Event.title, Event.program_id))).all()
        programmes = (await session.execute(select(func.count()).select_from(Program))).scalar()
    assert sorted(found) == [("Нове", digital), ("Ще одне", informed)]
    assert programmes == 2  # choosing made none


async def _registered(db: Database, event: Event, user: SimUser) -> None:
    """Registered, and has written to the bot (Telegram lets bots write only then)."""
    await user.send_command("/start")
    await user.next_reply()
    person = await make_person(db, user.user_id, now=event.created_at)
    async with db.transaction() as session:
        await registration.register(
            session,
            event_id=event.id,
            person_id=person.id,
            default_reminders=REMINDERS,
            now=datetime.now(UTC),
        )


async def open_edit(librarian: SimUser, event_id: int) -> SimMessage:
    await librarian.send_command("/start")
    menu = await librarian.next_reply()
    await librarian.press_raw(menu.message_id, f"sed:{event_id}")
    fields = await librarian.next_reply()
    assert "Що змінити?" in fields.text
    return fields


async def test_editing_the_place_tells_the_registrants(emu: BotApiEmulator, db: Database) -> None:
    event = await event_in(db, title="Субсидії")
    resident = emu.add_user(first_name="Оксана")
    await _registered(db, event, resident)
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    fields = await open_edit(librarian, event.id)
    assert [row[0].text for row in fields.buttons] == [
        "Назва",
        "Вид",
        "Дата",
        "Час початку",
        "Тривалість",
        "Місце",
        "Кількість місць",
        "Для кого",
        "Програма",
        "Опис",
        "Нагадування",
        "📄 Як у звіті",
        "⬅️ Назад",
    ]
    asked = await tap(librarian, fields, "Місце", "Де він відбудеться?")
    assert "Місце зараз: Читальна зала" in asked.text
    done = await answer(
        librarian, "Актова зала, 2 поверх", "✅ Місце: Читальна зала → Актова зала, 2 поверх"
    )
    assert "1 записаній людині повідомлять про зміну." in done.text
    assert done.buttons[0][0].callback_data == f"sev:{event.id}"

    notice = await resident.next_reply(timeout=15)
    assert notice.text.startswith("⚠️ Зміни в заході Субсидії.")
    assert "Актова зала, 2 поверх" in notice.text and "Читальна зала" in notice.text
    async with db.session() as session:
        assert (await session.get(Event, event.id)).place == "Актова зала, 2 поверх"  # type: ignore[union-attr]
        assert await staff_storage.get_input(session, LIBRARIAN) is None


async def test_editing_time_keeps_the_length_and_capacity_is_checked(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, capacity=2, title="Дія")
    async with db.transaction() as session:
        stored = await session.get(Event, event.id)
        assert stored is not None
        stored.ends_at = stored.starts_at + timedelta(hours=2)
    residents = [emu.add_user(first_name=f"Мешканка {i}") for i in range(3)]
    for resident in residents:
        await _registered(db, event, resident)
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)

    fields = await open_edit(librarian, event.id)
    await tap(librarian, fields, "Кількість місць", "Кількість місць зараз: 2")
    await answer(librarian, "1", "⚠️ Уже зайнято 2 місця, тож місць не може бути менше.")
    done = await answer(librarian, "3", "✅ Кількість місць: 2 → 3")
    assert "1 людина перейшла з черги на вільне місце" in done.text
    assert (await residents[2].next_reply(timeout=15)).text.startswith("🎉")

    fields = await open_edit(librarian, event.id)
    await tap(librarian, fields, "Час початку", "О котрій")
    await answer(librarian, "25:00", "⚠️ Часу 25:00 не існує")
    done = await answer(librarian, "09:15", "✅ Час початку:")
    assert "09:15–11:15" in done.text
    assert "3 записаним людям повідомлять про зміну." in done.text
    for resident in residents:
        assert "09:15" in (await resident.next_reply(timeout=15)).text

    fields = await open_edit(librarian, event.id)
    durations = await tap(librarian, fields, "Тривалість", "Тривалість зараз: 2 год")
    done = await tap(librarian, durations, "1 год 30 хв", "✅ Тривалість: 2 год → 1 год 30 хв")
    assert "повідомлять" not in done.text

    fields = await open_edit(librarian, event.id)
    capacity = await tap(librarian, fields, "Кількість місць", "Кількість місць зараз: 3")
    await tap(librarian, capacity, "Без обмежень", "✅ Кількість місць: 3 → без обмежень")
    fields = await open_edit(librarian, event.id)
    audience = await tap(librarian, fields, "Для кого", "Для кого зараз: —")
    await answer(librarian, "пенсіонери", "✅ Для кого: — → пенсіонери")
    fields = await open_edit(librarian, event.id)
    audience = await tap(librarian, fields, "Для кого", "Для кого зараз: пенсіонери")
    await tap(librarian, audience, "Очистити", "✅ Для кого: пенсіонери → —")
    fields = await open_edit(librarian, event.id)
    asked = await tap(
        librarian,
        fields,
        "Нагадування",
        "Нагадування зараз: 1 день, 2 години до початку (як заведено",
    )
    await tap(librarian, asked, "Скасувати", "Гаразд, нічого не змінено.")

    async with db.session() as session:
        stored = await session.get(Event, event.id)
        assert stored is not None and stored.ends_at is not None
        assert stored.ends_at - stored.starts_at == timedelta(minutes=90)
        assert (stored.capacity, stored.audience) == (None, "")
        statuses = (await session.execute(select(Registration.status))).scalars().all()
    assert sorted(statuses) == [RegistrationStatus.CONFIRMED] * 3


async def test_a_cancelled_event_cannot_be_edited(emu: BotApiEmulator, db: Database) -> None:
    event = await event_in(db, title="Скасований")
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    fields = await open_edit(librarian, event.id)
    asked = await tap(librarian, fields, "Назва", "Як називається захід?")
    async with db.transaction() as session:
        await event_admin.cancel_event(session, event.id, now=datetime.now(UTC))
    done = await answer(librarian, "Нова назва", "Цей захід скасовано, його вже не можна змінити.")
    assert done.buttons == []
    query = await librarian.press_raw(asked.message_id, f"sed:{event.id}")
    answered = await librarian.callback_answer(query)
    assert answered["text"] == "Цей захід скасовано, його вже не можна змінити."
    query = await librarian.press_raw(asked.message_id, "sed:424242")
    assert (await librarian.callback_answer(query))["text"] == GONE
    async with db.session() as session:
        assert (await session.get(Event, event.id)).title == "Скасований"  # type: ignore[union-attr]


async def test_residents_cannot_create_or_edit_events(emu: BotApiEmulator, db: Database) -> None:
    event = await event_in(db, title="Чуже")
    resident = emu.add_user(first_name="Мешканка")
    await resident.send_command("/newevent")
    assert (await resident.next_reply()).text == STAFF_ONLY
    await resident.send_command("/cancel")
    assert "Я розумію такі команди" in (await resident.next_reply()).text
    await resident.send_command("/start")
    menu = await resident.next_reply()
    for forged in (
        "ne:kind:training",
        "ne:done:publish",
        "ne:done:draft",
        "ne:cap:none",
        "ne:x",
        f"sed:{event.id}",
        f"sef:{event.id}:place",
        f"eda:{event.id}:cap:none",
        f"eda:{event.id}:prog:skip",
        f"edx:{event.id}",
    ):
        query = await resident.press_raw(menu.message_id, forged)
        assert (await resident.callback_answer(query))["text"] == STAFF_ONLY, forged
    # Text with no staff flow open is the resident's as before.
    await resident.send_text("Актова зала")
    assert "Я розумію такі команди" in (await resident.next_reply()).text
    async with db.session() as session:
        stored = await session.get(Event, event.id)
        assert stored is not None and (stored.place, stored.capacity) == ("Читальна зала", 10)
        dialogs = select(func.count()).select_from(StaffDialog)
        assert (await session.execute(dialogs)).scalar_one() == 0


async def test_a_former_librarian_with_an_open_question_is_a_resident_again(
    emu: BotApiEmulator, db: Database
) -> None:
    """Staff rights taken away mid-flow: the typed text is no longer an answer."""
    event = await event_in(db, title="Чуже")
    former = emu.add_user(first_name="Колишня")
    async with db.transaction() as session:
        await staff_storage.put_input(
            session, former.user_id, "ed:place", {"event": event.id}, now=datetime.now(UTC)
        )
    await former.send_text("Підвал")
    assert "Я розумію такі команди" in (await former.next_reply()).text
    async with db.session() as session:
        assert (await session.get(Event, event.id)).place == "Читальна зала"  # type: ignore[union-attr]
        assert await staff_storage.get_input(session, former.user_id) is None


async def test_editing_an_event_keeps_a_half_filled_new_event(
    emu: BotApiEmulator, db: Database
) -> None:
    """One open question per person: choosing a field to edit must not throw away the
    answers of /newevent given so far."""
    event = await event_in(db, title="Субсидії")
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await start_flow(librarian)
    kinds = await answer(librarian, "Легальна зайнятість", "Який це вид заходу?")
    await librarian.press_raw(kinds.message_id, f"sed:{event.id}")
    fields = await librarian.next_reply()
    query = await librarian.press(fields, text="Місце")
    assert (await librarian.callback_answer(query))["text"] == (
        "Ви створюєте новий захід: спершу завершіть його або надішліть /cancel, щоб його видалити."
    )
    async with db.session() as session:
        state, data = await staff_storage.get_input(session, LIBRARIAN) or ("", {})
    assert (state, data["title"]) == ("ne:kind", "Легальна зайнятість")
    await librarian.send_command("/newevent")
    assert "незавершений захід" in (await question(librarian)).text
    assert "Який це вид заходу?" in (await question(librarian)).text


async def test_a_librarian_signs_up_for_an_event_in_the_middle_of_a_draft(
    emu: BotApiEmulator, db: Database
) -> None:
    """The sign-up question asked last gets the typed name; the draft waits, untouched."""
    event = await event_in(db, title="Субсидії")
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await start_flow(librarian)
    kinds = await answer(librarian, "Легальна зайнятість", "Який це вид заходу?")
    await librarian.press_raw(kinds.message_id, f"reg:{event.id}")  # as a resident would
    # The sign-up's first question, the name, in place of the pressed message.
    while "Щоб записати вас" not in (await librarian.next_reply()).text:
        pass
    await librarian.send_text("Ірина Коваль")
    await question(librarian)  # the next sign-up question
    async with db.session() as session:
        person = (
            await session.execute(select(Person).where(Person.telegram_id == LIBRARIAN))
        ).scalar_one()
        sign_up = await dialogs.signup(session, LIBRARIAN)
        state, data = await staff_storage.get_input(session, LIBRARIAN) or ("", {})
    # The name waits with the sign-up's answers until the consent question is answered.
    assert sign_up is not None and sign_up.answers.name == "Ірина Коваль"
    assert person.full_name is None
    assert (state, data["title"]) == ("ne:kind", "Легальна зайнятість")
    await librarian.send_command("/newevent")  # and the draft goes on where it stopped
    assert "незавершений захід" in (await question(librarian)).text
    assert "Який це вид заходу?" in (await question(librarian)).text


@pytest.mark.parametrize(
    ("state", "reply", "left"),
    [
        # A /newevent question this version does not ask: start the questions again.
        ("ne:when", "запитання 1 з 12", ("ne:title", {})),
        ("ed:when", "Ця кнопка вже не діє.", None),  # an edit it cannot read: dropped
        ("newevent:title", "Я розумію такі команди", None),  # an unknown flow: dropped
    ],
)
async def test_a_question_an_older_version_left_open_is_not_a_dead_end(
    emu: BotApiEmulator,
    db: Database,
    state: str,
    reply: str,
    left: tuple[str, dict[str, object]] | None,
) -> None:
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    async with db.transaction() as session:
        await staff_storage.put_input(
            session, LIBRARIAN, state, {"event": 1}, now=datetime.now(UTC)
        )
    await librarian.send_text("Підвал")
    assert reply in (await question(librarian)).text
    async with db.session() as session:
        assert await staff_storage.get_input(session, LIBRARIAN) == left


async def test_thirty_programmes_are_offered_a_page_at_a_time(
    emu: BotApiEmulator, db: Database
) -> None:
    """A library with 30 programmes: eight buttons a page, turned in the same message,
    and one chosen from the last page is the event's."""
    names = [f"Програма {n:02}" for n in range(1, 31)]
    for name in names:
        await make_program(db, name, now=datetime.now(UTC))
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await start_flow(librarian)
    kinds = await answer(librarian, "Захід із програмою", "Який це вид")
    await tap(librarian, kinds, "Тренінг", "Якого дня?")
    await answer(librarian, day_ahead(5).isoformat(), "О котрій")
    durations = await answer(librarian, "9:30", "Скільки він триває?")
    repeat = await tap(librarian, durations, "2 год", "Повторювати?")
    await tap(librarian, repeat, "Ні", "Де він")
    capacity = await answer(librarian, "Читальна зала", "Скільки є місць?")
    audience = await tap(librarian, capacity, "Без обмежень", "Для кого")
    programs = await tap(librarian, audience, "Пропустити", "До якої програми")

    def rows(message: SimMessage) -> list[str]:
        return [" | ".join(b.text for b in row) for row in message.buttons]

    assert rows(programs) == [
        *(f"📁 {name}" for name in names[:8]),
        "Далі ▶️",
        "⏭ Пропустити",
        "✖️ Скасувати",
    ]
    await librarian.press(programs, text="Далі ▶️")
    second = await librarian.next_reply()
    assert second.message_id == programs.message_id  # the same question, redrawn
    assert "До якої програми" in second.text
    assert rows(second)[:9] == [*(f"📁 {name}" for name in names[8:16]), "◀️ Назад | Далі ▶️"]
    # A forged page past the end shows the last one.
    await librarian.press_raw(programs.message_id, "ne:prog:pg99")
    last = await librarian.next_reply()
    assert rows(last)[:7] == [*(f"📁 {name}" for name in names[24:]), "◀️ Назад"]

    description = await tap(librarian, last, "Програма 27", "Кілька слів")
    reminders = await tap(librarian, description, "Пропустити", "Коли нагадати")
    preview = await tap(librarian, reminders, "Без нагадувань", "Попередній перегляд")
    assert "Програма: Програма 27" in preview.text
