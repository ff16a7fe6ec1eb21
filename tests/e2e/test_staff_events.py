"""The staff's /events and event card, end to end: the real bot against the emulator."""

from __future__ import annotations

import csv
import io
import threading
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select
from telegram.ext import Application

from bot.config import Config
from bot.services import announcements, attendance, registration
from bot.services import staff_events as staff_events_service
from emulator import BotApiEmulator
from emulator.messages import SimMessage
from emulator.users import SimUser
from handlers import staff_events
from storage import people
from storage.database import Database
from storage.models import Event, Notification, StaffMember
from tests.conftest import REMINDERS
from tests.e2e.conftest import Outbox, Updates, event_in
from tests.factories import LIBRARIAN, make_person, queue

pytestmark = [pytest.mark.usefixtures("app"), pytest.mark.staff]
STAFF_ONLY = "Ця команда — для працівників бібліотеки."
KYIV = ZoneInfo("Europe/Kyiv")


async def _register(db: Database, event: Event, user: SimUser | int, name: str) -> None:
    telegram_id = user if isinstance(user, int) else user.user_id
    person = await make_person(db, telegram_id, now=event.created_at, name=name)
    async with db.transaction() as session:
        await registration.register(
            session,
            event_id=event.id,
            person_id=person.id,
            default_reminders=REMINDERS,
            now=datetime.now(UTC),
        )


async def _resident(emu: BotApiEmulator, name: str) -> SimUser:
    """A resident who has opened the chat with the bot (else Telegram refuses to write first)."""
    user = emu.add_user(first_name=name)
    await user.send_command("/start")
    await user.next_reply()
    return user


async def _card(librarian: SimUser, event: Event) -> SimMessage:
    await librarian.send_command("/events")
    listing = await librarian.next_reply()
    await librarian.press(listing, callback_data=f"sev:{event.id}")
    return await librarian.next_reply()


async def _reply_containing(user: SimUser, text: str, attempts: int = 8) -> SimMessage:
    """The first message or edit in the chat that contains ``text``."""
    for _ in range(attempts):
        message = await user.next_reply(timeout=15)
        if text in message.text:
            return message
    raise AssertionError(f"{user.name} never got {text!r}")


async def test_staff_list_counts_a_full_event_and_opens_its_card(
    emu: BotApiEmulator, db: Database
) -> None:
    full = await event_in(db, days=2, capacity=2, title="Легальна зайнятість <для ВПО>")
    draft = await event_in(db, days=5, title="Чернетка тренінгу", status="draft")
    for i, name in enumerate(["Андрій Бондар", "Віра Гнатюк", "Ганна Дорош"]):
        await _register(db, full, 900 + i, name)

    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_command("/events")
    listing = await librarian.next_reply()
    assert listing.text.startswith(
        "Заходи: чернетки, майбутні й ті, що відбулися за останні 7 днів."
    )
    when = full.starts_at.astimezone(KYIV).strftime("%d.%m %H:%M")
    assert (
        f"{full.id} · {when} · Легальна зайнятість <для ВПО>\n"
        "✅ опубліковано · записалися 2 / 2, у черзі 1"
    ) in listing.text
    assert f"{draft.id} · " in listing.text and "📝 чернетка · записалися 0 / 10, у черзі 0" in (
        listing.text
    )
    assert listing.button_texts[:2] == [
        f"{full.id} · {when} · Легальна зайнятість <для ВПО>",
        f"{draft.id} · "
        + draft.starts_at.astimezone(KYIV).strftime("%d.%m %H:%M")
        + " · Чернетка тренінгу",
    ]

    await librarian.press(listing, text=f"{full.id} · {when}")
    card = await librarian.next_reply()
    assert card.message_id == listing.message_id  # the list turns into the card
    assert card.text.startswith("Легальна зайнятість <для ВПО>\nТренінг · № ")
    assert "записалися 2 / 2, у черзі 1, прийшли 0" in card.text
    assert "Нагадування: 1 день, 2 години до початку (як заведено в бібліотеці)" in card.text
    assert card.find_button("Редагувати").callback_data == f"sed:{full.id}"
    assert "Опублікувати" not in " ".join(card.button_texts)

    await librarian.press(card, text="Відвідування")
    sheet = await librarian.next_reply()
    assert "Прийшли: 0 із 2 записаних" in sheet.text
    await librarian.press(sheet, text="Картка заходу")
    card = await librarian.next_reply()
    assert "записалися 2 / 2, у черзі 1, прийшли 0" in card.text

    await librarian.press(card, text="Усі заходи")
    listing = await librarian.next_reply()
    await librarian.press(listing, text="Як бачать мешканці")
    residents_view = await librarian.next_reply()
    assert residents_view.text.startswith("Найближчі заходи")
    assert "Чернетка тренінгу" not in " ".join(residents_view.button_texts)

    resident = emu.add_user(first_name="Мешканка")
    await resident.send_command("/events")
    assert (await resident.next_reply()).text.startswith("Найближчі заходи")


