"""Telegram's flood limits, kept per chat: one chat's burst or 429 waits only for that chat.

PTB's ``AIORateLimiter`` paces the bot as a whole (30 messages a second) but not a private
chat, and answers a 429 by halting *every* request until it passes: one resident tapping
fast paused the bot for everyone. Here each chat has its own bucket (a short burst, then
about one message a second, as Telegram allows into one chat), the bot as a whole stays
under 30 a second, and a 429 pauses only the chat it was about (and, for a message of the
outbox, the outbox's other messages sent side by side with it: never the answers).

Telegram answering 5xx or not at all (an outage of its own, a proxy restarting) is waited
out too, with back-off, for requests made while answering someone: a tap during a short
outage still gets its answer. The outbox retries on its own schedule and is left alone.

Answers come before the bot's own bulk sends: a request made inside ``bulk()`` (the
outbox's reminders and announcements) takes the overall budget only when no answer is
waiting for it, and leaves the last token to answers, so a resident's tap does not queue
behind an announcement to thousands going out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

JSON = bool | dict[str, Any] | list[dict[str, Any]]

# Telegram allows about 30 messages a second in all. The overall bucket holds
# OVERALL_BURST tokens and gains OVERALL_PER_SECOND a second, so no second ever sees more
# than 2 + 27 = 29: one to spare for the network bunching requests up on their way.
OVERALL_PER_SECOND = 27.0
OVERALL_BURST = 2
ANSWER_RESERVE = 1  # the outbox leaves this many of the overall tokens to answers
CHAT_PER_SECOND = 1.0  # Telegram: about one message a second into one chat...
CHAT_BURST = 4  # ...with short bursts allowed (a reply, a redrawn card, a document)
GROUP_PER_SECOND = 20 / 60  # Telegram: 20 messages a minute into a group or channel
GROUP_BURST = 20
KEEP_CHATS = 1024  # buckets of idle chats are forgotten beyond this many
# Waits before each new try of a reply Telegram answered with 5xx or not at all: a reply
# outlives an outage of half a minute, then the error reaches the handler.
NETWORK_BACKOFF = (1.0, 2.0, 4.0, 8.0, 16.0)
_EPSILON = 1e-9  # tokens: a sleep of exactly the computed time can fall a hair short

_bulk: ContextVar[bool] = ContextVar("bulk", default=False)


@contextlib.contextmanager
def bulk() -> Iterator[None]:
    """Mark the requests made inside as the bot's own bulk sends (the outbox's): they go
    after every answer that waits, and leave answers a reserve of the overall budget."""
    token = _bulk.set(True)
    try:
        yield
    finally:
        _bulk.reset(token)


_once: ContextVar[bool] = ContextVar("once", default=False)


@contextlib.contextmanager
def once() -> Iterator[None]:
    """Requests made inside are not tried again after a server error, a timeout or a lost
    connection: their caller says what went wrong (the start-up's getMe, say)."""
    token = _once.set(True)
    try:
        yield
    finally:
        _once.reset(token)


@dataclass
class _Bucket:
    """A token bucket for one chat; its lock keeps the chat's requests in order."""

    rate: float
    capacity: float
    tokens: float
    updated: float
    paused_until: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def idle(self, now: float) -> bool:
        full = self.tokens + (now - self.updated) * self.rate >= self.capacity
        return full and now >= self.paused_until and not self.lock.locked()

    def wait_for_token(self, now: float) -> float:
        """Take a token and return 0, or return how long until one is due."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if now < self.paused_until:
            return self.paused_until - now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class _Overall:
    """The bot's overall budget, a token bucket in which answers go first.

    An answer takes the next token. A bulk send takes one only while no answer waits, and
    only if ``reserve`` tokens stay in the bucket after it: sending flat out, the outbox
    keeps the bucket at the reserve, which the next answer takes without waiting.
    """

    def __init__(self, rate: float, burst: int, reserve: int, clock: Callable[[], float]) -> None:
        if not 0 <= reserve < burst:
            raise ValueError("the reserve must leave bulk sends at least one token")
        self._rate = rate
        self._capacity = float(burst)
        self._reserve = reserve
        self._clock = clock
        self._tokens = float(burst)
        self._updated = clock()
        self._answers_waiting = 0
        # Telegram asked a bulk send to wait: the outbox's other lanes wait as long.
        self._bulk_paused_until = 0.0
        # Each kind takes its tokens in the order it asked for them.
        self._answers = asyncio.Lock()
        self._bulk = asyncio.Lock()

    async def take(self, *, bulk: bool) -> None:
        """Wait for a token of the overall budget and take it."""
        # Sleeping until the computed moment is the point: nothing else frees a token.
        if bulk:
            async with self._bulk:
                while (wait := self._bulk_wait()) > 0:  # noqa: ASYNC110
                    await asyncio.sleep(wait)
            return
        self._answers_waiting += 1
        try:
            async with self._answers:
                while (wait := self._wait(keep=0)) > 0:  # noqa: ASYNC110
                    await asyncio.sleep(wait)
        finally:
            self._answers_waiting -= 1

    def pause_bulk(self, seconds: float) -> None:
        """No bulk send for ``seconds``: a 429 to one of the outbox's messages holds back
        the others sent side by side with it, as it held back the one lane there was
        (answers still go)."""
        self._bulk_paused_until = max(self._bulk_paused_until, self._clock() + seconds)

    def _bulk_wait(self) -> float:
        if (paused := self._bulk_paused_until - self._clock()) > 0:
            return paused
        if self._answers_waiting:
            return 1 / self._rate  # they go first; look again when the next token is due
        return self._wait(keep=self._reserve)

    def _wait(self, *, keep: int) -> float:
        """Take a token, leaving ``keep``, and return 0; or return how long until one is due."""
        now = self._clock()
        elapsed = now - self._updated
        self._tokens = min(self._capacity, self._tokens + elapsed * self._rate)
        self._updated = now
        needed = keep + 1 - self._tokens
        if needed <= _EPSILON:
            self._tokens -= 1
            return 0.0
        return needed / self._rate


class ChatRateLimiter(BaseRateLimiter[int]):
    """Per-chat pacing, an overall rate with answers first, and 429s that hold back only
    their own chat.

    ``rate_limit_args`` of a request, when given, is how many 429s it may wait out before
    the ``RetryAfter`` reaches the caller (the outbox passes 1, to keep its lease short);
    such a request is not tried again after a server error or a timeout either: its caller
    has its own back-off. Other requests are, after each wait of ``network_backoff``.
    Requests made inside ``bulk()`` yield the overall budget to all others.
    """

    def __init__(
        self,
        *,
        overall_per_second: float = OVERALL_PER_SECOND,
        overall_burst: int = OVERALL_BURST,
        answer_reserve: int = ANSWER_RESERVE,
        chat_per_second: float = CHAT_PER_SECOND,
        chat_burst: int = CHAT_BURST,
        max_retries: int = 3,
        network_backoff: Sequence[float] = NETWORK_BACKOFF,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._overall = _Overall(overall_per_second, overall_burst, answer_reserve, clock)
        self._chat_rate = chat_per_second
        self._chat_burst = chat_burst
        self._max_retries = max_retries
        self._network_backoff = tuple(network_backoff)
        self._clock = clock
        self._chats: dict[int | str, _Bucket] = {}

    @property
    def chats(self) -> int:
        """How many chats' buckets are kept (idle ones beyond ``KEEP_CHATS`` are forgotten)."""
        return len(self._chats)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(  # noqa: PLR0917  (PTB's signature)
        self,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSON:
        max_retries = self._max_retries if rate_limit_args is None else rate_limit_args
        in_bulk = _bulk.get()
        chat_id = _chat_of(data)
        bucket = self._bucket(chat_id) if chat_id is not None else None
        backoff = self._network_backoff if rate_limit_args is None and not _once.get() else ()
        attempt = failures = 0
        while True:
            if bucket is not None:
                await self._take(bucket)
                await self._overall.take(bulk=in_bulk)
            try:
                return await callback(*args, **kwargs)
            except NetworkError as exc:
                if not _server_trouble(exc) or failures == len(backoff):
                    raise
                log.warning(
                    "Telegram did not answer %s (%s); trying again in %.0f s",
                    endpoint,
                    exc.message,
                    backoff[failures],
                )
                await asyncio.sleep(backoff[failures])
                failures += 1
                continue
            except RetryAfter as exc:
                if in_bulk:
                    self._overall.pause_bulk(_seconds(exc) + 0.1)
                if attempt == max_retries:
                    raise
                attempt += 1
                seconds = _seconds(exc)
                log.info(
                    "Telegram asked to wait %.1f s (%s); only its chat waits", seconds, endpoint
                )
                if bucket is not None:
                    bucket.paused_until = max(bucket.paused_until, self._clock() + seconds + 0.1)
                else:
                    await asyncio.sleep(seconds + 0.1)

    async def _take(self, bucket: _Bucket) -> None:
        async with bucket.lock:
            # Sleeping until the computed moment is the point: nothing else frees a token.
            while (wait := bucket.wait_for_token(self._clock())) > 0:  # noqa: ASYNC110
                await asyncio.sleep(wait)

    def _bucket(self, chat_id: int | str) -> _Bucket:
        bucket = self._chats.get(chat_id)
        if bucket is not None:
            return bucket
        now = self._clock()
        if len(self._chats) >= KEEP_CHATS:
            for key in [k for k, b in self._chats.items() if b.idle(now)]:
                del self._chats[key]
        group = isinstance(chat_id, str) or chat_id < 0
        rate = GROUP_PER_SECOND if group else self._chat_rate
        capacity = float(GROUP_BURST if group else self._chat_burst)
        bucket = self._chats[chat_id] = _Bucket(rate, capacity, capacity, now)
        return bucket


def _chat_of(data: dict[str, Any]) -> int | str | None:
    """The chat a request writes to; None for requests that write to none (answers to
    button presses, commands menus, polling), which Telegram does not limit this way."""
    chat_id = data.get("chat_id")
    if chat_id is None:
        return None
    with contextlib.suppress(TypeError, ValueError):
        return int(chat_id)
    return str(chat_id)


def _server_trouble(exc: NetworkError) -> bool:
    """A 5xx, a timeout or a lost connection: not a refusal (400, 403, 409...), which PTB
    raises as subclasses of ``NetworkError`` and which trying again would not change."""
    return type(exc) is NetworkError or isinstance(exc, TimedOut)


def _seconds(exc: RetryAfter) -> float:
    pause = exc.retry_after
    return pause.total_seconds() if isinstance(pause, timedelta) else float(pause)
