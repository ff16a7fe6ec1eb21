"""Residents of a library network: «📍 Near me» (nearest first, the location kept
nowhere), the list narrowed to a branch, and news of the branches they chose."""

from __future__ import annotations

import dataclasses
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot import logs
from bot.config import Branch, Config, Place
from emulator import BotApiEmulator, SimUser
from storage.database import Database
from storage.models import Base, Event, Subscription
from tests.e2e.conftest import event_in
from tests.factories import make_person

pytestmark = pytest.mark.usefixtures("app")

BRANCHES = (
    Branch("centre", {"uk": "Центральна бібліотека", "en": "Central library"}),
    Branch("verbivka", {"uk": "Вербівська філія", "en": "Verbivka branch"}),
)
PLACES = (
    Place("hall", {"uk": "Читальна зала", "en": "Reading room"}, branch="centre"),
    Place("near", {"uk": "Клуб", "en": "Club"}, latitude=50.0, longitude=30.0187, branch="centre"),
    Place(
        "middle", {"uk": "Школа", "en": "School"}, latitude=50.05, longitude=30.0, branch="verbivka"
    ),
    Place("far", {"uk": "Ферма", "en": "Farm"}, latitude=50.2, longitude=30.0, branch="verbivka"),
)
# Where the resident is: distinctive digits, to look for them in the database and the log.
HERE = (50.00137, 30.00213)


@pytest.fixture
def bot_config(bot_config: Config) -> Config:
    return dataclasses.replace(bot_config, branches=BRANCHES, places=PLACES)


async def placed(
    db: Database, title: str, *, days: float, place: str | None, branch: str | None
) -> Event:
    event = await event_in(db, days=days, title=title)
    async with db.transaction() as session:
        await session.execute(
            update(Event).where(Event.id == event.id).values(place_key=place, branch_key=branch)
        )
    return event


async def upcoming_list(user: SimUser):  # type: ignore[no-untyped-def]
    await user.send_command("/events")
    return await user.next_reply()


async def every_value_stored(db: Database) -> str:
    """Every row of every table, as text."""
    found = []
    async with db.session() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                found.append(repr(tuple(row)))
    return "\n".join(found)


