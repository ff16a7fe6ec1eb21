"""Checking in at the door (issue 12): the event's door QR code, scanned by residents,
end to end: the real bot against the emulator and a real database."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import func, select

from bot.services import door, event_admin, registration
from emulator import BotApiEmulator
from emulator.users import SimUser
from storage.database import Database
from storage.models import DoorWalkIn, Event, Registration, WalkIn
from tests.conftest import REMINDERS
from tests.e2e.conftest import event_in
from tests.factories import LIBRARIAN, make_person

pytestmark = [pytest.mark.usefixtures("app"), pytest.mark.staff]

SOON = 10 / (24 * 60)  # an event starting in ten minutes: its door is open


async def _code(db: Database, event: Event, *, replace: bool = False) -> str:
    async with db.transaction() as session:
        made = await door.door_code(
            session, event_id=event.id, replace=replace, now=datetime.now(UTC)
        )
    return made.token


async def _registered(db: Database, event: Event, user: SimUser) -> None:
    person = await make_person(db, user.user_id, now=datetime.now(UTC))
    async with db.transaction() as session:
        await registration.register(
            session,
            event_id=event.id,
            person_id=person.id,
            default_reminders=REMINDERS,
            now=datetime.now(UTC),
        )


async def _scan(user: SimUser, token: str) -> str:
    """What scanning the door code does: Telegram sends /start with the code."""
    await user.send_command(f"/start door_{token}")
    return (await user.next_reply()).text


async def _attended(db: Database, event: Event) -> list[bool | None]:
    async with db.session() as session:
        rows = await session.execute(
            select(Registration.attended).where(Registration.event_id == event.id)
        )
        return list(rows.scalars())


async def _walk_ins(db: Database, event: Event) -> dict[str, int]:
    async with db.session() as session:
        rows = await session.execute(
            select(WalkIn.category, WalkIn.count).where(WalkIn.event_id == event.id)
        )
        return {category: count for category, count in rows.all()}


async def test_a_registered_resident_is_marked_present_once(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, days=SOON, title="Легальна зайнятість")
    token = await _code(db, event)
    resident = emu.add_user(first_name="Олена")
    await _registered(db, event, resident)
    assert await _scan(resident, token) == (
        "✅ Вітаємо на заході «Легальна зайнятість»! Ви відмічені як присутні."
    )
    assert await _attended(db, event) == [True]
    again = await _scan(resident, token)  # scanning twice counts once
    assert again.startswith("Ви вже відмічені як присутні")
    assert await _attended(db, event) == [True] and await _walk_ins(db, event) == {}


async def test_someone_not_registered_is_one_walk_in_of_their_category(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, days=SOON, title="Електронні послуги")
    token = await _code(db, event)
    reader = emu.add_user(first_name="Петро")  # a profile, no registration
    await make_person(db, reader.user_id, now=datetime.now(UTC))
    assert "Вас враховано серед учасників" in await _scan(reader, token)
    assert "Вас уже враховано" in await _scan(reader, token)
    assert await _walk_ins(db, event) == {"library_users": 1}
    assert await _attended(db, event) == []  # no registration was made for them


async def test_a_newcomer_chooses_a_category_once_and_is_counted_once(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, days=SOON, title="Субсидії")
    token = await _code(db, event)
    newcomer = emu.add_user(first_name="Марія")
    await newcomer.send_command(f"/start door_{token}")
    question = await newcomer.next_reply()
    assert "оберіть, будь ласка, до якої групи ви належите" in question.text
    await newcomer.press(question, text="Користувачі бібліотеки")
    assert "Вас враховано серед учасників" in (await newcomer.next_reply()).text
    # The same answer again, as a second tap on the old button would send it.
    await newcomer.press_raw(question.message_id, f"dci:{token}:library_users")
    assert "Вас уже враховано" in (await newcomer.next_reply()).text
    assert await _walk_ins(db, event) == {"library_users": 1}
    # Nothing about them but that they came (and their category, on their profile).
    async with db.session() as session:
        (count,) = (await session.execute(select(func.count()).select_from(DoorWalkIn))).one()
    assert count == 1


async def test_the_category_chosen_at_the_door_is_not_asked_again(
    emu: BotApiEmulator, db: Database
) -> None:
    """A walk-in's category goes to their profile: the next event's door and their first
    sign-up take it from there."""
    first = await event_in(db, days=SOON, title="Субсидії")
    second = await event_in(db, days=SOON, title="Легальна зайнятість")
    later = await event_in(db, days=3, title="Смартфон для початківців")
    newcomer = emu.add_user(first_name="Марія")
    await newcomer.send_command(f"/start door_{await _code(db, first)}")
    await newcomer.press(await newcomer.next_reply(), text="Внутрішньо переміщені особи")
    assert "Вас враховано серед учасників" in (await newcomer.next_reply()).text

    assert "Вас враховано серед учасників" in await _scan(newcomer, await _code(db, second))
    assert await _walk_ins(db, second) == {"idp": 1}

    await newcomer.send_command(f"/start event_{later.id}")
    await newcomer.press(await newcomer.next_reply(), text="Записатися")
    assert "ваше ім’я та прізвище" in (await newcomer.next_reply()).text
    await newcomer.send_text("Марія Коваль")
    asked = (await newcomer.next_reply()).text
    while not asked.startswith(("Хто ви?", "Залишите номер телефону")):
        asked = (await newcomer.next_reply()).text
    assert asked.startswith("Залишите номер телефону")  # the category is not asked


async def test_outside_the_window_nothing_is_counted(emu: BotApiEmulator, db: Database) -> None:
    tomorrow = await event_in(db, days=1, title="Завтрашній тренінг")
    over = await event_in(db, days=-0.2, title="Вчорашній семінар")  # began ~5 h ago
    resident = emu.add_user(first_name="Олена")
    await _registered(db, tomorrow, resident)
    early = await _scan(resident, await _code(db, tomorrow))
    assert early.startswith("Відмітитися на заході «Завтрашній тренінг» можна буде з")
    late = await _scan(resident, await _code(db, over))
    assert late.startswith("Захід «Вчорашній семінар» уже завершився")
    assert await _attended(db, tomorrow) == [None]
    assert await _walk_ins(db, over) == {}


async def test_a_replaced_code_no_longer_works_and_the_new_one_does(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, days=SOON, title="Бібліотека і громада")
    old = await _code(db, event)
    new = await _code(db, event, replace=True)
    assert new != old
    resident = emu.add_user(first_name="Олена")
    await _registered(db, event, resident)
    assert (await _scan(resident, old)).startswith("Цей код для входу не діє")
    assert await _attended(db, event) == [None]
    assert "Ви відмічені як присутні" in await _scan(resident, new)
    # A made-up code, one cut short, and a forged category button with a made-up code.
    assert (await _scan(resident, "A" * 16)).startswith("Цей код для входу не діє")
    assert (await _scan(resident, new[:10])).startswith("Цей код для входу не діє")
    newcomer = emu.add_user(first_name="Марія")
    await newcomer.send_command("/start")
    greeting = await newcomer.next_reply()
    query = await newcomer.press_raw(greeting.message_id, f"dci:{'B' * 16}:library_users")
    await newcomer.callback_answer(query)
    assert (await newcomer.next_reply()).text.startswith("Цей код для входу не діє")
    assert await _walk_ins(db, event) == {}


async def test_staff_print_the_code_from_the_card_and_replace_it(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, days=SOON, title="Навчаємось пошуку нормативних документів")
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_command("/events")
    listing = await librarian.next_reply()
    await librarian.press(listing, callback_data=f"sev:{event.id}")
    card = await librarian.next_reply()
    await librarian.press(card, text="Код для входу (QR)")
    sent = await librarian.next_reply()
    assert sent.document is not None and sent.document.file_name == f"event-{event.id}-door.png"
    assert "Код для входу на «Навчаємось пошуку нормативних документів»" in sent.text
    assert "зареєстрованих, хто його відсканує, буде відмічено як присутніх" in sent.text
    image = Image.open(io.BytesIO(sent.document.data))
    (link,) = [r.text for r in zxingcpp.read_barcodes(image)]
    prefix = f"https://t.me/{emu.bot_user['username']}?start=door_"
    assert link.startswith(prefix)
    first = link.removeprefix(prefix)

    await librarian.press(sent, text="Новий код (старий перестане діяти)")
    replaced = await librarian.next_reply()
    assert replaced.text.startswith("Новий код готовий; старий більше не діє.")
    assert replaced.document is not None
    (new_link,) = [
        r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(replaced.document.data)))
    ]
    assert new_link != link

    resident = emu.add_user(first_name="Олена")
    await _registered(db, event, resident)
    assert (await _scan(resident, first)).startswith("Цей код для входу не діє")
    assert "Ви відмічені як присутні" in await _scan(resident, new_link.removeprefix(prefix))


async def test_residents_cannot_get_or_replace_a_door_code(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, days=SOON)
    token = await _code(db, event)
    resident = emu.add_user(first_name="Олена")
    await resident.send_command("/start")
    greeting = await resident.next_reply()
    for data in (f"sdc:{event.id}", f"sdn:{event.id}"):
        query = await resident.press_raw(greeting.message_id, data)
        assert "працівників бібліотеки" in (await resident.callback_answer(query))["text"]
    assert await _code(db, event) == token  # not replaced


async def test_the_code_of_a_cancelled_event_says_it_is_cancelled(
    emu: BotApiEmulator, db: Database
) -> None:
    """The printout is still by the door, the event is off: the resident is told that,
    not that the code may have been replaced; nobody is counted."""
    event = await event_in(db, days=SOON, title="Фінансова грамотність")
    token = await _code(db, event)
    async with db.transaction() as session:
        await event_admin.cancel_event(session, event.id, now=datetime.now(UTC))
    resident = emu.add_user(first_name="Олена")
    assert await _scan(resident, token) == "Цей захід скасовано."
    assert await _walk_ins(db, event) == {}
