"""Per-chat pacing: a burst, then about one message a second; a 429 holds back only its chat."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter, TimedOut

from bot import ratelimit
from bot.ratelimit import ChatRateLimiter

# An overall budget that never binds, for tests of the per-chat pacing alone.
WIDE: dict[str, Any] = {"overall_per_second": 1000.0, "overall_burst": 100}


class FakeTime:
    """A clock that moves only when the limiter sleeps, so waits are exact figures."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    fake = FakeTime()
    monkeypatch.setattr(ratelimit.asyncio, "sleep", fake.sleep)
    return fake


async def send(limiter: ChatRateLimiter, chat_id: int | None, result: Any = True, **kw: Any) -> Any:
    async def callback() -> Any:
        if isinstance(result, Exception):
            raise result
        return result

    data = {"chat_id": chat_id} if chat_id is not None else {}
    return await limiter.process_request(callback, (), {}, "sendMessage", data, kw.get("retries"))


async def test_a_chat_gets_a_burst_then_one_message_a_second(fake_time: FakeTime) -> None:
    limiter = ChatRateLimiter(chat_per_second=1, chat_burst=3, clock=fake_time.clock, **WIDE)
    for _ in range(5):
        await send(limiter, 42)
    assert fake_time.slept == pytest.approx([1.0, 1.0])  # the 4th and 5th wait a second each


async def test_other_chats_and_chatless_requests_are_not_paced(fake_time: FakeTime) -> None:
    limiter = ChatRateLimiter(chat_per_second=1, chat_burst=1, clock=fake_time.clock, **WIDE)
    for chat in range(1, 6):
        await send(limiter, chat)
    for _ in range(5):
        await send(limiter, None)  # answers to button presses, menus: no chat
    assert fake_time.slept == []


async def test_a_429_pauses_only_its_own_chat() -> None:
    limiter = ChatRateLimiter(chat_per_second=100, chat_burst=10)
    order: list[str] = []
    refused = asyncio.Event()

    async def flooded() -> bool:
        if not refused.is_set():
            refused.set()
            raise RetryAfter(1)
        order.append("flooded chat, retried")
        return True

    async def other() -> bool:
        order.append("other chat")
        return True

    first = asyncio.create_task(
        limiter.process_request(flooded, (), {}, "sendMessage", {"chat_id": 1}, None)
    )
    await refused.wait()
    await limiter.process_request(other, (), {}, "sendMessage", {"chat_id": 2}, None)
    assert order == ["other chat"]  # answered while the first chat waits out its 429
    assert await first is True
    assert order == ["other chat", "flooded chat, retried"]


async def test_the_caller_gets_the_429_once_its_retries_are_spent(fake_time: FakeTime) -> None:
    limiter = ChatRateLimiter(clock=fake_time.clock)
    with pytest.raises(RetryAfter):
        await send(limiter, 7, RetryAfter(3), retries=0)
    with pytest.raises(RetryAfter):
        await send(limiter, 8, RetryAfter(3), retries=1)
    assert fake_time.slept == pytest.approx([3.1])  # waited out the first 429, not the second


class Flaky:
    """A request that fails with ``error`` the first ``failures`` times."""

    def __init__(self, failures: int, error: Exception) -> None:
        self.failures, self.error, self.calls = failures, error, 0

    async def __call__(self) -> bool:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        return True


@pytest.mark.parametrize(
    "error", [NetworkError("Bad Gateway"), NetworkError("Internal Server Error"), TimedOut()]
)
async def test_a_reply_outlives_a_short_outage(fake_time: FakeTime, error: Exception) -> None:
    limiter = ChatRateLimiter(chat_per_second=100, chat_burst=10, clock=fake_time.clock)
    flaky = Flaky(3, error)
    assert await limiter.process_request(flaky, (), {}, "sendMessage", {"chat_id": 1}, None)
    assert flaky.calls == 4
    assert fake_time.slept == pytest.approx([1.0, 2.0, 4.0])


async def test_a_longer_outage_reaches_the_handler_after_the_back_off(
    fake_time: FakeTime,
) -> None:
    limiter = ChatRateLimiter(clock=fake_time.clock)
    flaky = Flaky(100, NetworkError("Bad Gateway"))
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await limiter.process_request(flaky, (), {}, "answerCallbackQuery", {}, None)
    assert flaky.calls == len(ratelimit.NETWORK_BACKOFF) + 1
    assert sum(fake_time.slept) == pytest.approx(31.0)


