"""One resident flooding the bot slows only their own chat; they are told once."""

from __future__ import annotations

import asyncio

import pytest

from emulator import BotApiEmulator
from storage.database import Database
from tests.e2e.conftest import event_in
from tests.factories import make_person
from tests.waiting import until

NOTICE = "Ви надсилаєте повідомлення швидше, ніж я встигаю відповідати"
GREETING = "Вітаємо"

pytestmark = [pytest.mark.usefixtures("app"), pytest.mark.telegram_limits]


async def test_a_flooding_resident_is_told_once_while_everyone_else_registers(
    emu: BotApiEmulator, db: Database
) -> None:
    # Telegram's limit into one chat, as strict as the emulator can make it.
    emu.set_rate_limits(per_chat_per_second=1, global_per_second=30)
    event = await event_in(db, capacity=None, title="Навчаємось вираховувати субсидію")
    flooder = emu.add_user(first_name="Швидкий")
    others = [emu.add_user(first_name=f"Мешканка {i}") for i in range(10)]
    for user in others:
        await make_person(db, user.user_id, now=event.created_at)

    async def register(user: object) -> str:
        await user.send_command(f"/start event_{event.id}")  # type: ignore[attr-defined]
        card = await user.next_reply(timeout=20)  # type: ignore[attr-defined]
        await user.press(card, text="Записатися")  # type: ignore[attr-defined]
        return str((await user.next_reply(timeout=20)).text)  # type: ignore[attr-defined]

    for _ in range(40):
        await flooder.send_command("/start")
    confirmations = await asyncio.gather(*(register(user) for user in others))

    assert all(text.startswith("✅ Ви записані!") for text in confirmations), confirmations
    await until(
        lambda: any(NOTICE in m.text for m in flooder.messages), timeout=30, what="the notice"
    )
    await asyncio.sleep(1.5)  # a second notice would come within the same pacing
    notices = [m for m in flooder.messages if NOTICE in m.text]
    greetings = [m for m in flooder.messages if m.text.startswith(GREETING)]
    assert len(notices) == 1
    # Dropped, not queued without end: far fewer than forty greetings ever went out.
    assert 1 <= len(greetings) < 40
