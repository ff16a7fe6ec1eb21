"""Places in Telegram (issue 12): /newevent chooses a configured place by button or by
name, branch staff are offered their branch's places only, the resident's card shows the
address and «📍 Як дістатися» sends the place on a map."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update
from telegram.ext import Application

from bot.config import Config
from bot.services import registration
from emulator import BotApiEmulator, SimUser
from emulator.messages import SimMessage
from storage.database import Database
from storage.models import Event, StaffMember
from tests.conftest import REMINDERS
from tests.e2e.conftest import Updates, event_in
from tests.e2e.test_new_event import answer, question, tap
from tests.factories import LIBRARIAN, make_person
from tests.places import with_places

pytestmark = [pytest.mark.usefixtures("app"), pytest.mark.staff]
KYIV = ZoneInfo("Europe/Kyiv")
VILLAGE_LIBRARIAN = 4242
NOT_AVAILABLE = "Ця кнопка вже не діє."


@pytest.fixture
def bot_config(bot_config: Config) -> Config:
    return with_places(bot_config)


async def place_question(user: SimUser) -> SimMessage:
    """/newevent answered up to the place."""
    day = (datetime.now(UTC).astimezone(KYIV) + timedelta(days=30)).strftime("%d.%m.%Y")
    await user.send_command("/newevent")
    await question(user)  # what is about to happen
    await question(user)  # the title
    kinds = await answer(user, "Легальна зайнятість", "Який це вид заходу?")
    await tap(user, kinds, "Семінар", "Якого дня?")
    await answer(user, day, "О котрій")
    durations = await answer(user, "11:00", "Скільки він триває?")
    repeat = await tap(user, durations, "1 год 30 хв", "Повторювати?")
    return await tap(user, repeat, "Ні", "Де він відбудеться?")


async def test_a_place_chosen_by_button_shows_its_address_and_its_map(
    emu: BotApiEmulator, db: Database
) -> None:
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    asked = await place_question(librarian)
    # An administrator is offered every branch's places, and may still write one.
    assert "Натисніть місце або напишіть інше" in asked.text
    assert asked.button_texts == [
        "📍 Читальна зала ЦРБ",
        "📍 Вербівка, бібліотека-філія",
        "✖️ Скасувати",
    ]
    after = await tap(librarian, asked, "📍 Читальна зала ЦРБ", "Скільки є місць?")
    await _publish(librarian, after)
    event = await _the_event(db)
    assert (event.place, event.place_key, event.branch_key) == (
        "Читальна зала ЦРБ",
        "reading_room",
        "central",
    )

    resident = emu.add_user(first_name="Онука")
    await make_person(db, resident.user_id, now=datetime.now(UTC))
    await resident.send_command(f"/start event_{event.id}")
    card = await resident.next_reply()
    assert "📍 Читальна зала ЦРБ\n🏠 вул. Шевченка, 12" in card.text
    await resident.press(card, text="📍 Як дістатися")
    venue = await resident.next_reply()
    assert venue.venue is not None
    assert (venue.venue.latitude, venue.venue.longitude) == (49.533, 26.953)
    assert (venue.venue.title, venue.venue.address) == ("Читальна зала ЦРБ", "вул. Шевченка, 12")


async def test_a_place_typed_by_name_is_the_configured_one(
    emu: BotApiEmulator, db: Database
) -> None:
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await place_question(librarian)
    after = await answer(librarian, "verbivka branch LIBRARY", "Скільки є місць?")
    await _publish(librarian, after)
    event = await _the_event(db)
    assert (event.place, event.place_key, event.branch_key) == (
        "Вербівка, бібліотека-філія",
        "verbivka_club",
        "verbivka",
    )


async def test_a_branchs_librarian_is_offered_only_the_branchs_places(
    emu: BotApiEmulator, db: Database
) -> None:
    await _village_librarian(db)
    librarian = emu.add_user(first_name="Марія", user_id=VILLAGE_LIBRARIAN)
    asked = await place_question(librarian)
    assert asked.button_texts == ["📍 Вербівка, бібліотека-філія", "✖️ Скасувати"]
    # Another branch's place: neither a forged button nor its name is taken.
    query = await librarian.press_raw(asked.message_id, "ne:place:reading_room")
    assert (await librarian.callback_answer(query))["text"] == NOT_AVAILABLE
    again = await answer(librarian, "Читальна зала ЦРБ", "належить іншій філії")
    assert "Де він відбудеться?" in again.text
    # A place of this event only belongs to the librarian's branch.
    after = await answer(librarian, "Клуб на Садовій", "Скільки є місць?")
    await _publish(librarian, after)
    event = await _the_event(db)
    assert (event.place, event.place_key, event.branch_key) == (
        "Клуб на Садовій",
        None,
        "verbivka",
    )


async def test_no_map_for_a_place_without_coordinates_or_a_one_off_place(
    emu: BotApiEmulator,
    db: Database,
    app: Application,  # type: ignore[type-arg]
    updates: Updates,
) -> None:
    village = await event_in(db, title="У Вербівці")
    typed = await event_in(db, title="Деінде")
    async with db.transaction() as session:
        await session.execute(
            update(Event)
            .where(Event.id == village.id)
            .values(place="Вербівка, бібліотека-філія", place_key="verbivka_club")
        )
    resident = emu.add_user(first_name="Онука")
    for event in (village, typed):
        await resident.send_command(f"/start event_{event.id}")
        card = await resident.next_reply()
        assert not any("Як дістатися" in text for text in card.button_texts)
    # A button for a place that has no coordinates (an old card, a forged button).
    query = await resident.press_raw(card.message_id, f"vn:{village.id}")
    assert (await resident.callback_answer(query))["text"] == NOT_AVAILABLE
    await updates.idle(app, emu)
    assert [m.kind for m in resident.messages] == ["text", "text"]  # the two cards


async def _publish(user: SimUser, after_place: SimMessage) -> None:
    audience = await answer(user, "20", "Для кого він?")
    programs = await tap(user, audience, "Пропустити", "До якої програми")
    description = await tap(user, programs, "Пропустити", "Кілька слів")
    reminders = await tap(user, description, "Пропустити", "Коли нагадати")
    preview = await tap(user, reminders, "Як у бібліотеці", "Попередній перегляд")
    await tap(user, preview, "Опублікувати", "✅ Опубліковано")


async def _the_event(db: Database) -> Event:
    async with db.session() as session:
        return (await session.execute(select(Event))).scalar_one()


async def test_editing_the_place_by_button_keys_it_and_registrants_get_the_address(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, title="Субсидії")
    resident = emu.add_user(first_name="Оксана")
    await resident.send_command("/start")
    await resident.next_reply()
    person = await make_person(db, resident.user_id, now=event.created_at)
    async with db.transaction() as session:
        await registration.register(
            session,
            event_id=event.id,
            person_id=person.id,
            default_reminders=REMINDERS,
            now=datetime.now(UTC),
        )
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_command("/start")
    menu = await librarian.next_reply()
    await librarian.press_raw(menu.message_id, f"sef:{event.id}:place")
    asked = await question(librarian)
    assert "Місце зараз: Читальна зала" in asked.text
    assert asked.button_texts[:2] == ["📍 Читальна зала ЦРБ", "📍 Вербівка, бібліотека-філія"]
    done = await tap(
        librarian,
        asked,
        "📍 Вербівка, бібліотека-філія",
        "✅ Місце: Читальна зала → Вербівка, бібліотека-філія",
    )
    assert "1 записаній людині повідомлять про зміну." in done.text
    notice = await resident.next_reply(timeout=15)
    assert "Вербівка, бібліотека-філія" in notice.text and "Читальна зала" in notice.text
    assert "🏠 с. Вербівка, вул. Центральна, 3" in notice.text
    async with db.session() as session:
        stored = await session.get(Event, event.id)
    assert stored is not None
    assert (stored.place_key, stored.branch_key) == ("verbivka_club", "verbivka")


async def test_a_csv_naming_a_place_imports_it_keyed_and_a_branch_cannot_use_anothers(
    emu: BotApiEmulator, db: Database
) -> None:
    day = (datetime.now(UTC).astimezone(KYIV) + timedelta(days=5)).strftime("%d.%m.%Y")
    header = "title,kind,starts_at,ends_at,place,capacity,audience,program,description"
    data = f"{header}\nСубсидії,training,{day} 14:00,,Читальна зала ЦРБ,,,,\n".encode()
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_document(data, "заходи.csv")
    assert (await librarian.next_reply()).text.startswith("Імпортовано 1 захід:")
    event = await _the_event(db)
    assert (event.place_key, event.branch_key) == ("reading_room", "central")

    await _village_librarian(db)
    village = emu.add_user(first_name="Марія", user_id=VILLAGE_LIBRARIAN)
    other = f"{header}\nПенсії,training,{day} 15:00,,reading_room,,,,\n".encode()
    await village.send_document(other, "заходи.csv")
    refused = (await village.next_reply()).text
    assert "рядок 2, place: «reading_room» — місце іншої філії" in refused
    async with db.session() as session:
        assert len((await session.execute(select(Event))).all()) == 1


async def _village_librarian(db: Database) -> None:
    async with db.transaction() as session:
        session.add(
            StaffMember(
                telegram_id=VILLAGE_LIBRARIAN,
                name="Вербівка",
                added_by=LIBRARIAN,
                added_at=datetime.now(UTC),
                branch_key="verbivka",
            )
        )