async def test_staff_list_turns_pages_back_and_forth(emu: BotApiEmulator, db: Database) -> None:
    for i in range(staff_events_service.PAGE_SIZE + 1):
        await event_in(db, days=1 + i, title=f"Тренінг №{i + 1}")
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_command("/events")
    first = await librarian.next_reply()
    assert "Сторінка 1 з 2" in first.text and "Назад" not in " ".join(first.button_texts)
    await librarian.press(first, text="Далі")
    second = await librarian.next_reply()
    assert second.message_id == first.message_id and "Сторінка 2 з 2" in second.text
    assert "Тренінг №9" in second.text and "Далі" not in " ".join(second.button_texts)
    await librarian.press(second, text="Назад")
    back = await librarian.next_reply()
    assert "Сторінка 1 з 2" in back.text and "Тренінг №1" in back.text


async def test_publishing_a_draft_shows_it_to_residents(emu: BotApiEmulator, db: Database) -> None:
    draft = await event_in(db, days=3, title="Цифрова грамотність", status="draft")
    resident = emu.add_user(first_name="Мешканка")
    await resident.send_command(f"/start event_{draft.id}")
    assert (await resident.next_reply()).text == "Такого заходу не знайдено."

    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    card = await _card(librarian, draft)
    assert "📝 чернетка" in card.text
    assert "Розіслати підписникам" not in " ".join(card.button_texts)
    query = await librarian.press(card, text="Опублікувати")
    assert (await librarian.callback_answer(query))["text"].startswith(
        "Опубліковано: мешканці бачать захід і можуть записатися."
    )
    card = await librarian.next_reply()
    assert "✅ опубліковано" in card.text
    assert "Розіслати підписникам" in " ".join(card.button_texts)

    await resident.send_command(f"/start event_{draft.id}")
    seen = await resident.next_reply()
    assert seen.text.startswith("Цифрова грамотність")
    assert "Записатися" in " ".join(seen.button_texts)


async def test_a_draft_is_deleted_after_asking_and_a_published_event_is_not(
    emu: BotApiEmulator, db: Database
) -> None:
    draft = await event_in(db, days=3, title="Чернетка тренінгу", status="draft")
    published = await event_in(db, days=3, title="Опублікований тренінг")
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    card = await _card(librarian, draft)
    await librarian.press(card, text="Видалити чернетку")
    question = await librarian.next_reply()
    assert question.text == (
        "Видалити чернетку «Чернетка тренінгу»? Мешканці її не бачили, тож нікому нічого не "
        "надішлемо. Цю дію не можна відмінити."
    )
    await librarian.press(question, text="Ні, залишити")
    card = await librarian.next_reply()
    assert "📝 чернетка" in card.text
    await librarian.press(card, text="Видалити чернетку")
    question = await librarian.next_reply()
    query = await librarian.press(question, text="Так, видалити чернетку")
    assert (await librarian.callback_answer(query))["text"] == (
        "Чернетку «Чернетка тренінгу» видалено."
    )
    listing = await librarian.next_reply()
    assert "Чернетка тренінгу" not in listing.text and "Опублікований тренінг" in listing.text
    async with db.session() as session:
        assert await session.get(Event, draft.id) is None

    # Pressed again, and forged for a published event: refused, nothing deleted.
    query = await librarian.press_raw(question.message_id, f"sdx:{draft.id}")
    assert (await librarian.callback_answer(query))["text"] == "Такого заходу не знайдено."
    card = await _card(librarian, published)
    assert "Видалити чернетку" not in " ".join(card.button_texts)
    query = await librarian.press_raw(card.message_id, f"sdx:{published.id}")
    assert (await librarian.callback_answer(query))["text"] == (
        "Видалити можна лише чернетку; опублікований захід можна скасувати."
    )
    async with db.session() as session:
        assert await session.get(Event, published.id) is not None


