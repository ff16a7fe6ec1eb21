"""A library with many places: /newevent offers them a page at a time (issue 12)."""

from __future__ import annotations

import dataclasses

import pytest

from bot.config import Config, Place
from bot.services import dialogs
from bot.services.dialogs import NewEvent
from emulator import BotApiEmulator
from storage.database import Database
from tests.e2e.test_places import place_question, question
from tests.factories import LIBRARIAN

pytestmark = [pytest.mark.usefixtures("app"), pytest.mark.staff]


@pytest.fixture
def bot_config(bot_config: Config) -> Config:
    rooms = tuple(
        Place(f"room_{n:02}", {"uk": f"Зала {n:02}", "en": f"Room {n:02}"}, address=f"вул. {n}")
        for n in range(11)
    )
    return dataclasses.replace(bot_config, places=rooms)


async def test_the_places_turn_in_pages_and_one_on_the_last_page_is_taken(
    emu: BotApiEmulator, db: Database
) -> None:
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    asked = await place_question(librarian)
    assert asked.button_texts == [f"📍 Зала {n:02}" for n in range(8)] + [
        "Далі ▶️",
        "✖️ Скасувати",
    ]
    await librarian.press(asked, text="Далі ▶️")
    turned = await librarian.next_reply()
    assert turned.message_id == asked.message_id  # the same question, redrawn
    assert "Де він відбудеться?" in turned.text
    assert turned.button_texts == [
        "📍 Зала 08",
        "📍 Зала 09",
        "📍 Зала 10",
        "◀️ Назад",
        "✖️ Скасувати",
    ]
    await librarian.press(turned, text="📍 Зала 10")
    after = await question(librarian)
    assert "Скільки є місць?" in after.text
    async with db.session() as session:
        form = await dialogs.staff_input(session, LIBRARIAN)
    assert isinstance(form, NewEvent) and form.answers.place == "Зала 10"
