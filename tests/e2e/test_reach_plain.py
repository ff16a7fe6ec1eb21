"""A library without branches or mapped places: no branch or «Near me» buttons at all."""

from __future__ import annotations

import dataclasses

import pytest

from bot.config import Config, Place
from emulator import BotApiEmulator
from storage.database import Database
from tests.e2e.conftest import event_in

pytestmark = pytest.mark.usefixtures("app")


@pytest.fixture
def bot_config(bot_config: Config) -> Config:
    # A configured place without coordinates offers no «Near me» either.
    return dataclasses.replace(bot_config, places=(Place("hall", {"en": "Reading room"}),))


async def test_no_new_buttons_and_a_location_gets_the_help(
    emu: BotApiEmulator, db: Database
) -> None:
    for day in range(1, 8):
        await event_in(db, days=day, title=f"Захід {day}")
    user = emu.add_user(first_name="Олена", language_code="uk")
    await user.send_command("/events")
    listing = await user.next_reply()
    assert listing.button_texts[6:] == ["Далі ▶️", "🏠 Меню"]
    assert listing.buttons[6][0].callback_data == "evs:1"
    await user.send_command("/subscribe")
    screen = await user.next_reply()
    assert not any("🏢" in text for text in screen.button_texts) and "🏢" not in screen.text

    await user.send_location(50.0, 30.0)
    help_text = await user.next_reply()
    assert help_text.text.startswith("Я розумію такі команди")
    for forged in ("near", "evbs:*"):
        answer = await user.callback_answer(await user.press_raw(listing.message_id, forged))
        assert answer.show_alert and answer.text