async def test_cancelling_asks_first_then_tells_the_registrants(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, days=2, title="Субсидії для пенсіонерів")
    resident = await _resident(emu, "Ганна")
    await _register(db, event, resident, "Ганна Дорош")
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    card = await _card(librarian, event)

    await librarian.press(card, text="Скасувати захід")
    question = await librarian.next_reply()
    assert question.text == (
        "Скасувати «Субсидії для пенсіонерів»? Цю дію не можна відмінити.\n"
        "Повідомлення отримає 1 особа із записаних і тих, хто в черзі."
    )
    await librarian.press(question, text="Ні, залишити")
    card = await librarian.next_reply()
    assert "✅ опубліковано" in card.text

    await librarian.press(card, text="Скасувати захід")
    question = await librarian.next_reply()
    query = await librarian.press(question, text="Так, скасувати захід")
    assert (await librarian.callback_answer(query))["text"] == (
        "Захід скасовано; повідомлення отримає 1 особа."
    )
    card = await librarian.next_reply()
    assert "❌ скасовано" in card.text
    assert card.button_texts == ["📄 Записані (CSV)", "📊 Записані (XLSX)", "⬅️ Усі заходи"]
    notice = await resident.next_reply(timeout=15)
    assert notice.text.startswith("❌ На жаль, захід Субсидії для пенсіонерів")

    # The confirmation pressed again (a second tap, or another librarian's screen).
    query = await librarian.press_raw(question.message_id, f"secx:{event.id}")
    assert (await librarian.callback_answer(query))["text"] == "Цей захід скасовано."


async def test_announcing_follows_delivery_to_n_of_n_and_twice_sends_nothing_new(
    emu: BotApiEmulator,
    db: Database,
    bot_config: Config,
    app: Application,  # type: ignore[type-arg]
    updates: Updates,
    outbox: Outbox,
) -> None:
    event = await event_in(db, days=4, title="Працевлаштування переселенців", kind="seminar")
    subscribers = [await _resident(emu, f"Підписник {i}") for i in range(3)]
    kinds = [k.key for k in bot_config.event_kinds]
    for user in subscribers:
        async with db.transaction() as session:
            await announcements.choose(
                session, user.user_id, "*", known_kinds=kinds, now=datetime.now(UTC)
            )

    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    card = await _card(librarian, event)
    await librarian.press(card, text="Розіслати підписникам")
    progress = await librarian.next_reply()
    assert progress.text.startswith("Працевлаштування переселенців\n📣 Розсилка: надіслано ")
    assert progress.text.endswith(" / 3\n⏳ Надсилаю…")
    done = await _reply_containing(librarian, "надіслано 3 / 3")
    assert done.message_id == progress.message_id  # the same message, edited
    assert done.text.endswith("✅ Готово.")
    assert done.edits <= 3  # edited only when the figures changed
    for user in subscribers:
        assert (await user.next_reply(timeout=15)).text.startswith("📣 Новий захід!")
    assert app.job_queue is not None
    assert not app.job_queue.get_jobs_by_name(f"announce-progress:{LIBRARIAN}:{event.id}")

    card = await _card(librarian, event)
    assert "📣 Розсилка: надіслано 3 / 3" in card.text
    await librarian.press(card, text="Розіслати підписникам")
    again = await librarian.next_reply()
    assert again.message_id != progress.message_id
    assert again.text == ("Працевлаштування переселенців\n📣 Розсилка: надіслано 3 / 3\n✅ Готово.")
    # The press is handled and the outbox has looked since: nothing new went out.
    await updates.idle(app, emu)
    await outbox.full_pass(app)
    for user in subscribers:
        await user.expect_silence(0.1)  # short: all that could send has finished
    async with db.session() as session:
        rows = (await session.execute(select(Notification.status))).scalars().all()
    assert rows == ["sent"] * 3


