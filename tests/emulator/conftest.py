"""Fixtures for the emulator's own tests: a real PTB ``Bot`` on the running emulator
(``emu``, shared with the other tests, comes from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import telegram

from emulator import BotApiEmulator, SimUser


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[telegram.Bot]:
    """A real PTB Bot (real HTTPXRequest) pointed at the emulator, initialised (getMe done)."""
    async with telegram.Bot(
        emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url
    ) as client:
        yield client


@pytest.fixture
async def resident(emu: BotApiEmulator) -> SimUser:
    """A user who has already written to the bot, so the bot may message them."""
    user = emu.add_user(first_name="Олена", last_name="Коваль", username="olena_k")
    await user.send_command("/start")
    return user