@pytest.mark.parametrize(
    "error",
    [
        BadRequest("Message is too long"),
        Forbidden("Forbidden: bot was blocked by the user"),
        Conflict("terminated by other getUpdates request"),
    ],
)
async def test_a_refusal_is_not_tried_again(fake_time: FakeTime, error: Exception) -> None:
    limiter = ChatRateLimiter(clock=fake_time.clock)
    flaky = Flaky(1, error)
    with pytest.raises(type(error)):
        await limiter.process_request(flaky, (), {}, "sendMessage", {"chat_id": 1}, None)
    assert flaky.calls == 1


async def test_the_outbox_retries_server_errors_itself(fake_time: FakeTime) -> None:
    limiter = ChatRateLimiter(clock=fake_time.clock)
    flaky = Flaky(1, NetworkError("Bad Gateway"))
    with pytest.raises(NetworkError):  # rate_limit_args given: the caller has its back-off
        await limiter.process_request(flaky, (), {}, "sendMessage", {"chat_id": 1}, 1)
    assert flaky.calls == 1


async def bulk_send(limiter: ChatRateLimiter, chat_id: int, order: list[str], name: str) -> None:
    """A message the outbox sends: through the limiter, marked as bulk."""

    async def callback() -> bool:
        order.append(name)
        return True

    with ratelimit.bulk():
        await limiter.process_request(callback, (), {}, "sendMessage", {"chat_id": chat_id}, 1)


async def test_an_answer_goes_before_the_bulk_sends_already_waiting() -> None:
    # One token at a time, no reserve: only the order of waiters decides.
    limiter = ChatRateLimiter(overall_per_second=20, overall_burst=1, answer_reserve=0)
    order: list[str] = []
    outbox = [
        asyncio.create_task(bulk_send(limiter, 100 + i, order, f"bulk {i}")) for i in range(5)
    ]
    while not order:  # the first takes the only token; the others wait for the next ones
        await asyncio.sleep(0.001)

    async def answer() -> bool:
        order.append("answer")
        return True

    await limiter.process_request(answer, (), {}, "sendMessage", {"chat_id": 1}, None)
    await asyncio.gather(*outbox)
    assert order == ["bulk 0", "answer", "bulk 1", "bulk 2", "bulk 3", "bulk 4"]


async def test_bulk_sends_leave_the_reserve_to_answers(fake_time: FakeTime) -> None:
    limiter = ChatRateLimiter(
        overall_per_second=10, overall_burst=3, answer_reserve=2, clock=fake_time.clock
    )
    order: list[str] = []
    await bulk_send(limiter, 101, order, "bulk 1")  # 3 tokens: takes one, leaves two
    await bulk_send(limiter, 102, order, "bulk 2")  # would leave one: waits for a token
    assert fake_time.slept == pytest.approx([0.1])
    await send(limiter, 1)  # the outbox sends flat out, yet two answers go at once
    await send(limiter, 2)
    assert fake_time.slept == pytest.approx([0.1])
    await send(limiter, 3)  # the reserve is spent: the third waits for the next token
    assert fake_time.slept == pytest.approx([0.1, 0.1])


async def test_no_second_sees_more_than_29_messages(fake_time: FakeTime) -> None:
    limiter = ChatRateLimiter(clock=fake_time.clock)
    stamps: list[float] = []

    async def stamped() -> bool:
        stamps.append(fake_time.now)
        return True

    for i in range(200):
        data = {"chat_id": 1000 + i}
        if i % 3:
            await limiter.process_request(stamped, (), {}, "sendMessage", data, None)
        else:
            with ratelimit.bulk():
                await limiter.process_request(stamped, (), {}, "sendMessage", data, 1)
    busiest = max(sum(1 for t in stamps if start <= t < start + 1) for start in stamps)
    assert busiest <= ratelimit.OVERALL_BURST + ratelimit.OVERALL_PER_SECOND < 30
    assert busiest >= ratelimit.OVERALL_PER_SECOND  # and the budget is used, not wasted