async def test_registrants_as_csv_and_xlsx_with_formulas_kept_as_text(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, days=1, capacity=2, title="Електронні послуги")
    names = ["Андрій Бондар", '=HYPERLINK("http://evil.example","Віра")', "Ганна Дорош"]
    for i, name in enumerate(names):
        await _register(db, event, 900 + i, name)
    async with db.transaction() as session:
        person_id = (await make_person(db, 900, now=event.created_at, name=names[0])).id
        await attendance.mark(session, event_id=event.id, person_id=person_id, came=True)

    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    card = await _card(librarian, event)
    await librarian.press(card, text="Записані (CSV)")
    sent = await librarian.next_reply()
    assert sent.document is not None
    assert sent.document.file_name == f"event-{event.id}-registrants.csv"
    assert sent.text.startswith("Записані на «Електронні послуги»: записалися 2, у черзі 1.")
    assert sent.document.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(sent.document.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Ім’я", "Телефон", "Категорія", "Статус", "Час запису", "Прийшли"]
    assert [(r[0], r[1], r[2], r[3], r[5]) for r in rows[1:]] == [
        ("Андрій Бондар", "", "Користувачі бібліотеки", "має місце", "так"),
        ("'" + names[1], "", "Користувачі бібліотеки", "має місце", ""),
        ("Ганна Дорош", "", "Користувачі бібліотеки", "у черзі", ""),
    ]
    registered_at = datetime.strptime(rows[1][4], "%d.%m.%Y %H:%M").replace(tzinfo=KYIV)
    assert abs(registered_at - datetime.now(UTC)) < timedelta(minutes=5)

    await librarian.press(card, text="Записані (XLSX)")
    sent = await librarian.next_reply()
    assert sent.document is not None
    assert sent.document.file_name == f"event-{event.id}-registrants.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(sent.document.data)).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["Ім’я", "Телефон", "Категорія", "Статус", "Час запису", "Прийшли"]
    assert [row[0] for row in values[1:]] == names
    assert sheet["A3"].data_type == "s"  # text, never a formula
    assert sheet["A3"].quotePrefix
    assert isinstance(values[1][4], datetime)
    assert values[1][5] == "так" and values[3][3] == "у черзі"


async def test_the_poster_is_an_a4_png_whose_qr_code_opens_the_event(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(
        db,
        days=3,
        title="Навчаємось вираховувати житлову субсидію та пільги: покрокова інструкція для "
        "пенсіонерів і внутрішньо переміщених осіб з прикладами заповнення заяв",
    )
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    card = await _card(librarian, event)
    await librarian.press(card, text="Афіша")
    sent = await librarian.next_reply()
    assert sent.document is not None and sent.document.file_name == f"event-{event.id}-poster.png"
    image = Image.open(io.BytesIO(sent.document.data))
    assert (image.format, image.size) == ("PNG", (1240, 1754))
    link = f"https://t.me/{emu.bot_user['username']}?start=event_{event.id}"
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [link]

    resident = emu.add_user(first_name="Мешканка")
    await resident.send_command(f"/start event_{event.id}")  # what scanning the code does
    assert (await resident.next_reply()).text.startswith("Навчаємось вираховувати")


async def test_every_card_button_is_refused_to_residents_and_forged_ids_get_a_polite_answer(
    emu: BotApiEmulator,
    db: Database,
    app: Application,  # type: ignore[type-arg]
    updates: Updates,
) -> None:
    event = await event_in(db, days=2, title="Субсидії")
    draft = await event_in(db, days=2, title="Чернетка", status="draft")
    resident = emu.add_user(first_name="Мешканка")
    await _register(db, event, resident, "Олена Петренко")
    await resident.send_command("/start")
    menu = await resident.next_reply()
    for forged in (
        "sevs:0",
        f"sev:{event.id}",
        f"sepb:{draft.id}",
        f"secq:{event.id}",
        f"secx:{event.id}",
        f"sean:{event.id}",
        f"serg:{event.id}:c",
        f"serg:{event.id}:x",
        f"sept:{event.id}",
    ):
        query = await resident.press_raw(menu.message_id, forged)
        assert (await resident.callback_answer(query))["text"] == STAFF_ONLY, forged
    await updates.idle(app, emu)  # every press handled to its end
    await resident.expect_silence(0.1)  # no file, no list, no card (short: the bot is idle)
    async with db.session() as session:
        statuses = dict((await session.execute(select(Event.id, Event.status))).all())
    assert statuses == {event.id: "published", draft.id: "draft"}

    # A staff member added in Telegram (not an administrator) has the same card.
    async with db.transaction() as session:
        session.add(StaffMember(telegram_id=555, added_by=LIBRARIAN, added_at=datetime.now(UTC)))
    librarian = emu.add_user(first_name="Бібліотекар", user_id=555)
    card = await _card(librarian, event)
    missing = draft.id + 1000
    for forged in (f"sev:{missing}", f"sepb:{missing}", f"serg:{missing}:x", f"sept:{missing}"):
        query = await librarian.press_raw(card.message_id, forged)
        assert (await librarian.callback_answer(query))["text"] == "Такого заходу не знайдено."
    query = await librarian.press_raw(card.message_id, f"sean:{draft.id}")
    assert (await librarian.callback_answer(query))["text"] == (
        "Захід — чернетка: спершу опублікуйте його."
    )
    await updates.idle(app, emu)
    await librarian.expect_silence(0.1)  # short: the bot is idle


async def test_the_progress_message_is_edited_only_when_the_figures_change(
    emu: BotApiEmulator, db: Database, bot_config: Config
) -> None:
    event = await event_in(db, days=4, title="Основи кібербезпеки")
    subscribers = [await _resident(emu, f"Підписник {i}") for i in range(3)]
    kinds = [k.key for k in bot_config.event_kinds]
    # Already queued, due in a few seconds: the watch sees the same figures for a while.
    due = datetime.now(UTC) + timedelta(seconds=6)
    for user in subscribers:
        async with db.transaction() as session:
            await announcements.choose(
                session, user.user_id, "*", known_kinds=kinds, now=datetime.now(UTC)
            )
            person = await people.by_telegram_id(session, user.user_id)
            assert person is not None
        await queue(db, events=[event], person_id=person.id, kind="announcement", due=due)

    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    card = await _card(librarian, event)
    await librarian.press(card, text="Розіслати підписникам")
    progress = await librarian.next_reply()
    assert progress.text.endswith("надіслано 0 / 3\n⏳ Надсилаю…")
    done = await _reply_containing(librarian, "надіслано 3 / 3")
    assert done.text.endswith("✅ Готово.")
    edits = [
        r
        for r in emu.requests_for("editMessageText")
        if int(r.params["message_id"]) == progress.message_id
    ]
    # 0 → some → 3 sent: never an edit that would change nothing.
    assert 1 <= len(edits) <= 3 and len(edits) == done.edits
    for user in subscribers:
        assert (await user.next_reply(timeout=15)).text.startswith("📣 Новий захід!")


async def test_the_watch_gives_up_after_its_time_limit_and_says_where_to_look(
    emu: BotApiEmulator,
    db: Database,
    bot_config: Config,
    app: Application,  # type: ignore[type-arg]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from handlers import announce_progress

    monkeypatch.setattr(announce_progress, "TIME_LIMIT", 0.0)
    event = await event_in(db, days=4, title="Основи кібербезпеки")
    user = await _resident(emu, "Підписниця")
    async with db.transaction() as session:
        await announcements.choose(
            session, user.user_id, "*", known_kinds=["training"], now=datetime.now(UTC)
        )
        person = await people.by_telegram_id(session, user.user_id)
        assert person is not None
    later = datetime.now(UTC) + timedelta(minutes=5)
    await queue(db, events=[event], person_id=person.id, kind="announcement", due=later)

    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    card = await _card(librarian, event)
    await librarian.press(card, text="Розіслати підписникам")
    progress = await librarian.next_reply()
    final = await librarian.next_reply()
    assert final.message_id == progress.message_id
    assert final.text == (
        "Основи кібербезпеки\n📣 Розсилка: надіслано 0 / 1\n"
        "Ще надсилаю; актуальні цифри — на картці заходу."
    )
    assert app.job_queue is not None
    assert not app.job_queue.get_jobs_by_name(f"announce-progress:{LIBRARIAN}:{event.id}")


async def test_registrants_files_are_built_off_the_event_loop(
    emu: BotApiEmulator, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Thousands of registrants take seconds to write: the bot keeps answering others."""
    built_in: list[str] = []
    for name in ("registrants_csv", "registrants_xlsx"):
        original = getattr(staff_events, name)

        def recording(*args: object, _original: Any = original) -> bytes:
            built_in.append(threading.current_thread().name)
            return _original(*args)  # type: ignore[no-any-return]

        monkeypatch.setattr(staff_events, name, recording)
    event = await event_in(db, days=1, title="Електронні послуги")
    await _register(db, event, 900, "Андрій Бондар")
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    card = await _card(librarian, event)
    for button in ("Записані (CSV)", "Записані (XLSX)"):
        await librarian.press(card, text=button)
        assert (await librarian.next_reply()).document is not None
    assert len(built_in) == 2
    assert threading.main_thread().name not in built_in
