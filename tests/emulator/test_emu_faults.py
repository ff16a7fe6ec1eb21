"""Injected failures and flood control, seen through PTB's exceptions."""

from __future__ import annotations

import asyncio
import datetime as dtm
import time

import pytest
import telegram
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from emulator import BotApiEmulator, SimUser


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's future ``RetryAfter.retry_after`` type (and avoid its warning)."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


async def test_fail_next_gives_retry_after(
    bot: telegram.Bot, emu: BotApiEmulator, resident: SimUser
) -> None:
    emu.fail_next(2, retry_after=7)
    for _ in range(2):
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(resident.id, "x")
        assert caught.value.retry_after == dtm.timedelta(seconds=7)
    await bot.send_message(resident.id, "third goes through")
    assert [m.text for m in resident.messages] == ["third goes through"]


async def test_fail_next_by_method_and_status(
    bot: telegram.Bot, emu: BotApiEmulator, resident: SimUser
) -> None:
    emu.fail_next(1, status=502, methods={"senddocument"})
    await bot.send_message(resident.id, "not affected")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_document(resident.id, b"x", filename="a.txt")
    emu.fail_next(1, status=400)
    with pytest.raises(BadRequest, match=r"(?i)injected failure"):
        await bot.send_message(resident.id, "x")
    emu.fail_next(1, status=500, methods={"getUpdates"})
    with pytest.raises(NetworkError):
        await bot.get_updates()
    emu.fail_next(5)
    emu.clear_faults()
    await bot.send_message(resident.id, "faults cleared")


async def test_per_chat_rate_limit(
    bot: telegram.Bot, emu: BotApiEmulator, resident: SimUser
) -> None:
    other = emu.add_user(first_name="Іван")
    await other.send_text("hi")
    emu.set_rate_limits(per_chat_per_second=2, global_per_second=None, retry_after=3)
    await bot.send_message(resident.id, "1")
    await bot.send_message(resident.id, "2")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(resident.id, "3")
    assert caught.value.retry_after == dtm.timedelta(seconds=3)
    await bot.send_message(other.id, "other chat is fine")
    assert await bot.get_chat(resident.id)  # not a send method
    emu.set_rate_limits(None, None)
    await bot.send_message(resident.id, "limits lifted")


async def test_global_rate_limit_window_slides(
    bot: telegram.Bot, emu: BotApiEmulator, resident: SimUser
) -> None:
    emu.set_rate_limits(per_chat_per_second=None, global_per_second=10)
    # 10 per second means 10 in any window of 1 s; the 11th inside it is refused.
    for number in range(10):
        await bot.send_message(resident.id, str(number))
    with pytest.raises(RetryAfter):
        await bot.send_message(resident.id, "11")
    accepted = [r.time for r in emu.requests_for("sendMessage")][:10]
    assert accepted[-1] - accepted[0] < 1


def test_fractional_rates() -> None:
    from emulator.limits import RateLimiter

    limiter = RateLimiter()
    limiter.configure(per_chat=0.5, global_rate=None, retry_after=1)
    assert limiter.check("sendmessage", "1", now=100.0) is None
    refused = limiter.check("sendmessage", "1", now=101.5)
    assert refused is not None and refused.status == 429
    assert limiter.check("sendmessage", "1", now=102.0) is None
    assert limiter.check("getme", "1", now=102.0) is None
    with pytest.raises(ValueError):
        limiter.configure(per_chat=0, global_rate=None, retry_after=1)


async def test_an_outage_answers_every_call_with_a_server_error_until_it_ends(
    bot: telegram.Bot, emu: BotApiEmulator, resident: SimUser
) -> None:
    outage = emu.outage(0.6, status=502)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(resident.id, "lost")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.get_updates(timeout=0)  # polling is down too, unlike fail_next
    await asyncio.sleep(0.7)
    await bot.send_message(resident.id, "back")
    assert [m.text for m in resident.messages] == ["back"]
    assert outage.refused == 2

    emu.outage(30, status=500, methods={"sendMessage"})
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(resident.id, "lost too")
    assert await bot.get_updates(timeout=0) is not None  # other methods answer
    emu.end_outage()
    await bot.send_message(resident.id, "ended early")
    assert [m.text for m in resident.messages] == ["back", "ended early"]


async def test_a_hanging_outage_times_the_client_out_and_carries_nothing_out(
    emu: BotApiEmulator, resident: SimUser
) -> None:
    request = HTTPXRequest(read_timeout=0.3)
    async with telegram.Bot(
        emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url, request=request
    ) as bot:
        emu.outage(1.0, status=None)
        started = time.monotonic()
        with pytest.raises(TimedOut):
            await bot.send_message(resident.id, "never arrives")
        assert time.monotonic() - started < 0.9  # the client gave up, not the server
        await asyncio.sleep(1.0)
        await bot.send_message(resident.id, "after the outage")
    assert [m.text for m in resident.messages] == ["after the outage"]


async def test_an_outage_lasts_a_positive_time(emu: BotApiEmulator) -> None:
    with pytest.raises(ValueError, match="positive"):
        emu.outage(0)


async def test_latency_answers_late_and_counts_calls_in_flight(
    bot: telegram.Bot, emu: BotApiEmulator, resident: SimUser
) -> None:
    with pytest.raises(ValueError, match="negative"):
        emu.set_latency(-1)
    emu.set_latency(0.3, methods={"sendMessage"})
    started = time.monotonic()
    await asyncio.gather(*(bot.send_message(resident.id, f"№{i}") for i in range(3)))
    assert time.monotonic() - started >= 0.3
    assert emu.most_in_flight["sendmessage"] == 3
    await bot.get_me()
    assert emu.most_in_flight["getme"] == 1
    emu.set_latency(0)
    await bot.send_message(resident.id, "at once")
    assert sorted(m.text for m in resident.messages) == ["at once", "№0", "№1", "№2"]
