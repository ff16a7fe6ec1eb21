"""Fault injection and flood control, for tests of how the bot copes with Telegram refusing.

Both answer the way Telegram does, so PTB raises its real exceptions (``RetryAfter``,
``NetworkError``...) and the bot's own handling is what gets tested.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections import deque
from dataclasses import dataclass
from http import HTTPStatus

from emulator.errors import ApiError, too_many_requests

# Methods that count against flood limits.
SEND_METHODS = frozenset({"sendmessage", "senddocument", "sendphoto", "editmessagetext"})


@dataclass
class _Fault:
    remaining: int
    status: int
    retry_after: int
    methods: frozenset[str] | None


def injected_error(status: int, retry_after: int) -> ApiError:
    """The error Telegram would send with this status."""
    if status == 429:
        return too_many_requests(retry_after)
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return ApiError(status, f"{phrase}: injected failure")


class FaultInjector:
    """Queued ``fail_next`` rules, consumed in the order they were added."""

    def __init__(self) -> None:
        self._faults: list[_Fault] = []

    def add(self, count: int, status: int, retry_after: int, methods: set[str] | None) -> None:
        """Fail the next ``count`` matching requests.

        ``methods=None`` matches every method except ``getUpdates``: a poll runs all the time,
        so including it would make "fail the next request" race with the bot's polling.
        """
        if count <= 0:
            return
        lowered = frozenset(m.lower() for m in methods) if methods is not None else None
        self._faults.append(_Fault(count, status, retry_after, lowered))

    def take(self, method: str) -> ApiError | None:
        """The injected error for this request (lower-case method name), if one is due."""
        for fault in self._faults:
            if fault.remaining <= 0:
                continue
            if fault.methods is None and method == "getupdates":
                continue
            if fault.methods is not None and method not in fault.methods:
                continue
            fault.remaining -= 1
            self._faults = [f for f in self._faults if f.remaining > 0]
            return injected_error(fault.status, fault.retry_after)
        return None

    def clear(self) -> None:
        """Drop all pending faults."""
        self._faults.clear()


class _Window:
    """At most ``capacity`` events in any ``span`` seconds (a sliding window)."""

    def __init__(self, per_second: float) -> None:
        self.capacity = max(1, math.floor(per_second))
        self.span = self.capacity / per_second
        self.times: deque[float] = deque()

    def allows(self, now: float) -> bool:
        while self.times and now - self.times[0] >= self.span:
            self.times.popleft()
        return len(self.times) < self.capacity


class RateLimiter:
    """Telegram-like flood control for send methods, off until configured.

    A rate ``r`` allows ``floor(r)`` sends (at least one) in any window of ``floor(r) / r``
    seconds: 30/s means 30 in any second, 0.5/s means one in any two seconds.
    """

    def __init__(self) -> None:
        self.per_chat: float | None = None
        self.global_rate: float | None = None
        self.retry_after = 1
        self._chats: dict[str, _Window] = {}
        self._global: _Window | None = None

    def configure(
        self, per_chat: float | None, global_rate: float | None, retry_after: int
    ) -> None:
        """Set (or with ``None`` lift) the limits; resets the windows."""
        for rate in (per_chat, global_rate):
            if rate is not None and rate <= 0:
                raise ValueError("rates must be positive or None")
        self.per_chat = per_chat
        self.global_rate = global_rate
        self.retry_after = retry_after
        self._chats.clear()
        self._global = _Window(global_rate) if global_rate is not None else None

    def check(self, method: str, chat_key: str | None, now: float) -> ApiError | None:
        """Admit one request (lower-case method) or return the 429 to answer with."""
        if method not in SEND_METHODS:
            return None
        windows: list[_Window] = []
        if self._global is not None:
            windows.append(self._global)
        if self.per_chat is not None and chat_key is not None:
            window = self._chats.get(chat_key)
            if window is None:
                window = self._chats[chat_key] = _Window(self.per_chat)
            windows.append(window)
        if not all(window.allows(now) for window in windows):
            return too_many_requests(self.retry_after)
        for window in windows:
            window.times.append(now)
        return None


class Outage:
    """Telegram unreachable for a while: every matching call in the window is answered with
    a server error, or hangs (past any client's read timeout) until the window ends.

    Unlike ``fail_next``, ``getUpdates`` is affected too (``methods=None``): polling stops
    working for the window, as it does when Telegram is down.
    """

    def __init__(self, until: float, status: int | None, methods: frozenset[str] | None) -> None:
        self.until = until
        self.status = status
        self.methods = methods
        self.ended = asyncio.Event()
        self.refused = 0  # calls answered with an error or hung in the window

    def covers(self, method: str, now: float) -> bool:
        """Whether this call (lower-case method name) falls in the outage."""
        if self.ended.is_set() or now >= self.until:
            return False
        return self.methods is None or method in self.methods

    async def answer(self, now: float) -> ApiError:
        """The error for a call in the window; a hanging call returns only when it ends."""
        self.refused += 1
        if self.status is not None:
            return injected_error(self.status, 0)
        # Nothing comes back within the window: the client gives up on its read timeout.
        # Whatever it sent is not carried out (a request lost in a broken proxy).
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.ended.wait(), self.until - now)
        return ApiError(504, "Gateway Timeout: injected outage")

    def end(self) -> None:
        """End the window now; calls still hanging are answered at once."""
        self.ended.set()
