"""Junk updates: each one something the Bot API could send, so python-telegram-bot parses
it; kinds the bot did not ask for still arrive (queued before it set allowed_updates)."""

from __future__ import annotations

import random

import telegram

from emulator import BotApiEmulator
from emulator.junk import HUGE_TEXT, JunkMaker


async def test_every_junk_update_parses_and_unasked_kinds_arrive(
    bot: telegram.Bot, emu: BotApiEmulator
) -> None:
    users = [emu.add_user(first_name=f"Незнайомець {i}") for i in range(20)]
    maker = JunkMaker(emu, users, random.Random(11))
    made = await maker.push(1500)
    assert set(made) == {m.__name__ for m, _ in maker.kinds}  # every kind drawn

    received: list[telegram.Update] = []
    offset = 0
    while len(received) < 1500:
        batch = await bot.get_updates(
            offset=offset, timeout=0, allowed_updates=["message", "callback_query"]
        )
        assert batch, f"only {len(received)} of 1500 arrived"
        received.extend(batch)
        offset = batch[-1].update_id + 1
    assert sum(u.edited_message is not None for u in received) == made["edited_message"]
    assert sum(u.inline_query is not None for u in received) == made["inline_query"]
    huge = [
        u for u in received if u.message and u.message.text and len(u.message.text) == HUGE_TEXT
    ]
    assert len(huge) == made["huge_text"]
    assert await bot.get_updates(offset=offset, timeout=0) == ()
