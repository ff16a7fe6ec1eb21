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


async def test_a_fast_tapper_waits_for_their_turn_without_taking_a_slot() -> None:
    processor = PerUserUpdateProcessor(max_concurrent_updates=1)
    log: list[str] = []

    async def work(name: str) -> None:
        log.append(name)
        await asyncio.sleep(0.01)

    tasks = [
        asyncio.create_task(processor.process_update(update_from(1, i), work(f"a{i}")))
        for i in range(4)
    ]
    await asyncio.sleep(0)
    tasks.append(asyncio.create_task(processor.process_update(update_from(2, 99), work("b"))))
    await asyncio.gather(*tasks)
    # a1..a3 wait for a0 on the person's lock, not in the queue for the only slot.
    assert log == ["a0", "b", "a1", "a2", "a3"]


async def test_no_more_updates_run_at_once_than_the_limit() -> None:
    processor = PerUserUpdateProcessor(max_concurrent_updates=2)
    running = 0
    most = 0

    async def work() -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.01)
        running -= 1

    people = [processor.process_update(update_from(user, user), work()) for user in range(5)]
    userless = processor.process_update(Update(100), work())
    await asyncio.gather(*people, userless)
    assert most == 2
    # Above 1 the Application runs each update as its own task; PTB's figure never binds.
    assert processor.max_concurrent_updates > 1_000_000


async def test_a_failing_update_frees_the_persons_turn_and_the_slot() -> None:
    processor = PerUserUpdateProcessor(max_concurrent_updates=1)

    async def fail() -> None:
        raise RuntimeError("handler failed")

    async def work() -> str:
        return "done"

    failing = asyncio.create_task(processor.process_update(update_from(1, 1), fail()))
    following = asyncio.create_task(processor.process_update(update_from(1, 2), work()))
    results = await asyncio.wait_for(
        asyncio.gather(failing, following, return_exceptions=True), timeout=1
    )
    assert isinstance(results[0], RuntimeError) and results[1] is None
    assert processor._locks == {}


async def test_a_flood_beyond_the_pending_limit_is_dropped_and_told_once() -> None:
    told: list[int] = []

    async def on_flood(update: Update) -> None:
        assert update.effective_user is not None
        told.append(update.effective_user.id)

    processor = PerUserUpdateProcessor(max_concurrent_updates=4, max_pending=3, on_flood=on_flood)
    release = asyncio.Event()
    ran: list[int] = []

    async def work(n: int) -> None:
        ran.append(n)
        await release.wait()

    tasks = [
        asyncio.create_task(processor.process_update(update_from(1, n), work(n))) for n in range(10)
    ]
    await asyncio.sleep(0.01)
    release.set()
    await asyncio.gather(*tasks)
    assert ran == [0, 1, 2]  # three were waiting their turn; the other seven were dropped
    assert processor.dropped == 7
    assert told == [1]  # one notice for the whole flood
    # Once the queue has drained, a new flood is told again.
    release.clear()
    tasks = [
        asyncio.create_task(processor.process_update(update_from(1, n), work(n)))
        for n in range(10, 15)
    ]
    await asyncio.sleep(0.01)
    release.set()
    await asyncio.gather(*tasks)
    assert told == [1, 1]
