"""One resident tapping fast must not hold up everybody else."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

from bot.updates import PerUserUpdateProcessor


def update_from(user_id: int, update_id: int) -> Update:
    user = User(user_id, f"u{user_id}", is_bot=False)
    chat = Chat(user_id, Chat.PRIVATE)
    return Update(
        update_id, message=Message(update_id, datetime.now(UTC), chat, from_user=user, text="x")
    )


async def test_one_persons_updates_run_in_order_and_do_not_block_others() -> None:
    processor = PerUserUpdateProcessor(max_concurrent_updates=2)
    log: list[str] = []

    async def work(name: str, seconds: float) -> None:
        log.append(f"start {name}")
        await asyncio.sleep(seconds)
        log.append(f"end {name}")

    busy = [processor.process_update(update_from(1, i), work(f"a{i}", 0.05)) for i in range(6)]
    tasks = [asyncio.create_task(c) for c in busy]
    await asyncio.sleep(0)
    other = asyncio.create_task(processor.process_update(update_from(2, 99), work("b", 0)))
    await asyncio.wait_for(other, timeout=0.2)  # six slow updates of one person take 0.3 s
    await asyncio.gather(*tasks)
    a_events = [e for e in log if e.split()[1].startswith("a")]
    assert a_events == [f"{kind} a{i}" for i in range(6) for kind in ("start", "end")]
    assert log.index("end b") < log.index("end a2")
    assert processor._locks == {}  # idle people are forgotten