async def test_near_me_lists_events_nearest_first_and_keeps_the_location_nowhere(
    emu: BotApiEmulator, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    # The log as production holds it (bot/logs.py), but everything else at DEBUG.
    for name in logs._PERSONAL:
        caplog.set_level(logging.INFO, logger=name)
    caplog.set_level(logging.DEBUG)
    await placed(db, "Ферма: сир", days=1, place="far", branch="verbivka")
    await placed(db, "Школа: комп’ютер", days=2, place="middle", branch="verbivka")
    await placed(db, "Клуб: пізніше", days=5, place="near", branch="centre")
    soon = await placed(db, "Клуб: субсидії", days=4, place="near", branch="centre")
    await placed(db, "Зала без мапи", days=1, place="hall", branch="centre")
    await placed(db, "Вільне місце", days=1, place=None, branch=None)

    user = emu.add_user(first_name="Олена", language_code="uk")
    listing = await upcoming_list(user)
    await user.press(listing, text="📍 Поруч зі мною")
    question = await user.next_reply()
    assert "не зберігаю" in question.text
    assert user.reply_keyboard == [
        [{"text": "📍 Надіслати моє місцезнаходження", "request_location": True}],
        [{"text": "✖️ Скасувати"}],
    ]

    await user.share_location(*HERE)
    thanks = await user.next_reply()
    assert thanks.text == "Дякую. Ваше місцезнаходження не збережено."
    assert thanks.reply_markup == {"remove_keyboard": True}
    assert user.reply_keyboard is None
    nearest = await user.next_reply()
    assert nearest.text.startswith("Заходи поруч із вами, спершу найближчі.")
    assert "Ще 2 майбутні заходи не ввійшли до цього списку" in nearest.text
    places = [line for line in nearest.text.splitlines() if line.startswith(("📍", "•"))]
    assert [line.split(" ", 3)[-1] if line.startswith("•") else line for line in places] == [
        "📍 Клуб — 1,2 км",
        "Клуб: субсидії",
        "Клуб: пізніше",
        "📍 Школа — 5,4 км",
        "Школа: комп’ютер",
        "📍 Ферма — 22 км",
        "Ферма: сир",
    ]
    labels = nearest.button_texts
    assert [label.split(" · ")[0] for label in labels[:4]] == [
        "1,2 км",
        "1,2 км",
        "5,4 км",
        "22 км",
    ]
    assert [label.split(" · ")[-1] for label in labels[:4]] == [
        "Клуб: субсидії",  # the same place: the sooner first
        "Клуб: пізніше",
        "Школа: комп’ютер",
        "Ферма: сир",
    ]
    assert labels[4:] == ["📅 Усі заходи", "🏠 Меню"]
    await user.press(nearest, text="Клуб: субсидії")
    card = await user.next_reply()
    assert card.message_id == nearest.message_id and card.text.startswith("Клуб: субсидії")
    assert soon.title in card.text

    stored = await every_value_stored(db)
    assert "50.00137" not in stored and "30.00213" not in stored
    assert "50.0013" not in caplog.text and "30.0021" not in caplog.text
    assert caplog.records  # the log was captured (HTTP requests at DEBUG, at least)


async def test_a_location_sent_without_the_button_gets_the_list_too(
    emu: BotApiEmulator, db: Database
) -> None:
    await placed(db, "Школа: комп’ютер", days=2, place="middle", branch="verbivka")
    user = emu.add_user(first_name="Іван", language_code="uk")
    await user.send_location(*HERE)
    assert "не збережено" in (await user.next_reply()).text
    nearest = await user.next_reply()
    assert nearest.button_texts[0].startswith("5,4 км · ")


async def test_cancel_takes_the_location_button_away_and_shows_the_menu(
    emu: BotApiEmulator, db: Database
) -> None:
    await placed(db, "Школа: комп’ютер", days=2, place="middle", branch="verbivka")
    user = emu.add_user(first_name="Іван", language_code="uk")
    await user.press(await upcoming_list(user), text="📍 Поруч зі мною")
    await user.next_reply()
    await user.press_keyboard("✖️ Скасувати")
    assert (await user.next_reply()).reply_markup == {"remove_keyboard": True}
    assert user.reply_keyboard is None
    menu = await user.next_reply()
    assert "📅 Найближчі заходи" in menu.button_texts


async def test_the_list_narrowed_to_a_branch_and_its_pages_keep_it(
    emu: BotApiEmulator, db: Database
) -> None:
    for day in range(1, 8):
        await placed(db, f"Центр {day}", days=day, place="hall", branch="centre")
    await placed(db, "Вербівка", days=1.5, place="middle", branch="verbivka")
    await placed(db, "Для всіх", days=7.5, place=None, branch=None)
    user = emu.add_user(first_name="Олена", language_code="uk")
    listing = await upcoming_list(user)
    assert "Вербівка" in listing.button_texts[1]  # every branch: 9 events, 2 pages
    await user.press(listing, text="🏢 Вибрати філію")
    choice = await user.next_reply()
    assert choice.button_texts == [
        "Центральна бібліотека",
        "Вербівська філія",
        "✅ Усі філії",
        "🏠 Меню",
    ]
    await user.press(choice, text="Центральна бібліотека")
    first = await user.next_reply()
    assert first.text.startswith("🏢 Філія: Центральна бібліотека (і заходи бібліотеки загалом).")
    assert "Сторінка 1 з 2" in first.text
    assert [t.split(" · ")[-1] for t in first.button_texts[:6]] == [
        f"Центр {d}" for d in range(1, 7)
    ]
    await user.press(first, text="Далі ▶️")
    second = await user.next_reply()
    assert [t.split(" · ")[-1] for t in second.button_texts[:2]] == ["Центр 7", "Для всіх"]
    assert "Сторінка 2 з 2" in second.text
    assert second.text.startswith("🏢 Філія: Центральна бібліотека")
    await user.press(second, text="🏢 Вибрати філію")
    again = await user.next_reply()
    assert again.button_texts[:3] == ["✅ Центральна бібліотека", "Вербівська філія", "Усі філії"]
    await user.press(again, text="Вербівська філія")
    verbivka = await user.next_reply()
    assert [t.split(" · ")[-1] for t in verbivka.button_texts[:2]] == ["Вербівка", "Для всіх"]
    # A forged or removed branch shows every branch's list.
    await user.press_raw(verbivka.message_id, "evb:nowhere:0")
    everything = await user.next_reply()
    assert not everything.text.startswith("🏢")


async def test_subscribing_to_a_branch_on_the_subscriptions_screen(
    emu: BotApiEmulator, db: Database
) -> None:
    user = emu.add_user(first_name="Олена", language_code="uk")
    person = await make_person(db, user.id, now=datetime.now(UTC) - timedelta(days=1))
    await user.send_command("/subscribe")
    screen = await user.next_reply()
    assert "🏢 Виберіть філії" in screen.text
    assert screen.button_texts[-4:] == [
        "🏢 Центральна бібліотека",
        "🏢 Вербівська філія",
        "🏢 Усі філії",  # not subscribed: nothing marked
        "🏠 Меню",
    ]
    await user.press(screen, text="🏢 Вербівська філія")
    chosen = await user.next_reply()
    assert "✅ 🏢 Вербівська філія" in chosen.button_texts
    assert "🏢 Усі філії" in chosen.button_texts
    async with db.session() as session:
        row = await session.get(Subscription, person.id)
        assert row is not None and (row.kinds, row.branches) == ("", "verbivka")
    await user.press(chosen, text="🏢 Усі філії")
    every = await user.next_reply()
    assert "✅ 🏢 Усі філії" in every.button_texts
    async with db.session() as session:
        row = await session.get(Subscription, person.id)
        assert row is not None and row.branches == ""
