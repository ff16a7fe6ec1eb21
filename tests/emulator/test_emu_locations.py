"""Locations: a user sends one, or taps a reply keyboard's location button."""

from __future__ import annotations

import pytest
import telegram
from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove

from emulator import BotApiEmulator, SimUser


async def _locations(bot: telegram.Bot) -> list[tuple[float, float]]:
    return [
        (u.message.location.latitude, u.message.location.longitude)
        for u in await bot.get_updates()
        if u.message is not None and u.message.location is not None
    ]


async def test_a_location_from_the_attachment_menu(bot: telegram.Bot, emu: BotApiEmulator) -> None:
    user = emu.add_user()
    await user.send_location(50.4501, 30.5234)
    assert await _locations(bot) == [(50.4501, 30.5234)]
    with pytest.raises(ValueError):
        await user.send_location(91.0, 0.0)


async def test_the_location_button_of_a_reply_keyboard(
    bot: telegram.Bot, emu: BotApiEmulator, resident: SimUser
) -> None:
    with pytest.raises(LookupError):  # no keyboard yet
        await resident.share_location(50.0, 30.0)
    keyboard = ReplyKeyboardMarkup(
        [[KeyboardButton("📍 Де я", request_location=True)], [KeyboardButton("Скасувати")]],
        resize_keyboard=True,
    )
    await bot.send_message(resident.id, "Де ви?", reply_markup=keyboard)
    assert resident.reply_keyboard == [
        [{"text": "📍 Де я", "request_location": True}],
        [{"text": "Скасувати"}],
    ]
    with pytest.raises(LookupError):  # pressing it as text is not what Telegram does
        await resident.press_keyboard("📍 Де я")
    await bot.get_updates()  # the /start
    await resident.share_location(49.8397, 24.0297)
    assert await _locations(bot) == [(49.8397, 24.0297)]
    assert resident.reply_keyboard is not None  # not one-time: it stays until removed
    await bot.send_message(resident.id, "Дякую", reply_markup=ReplyKeyboardRemove())
    assert resident.reply_keyboard is None
