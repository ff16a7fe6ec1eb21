"""Every way of asking for updates gets them read, each once, and an unreadable one bare.

The bot's ExtBot (bot/readable.py) reads a getUpdates answer update by update; these ask
for updates without the application, as the library's updater and a script would."""

from __future__ import annotations

import pytest
from telegram import Update
from telegram.warnings import PTBUserWarning

from bot.readable import ReadableUpdatesBot
from emulator import BotApiEmulator


def bot_for(emu: BotApiEmulator) -> ReadableUpdatesBot:
    return ReadableUpdatesBot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url)


@pytest.mark.parametrize("how", ["get_updates", "getUpdates"])
async def test_the_updater_s_ways_get_the_updates_read(emu: BotApiEmulator, how: str) -> None:
    user = emu.add_user(first_name="Олена")
    await user.send_command("/start")
    await emu.push_update("poll", {"id": "1", "question": "?"})  # fields missing: unreadable
    async with bot_for(emu) as bot:
        updates = await getattr(bot, how)(timeout=0)
    assert [type(u) for u in updates] == [Update, Update]
    first, unreadable = updates
    assert first.message is not None and first.message.text == "/start"
    assert unreadable.effective_message is None and unreadable.poll is None


async def test_a_raw_request_gets_the_answer_as_json(emu: BotApiEmulator) -> None:
    user = emu.add_user(first_name="Олена")
    await user.send_command("/start")
    await emu.push_update("poll", {"id": "1", "question": "?"})
    async with bot_for(emu) as bot:
        with pytest.warns(PTBUserWarning, match="get_updates"):  # the library would rather not
            answer = await bot.do_api_request("get_updates", api_kwargs={"timeout": 0})
    first, unreadable = answer
    assert first["message"]["text"] == "/start"
    assert unreadable == {"update_id": first["update_id"] + 1}
