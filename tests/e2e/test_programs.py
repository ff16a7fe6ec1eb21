"""Programmes in Telegram: /newprogram, /programs, a programme's card and its ✏️ buttons;
an event's programme and report-line wording edited from its staff card. Staff only."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from emulator import BotApiEmulator, SimUser
from emulator.messages import SimMessage
from storage.database import Database
from storage.models import Event, Program
from tests.e2e.conftest import event_in
from tests.e2e.test_new_event import answer, question, tap
from tests.factories import LIBRARIAN, make_program

pytestmark = [pytest.mark.usefixtures("app"), pytest.mark.staff]
STAFF_ONLY = "Ця команда — для працівників бібліотеки."


async def programmes(db: Database) -> list[Program]:
    async with db.session() as session:
        return list((await session.execute(select(Program).order_by(Program.id))).scalars())


async def redraw(user: SimUser, message: SimMessage, button: str, expect: str) -> SimMessage:
    """Press a button that redraws its own message (a menu, a card)."""
    await user.press(message, text=button)
    reply = await user.next_reply()
    assert expect in reply.text, reply.text
    return reply


def texts(message: SimMessage) -> list[str]:
    return [row[0].text for row in message.buttons]


async def test_a_librarian_adds_a_programme_and_finds_it_in_the_list(
    emu: BotApiEmulator, db: Database
) -> None:
    await make_program(db, "Цифрова грамотність", now=datetime.now(UTC))
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_command("/newprogram")
    assert "7 коротких запитань" in (await question(librarian)).text
    name = await question(librarian)
    assert "запитання 1 з 7" in name.text and "Як називається програма" in name.text
    assert texts(name) == ["✖️ Скасувати"]  # a name cannot be skipped
    await answer(librarian, " цифрова  ГРАМОТНІСТЬ ", "⚠️ Програма «Цифрова грамотність» вже є.")
    purpose = await answer(librarian, "Поінформована громада", "Яка її мета?")
    assert texts(purpose) == ["⏭ Пропустити", "✖️ Скасувати"]
    frame = await answer(librarian, "Мета проєкту.\nДругий рядок.", "Частиною чого вона є")
    await tap(librarian, frame, "Пропустити", "Коли вона триває?")
    await answer(librarian, "з березня", "⚠️ Не вдалося прочитати період.")
    await answer(librarian, "30.11.2026 – 01.03.2026", "⚠️ Період закінчується раніше")
    link = await answer(librarian, "01.03.2026 – 30.11.2026", "Де можна більше прочитати")
    await tap(librarian, link, "Пропустити", "Посада того, хто підписує звіт")
    await answer(librarian, "Провідний бібліотекар\nВолочиської ЦРБ", "Ім’я та прізвище")
    card = await answer(librarian, "Задорожна Н.М.", "✅ Програму додано.")
    assert "<b>Поінформована громада</b>" in card.html
    assert "Період: 01.03.2026 – 30.11.2026" in card.text
    assert "Посилання: —" in card.text and "Рамка та донор: —" in card.text
    assert "Посада підписанта: Провідний бібліотекар\nВолочиської ЦРБ" in card.text
    assert texts(card) == [
        "✏️ Назва",
        "✏️ Мета",
        "✏️ Рамка та донор",
        "✏️ Період",
        "✏️ Посилання",
        "✏️ Посада підписанта",
        "✏️ Ім’я підписанта",
        "⬅️ Усі програми",
    ]
    stored = (await programmes(db))[1]
    assert (stored.name, stored.purpose, stored.frame) == (
        "Поінформована громада",
        "Мета проєкту.\nДругий рядок.",
        "",
    )
    assert (stored.starts_on, stored.ends_on) == (date(2026, 3, 1), date(2026, 11, 30))
    assert stored.signer_name == "Задорожна Н.М."

    await event_in(db, title="Захід програми")
    async with db.transaction() as session:
        await session.execute(Event.__table__.update().values(program_id=stored.id))
    await librarian.send_command("/programs")
    listing = await librarian.next_reply()
    assert "<b>Поінформована громада</b> · 1 захід" in listing.html
    assert "<b>Цифрова грамотність</b> · 0 заходів" in listing.html
    assert texts(listing) == [
        "📁 Поінформована громада (1)",
        "📁 Цифрова грамотність (0)",
        "➕ Нова програма",
    ]
    await librarian.press(listing, text="📁 Поінформована громада (1)")
    shown = await librarian.next_reply()
    assert shown.message_id == listing.message_id  # the list is redrawn as the card
    assert "Мета: Мета проєкту." in shown.text
    await librarian.press(shown, text="⬅️ Усі програми")
    assert "Цифрова грамотність" in (await librarian.next_reply()).text


async def test_each_field_is_edited_from_the_card(emu: BotApiEmulator, db: Database) -> None:
    now = datetime.now(UTC)
    program_id = await make_program(db, "Поінформована громада", now=now)
    await make_program(db, "Цифрова грамотність", now=now)
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_command("/programs")
    listing = await librarian.next_reply()
    await librarian.press(listing, text="📁 Поінформована громада (0)")
    card = await librarian.next_reply()

    asked = await tap(librarian, card, "✏️ Період", "Період зараз: —")
    await answer(librarian, "2026", "⚠️ Не вдалося прочитати період.")
    card = await answer(librarian, "01.01.2026-31.12.2026", "✅ Період: змінено.")
    assert "Період: 01.01.2026 – 31.12.2026" in card.text

    asked = await tap(librarian, card, "✏️ Посилання", "Посилання зараз: —")
    card = await answer(librarian, "vollibrary.ucoz.net", "✅ Посилання: змінено.")
    asked = await tap(librarian, card, "✏️ Посилання", "Посилання зараз: vollibrary.ucoz.net")
    assert texts(asked) == ["🧹 Очистити", "✖️ Скасувати"]
    card = await tap(librarian, asked, "Очистити", "✅ Посилання: змінено.")
    assert "Посилання: —" in card.text

    asked = await tap(librarian, card, "✏️ Назва", "Назва зараз: Поінформована громада")
    assert texts(asked) == ["✖️ Скасувати"]  # a name is changed, never cleared
    await answer(librarian, "цифрова грамотність", "⚠️ Програма «Цифрова грамотність» вже є.")
    card = await answer(
        librarian, "Поінформована громада – демократична країна", "✅ Назва: змінено."
    )

    asked = await tap(librarian, card, "✏️ Ім’я підписанта", "Ім’я підписанта зараз: —")
    card = await tap(librarian, asked, "Скасувати", "📁 Поінформована громада – демократична")
    async with db.session() as session:
        stored = await session.get(Program, program_id)
    assert stored is not None
    assert (stored.name, stored.link, stored.signer_name) == (
        "Поінформована громада – демократична країна",
        "",
        "",
    )
    assert (stored.starts_on, stored.ends_on) == (date(2026, 1, 1), date(2026, 12, 31))


async def test_cancel_discards_a_new_programme_and_one_form_is_open_at_a_time(
    emu: BotApiEmulator, db: Database
) -> None:
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_command("/newevent")
    await question(librarian)
    assert "Як називається захід?" in (await question(librarian)).text
    await librarian.send_command("/newprogram")
    assert "спершу завершіть" in (await question(librarian)).text
    await librarian.send_command("/cancel")
    assert "новий захід видалено" in (await question(librarian)).text

    await librarian.send_command("/newprogram")
    await question(librarian)
    name = await question(librarian)
    purpose = await answer(librarian, "Нова", "Яка її мета?")
    # Neither a new event nor an event's edit throws the half-filled programme away.
    await librarian.send_command("/newevent")
    assert "спершу завершіть" in (await question(librarian)).text
    event = await event_in(db, title="Захід")
    query = await librarian.press_raw(purpose.message_id, f"sef:{event.id}:place")
    assert "спершу завершіть" in (await librarian.callback_answer(query))["text"]
    await answer(librarian, "Мета.", "Частиною чого вона є")
    await librarian.send_command("/cancel")
    assert (await question(librarian)).text.startswith("Гаразд, нову програму відкинуто.")
    query = await librarian.press_raw(name.message_id, "np:purpose:skip")
    assert (await librarian.callback_answer(query))["text"] == "Ця кнопка вже не діє."
    assert await programmes(db) == []


async def test_residents_have_no_programmes(emu: BotApiEmulator, db: Database) -> None:
    program_id = await make_program(db, "Поінформована громада", now=datetime.now(UTC))
    resident = emu.add_user(first_name="Мешканка")
    for command in ("/programs", "/newprogram"):
        await resident.send_command(command)
        assert (await resident.next_reply()).text == STAFF_ONLY
    await resident.send_command("/start")
    menu = await resident.next_reply()
    for forged in (f"pg:{program_id}", f"pgf:{program_id}:name", "pg:new"):
        query = await resident.press_raw(menu.message_id, forged)
        assert (await resident.callback_answer(query))["text"] == STAFF_ONLY


async def open_card(librarian: SimUser, event_id: int) -> SimMessage:
    await librarian.send_command("/start")
    menu = await librarian.next_reply()
    await librarian.press_raw(menu.message_id, f"sev:{event_id}")
    return await librarian.next_reply()


async def test_an_events_programme_is_chosen_created_and_cleared_from_its_card(
    emu: BotApiEmulator, db: Database
) -> None:
    program_id = await make_program(db, "Поінформована громада", now=datetime.now(UTC))
    event = await event_in(db, title="Субсидії")
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    card = await open_card(librarian, event.id)
    assert "Програма:" not in card.text
    fields = await redraw(librarian, card, "✏️ Редагувати", "Що змінити?")
    asked = await tap(librarian, fields, "Програма", "Програма зараз: —")
    assert texts(asked) == ["📁 Поінформована громада", "🚫 Без програми", "✖️ Скасувати"]
    done = await tap(librarian, asked, "Поінформована громада", "✅ Програма: — → Поінформована")
    card = await redraw(librarian, done, "Картка заходу", "Субсидії")
    assert "🗂 Програма: Поінформована громада" in card.text

    fields = await redraw(librarian, card, "✏️ Редагувати", "Що змінити?")
    await tap(librarian, fields, "Програма", "Програма зараз: Поінформована громада")
    offer = await answer(librarian, "Цифрова грамотність", "ще немає")
    assert texts(offer)[0] == "➕ Створити програму «Цифрова грамотність»"
    await tap(librarian, offer, "Створити програму", "✅ Програма: Поінформована громада →")
    async with db.session() as session:
        stored = await session.get(Event, event.id)
        created = (await session.execute(select(Program).where(Program.id != program_id))).all()
    assert stored is not None and len(created) == 1
    assert stored.program_id == created[0][0].id

    # The staff list names the programme too.
    await librarian.send_command("/events")
    assert "🗂 Цифрова грамотність" in (await librarian.next_reply()).text

    fields = await open_edit_from_card(librarian, event.id)
    asked = await tap(librarian, fields, "Програма", "Програма зараз: Цифрова грамотність")
    await tap(librarian, asked, "Без програми", "✅ Програма: Цифрова грамотність → —")
    async with db.session() as session:
        stored = await session.get(Event, event.id)
        count = (await session.execute(select(func.count()).select_from(Program))).scalar()
    assert stored is not None and stored.program_id is None
    assert count == 2  # the programmes stay


async def open_edit_from_card(librarian: SimUser, event_id: int) -> SimMessage:
    card = await open_card(librarian, event_id)
    return await redraw(librarian, card, "✏️ Редагувати", "Що змінити?")


async def test_the_report_lines_wording_is_edited_shown_and_cleared(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, title="Бібліотеки – центри підтримки громади")
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    fields = await open_edit_from_card(librarian, event.id)
    wording = await redraw(librarian, fields, "📄 Як у звіті", "Як рядок звіту називає цей захід")
    assert "Назва виду у звіті: —" in wording.text
    assert texts(wording) == [
        "✏️ Назва виду у звіті",
        "✏️ Назва у звіті",
        "✏️ Партнер",
        "✏️ Після дужок",
        "⬅️ Назад",
    ]
    await tap(librarian, wording, "✏️ Назва виду у звіті", "після «провели»")
    await answer(librarian, "практикум-тренінг", "✅ Назва виду у звіті: — → практикум-тренінг")
    fields = await open_edit_from_card(librarian, event.id)
    wording = await redraw(librarian, fields, "📄 Як у звіті", "Як рядок звіту")
    await tap(librarian, wording, "✏️ Партнер", "спільно з")
    await answer(librarian, "центром зайнятості населення", "✅ Партнер: — → центром")
    fields = await open_edit_from_card(librarian, event.id)
    wording = await redraw(librarian, fields, "📄 Як у звіті", "Партнер: центром зайнятості")
    await tap(librarian, wording, "✏️ Після дужок", "після дужок")
    await answer(librarian, "використання е-ресурсів для ВПО", "✅ Після дужок: —")

    card = await open_card(librarian, event.id)
    assert "📄 У звіті як: практикум-тренінг" in card.text
    assert "📄 Спільно з: центром зайнятості населення" in card.text
    assert "📄 Після дужок: використання е-ресурсів для ВПО" in card.text
    assert "Назва у звіті" not in card.text  # not set: not shown

    fields = await redraw(librarian, card, "✏️ Редагувати", "Що змінити?")
    wording = await redraw(librarian, fields, "📄 Як у звіті", "Як рядок звіту")
    asked = await tap(librarian, wording, "✏️ Партнер", "Партнер зараз: центром")
    assert texts(asked) == ["🧹 Очистити", "✖️ Скасувати"]
    await tap(librarian, asked, "Очистити", "✅ Партнер: центром зайнятості населення → —")
    async with db.session() as session:
        stored = await session.get(Event, event.id)
    assert stored is not None
    assert (stored.report_label, stored.partner, stored.report_note, stored.report_title) == (
        "практикум-тренінг",
        None,
        "використання е-ресурсів для ВПО",
        None,
    )


async def test_an_events_programme_is_chosen_from_a_later_page_when_editing(
    emu: BotApiEmulator, db: Database
) -> None:
    names = [f"Програма {n:02}" for n in range(1, 11)]
    for name in names:
        await make_program(db, name, now=datetime.now(UTC))
    event = await event_in(db, title="Субсидії")
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    fields = await open_edit_from_card(librarian, event.id)
    asked = await tap(librarian, fields, "Програма", "Програма зараз: —")
    assert texts(asked) == [
        *(f"📁 {n}" for n in names[:8]),
        "Далі ▶️",
        "🚫 Без програми",
        "✖️ Скасувати",
    ]
    await librarian.press(asked, text="Далі ▶️")
    turned = await librarian.next_reply()
    assert turned.message_id == asked.message_id and "Програма зараз: —" in turned.text
    assert texts(turned) == [
        *(f"📁 {n}" for n in names[8:]),
        "◀️ Назад",
        "🚫 Без програми",
        "✖️ Скасувати",
    ]
    await tap(librarian, turned, "Програма 10", "✅ Програма: — → Програма 10")
