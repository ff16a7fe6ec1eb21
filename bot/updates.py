"""Updates of different people run concurrently; one person's updates run in order."""

from __future__ import annotations

import asyncio
import inspect
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

# A person's updates waiting for their turn beyond this are a flood: dropped, not queued.
# Tapping through the bot never gets near it (each update is answered in well under a
# second); forty /start in a row do.
MAX_PENDING = 8


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Hundreds of residents can tap at once, while a person's answer to a question is
    never handled before the button press that came first."""

    def __init__(
        self,
        max_concurrent_updates: int,
        *,
        max_pending: int = MAX_PENDING,
        on_flood: Callable[[Update], Awaitable[None]] | None = None,
    ) -> None:
        if max_concurrent_updates < 1:
            raise ValueError("max_concurrent_updates must be a positive integer")
        # PTB's process_update (final) holds a slot of PTB's own semaphore around
        # do_process_update. With our limit there, a person tapping fast would fill the slots
        # with updates that only wait for their turn and stall everyone else. So PTB gets a
        # limit no number of updates in flight can reach (the Application starts a task per
        # update and never waits for the semaphore before starting the next one), and the
        # real limit is our own semaphore, taken after the person's lock. PTB's figure must
        # stay above 1: at 1 the Application awaits each update before fetching the next.
        super().__init__(sys.maxsize)
        self.limit = max_concurrent_updates
        self._slots = asyncio.BoundedSemaphore(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiters: dict[int, int] = {}
        self.max_pending = max_pending
        # Told once per flood (until the person's queue has drained): set by the application.
        self.on_flood = on_flood
        self._flooding: set[int] = set()
        self.dropped = 0

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the person's turn, then for a free slot, then run the update."""
        user = update.effective_user if isinstance(update, Update) else None
        if user is None:
            async with self._slots:
                await coroutine
            return
        key = user.id
        if self._waiters.get(key, 0) >= self.max_pending and isinstance(update, Update):
            await self._drop(key, update, coroutine)
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiters[key] = self._waiters.get(key, 0) + 1
        try:
            async with lock, self._slots:
                await coroutine
        finally:
            self._waiters[key] -= 1
            if not self._waiters[key]:
                # Forget idle people so the tables do not grow with everyone ever seen.
                del self._waiters[key]
                del self._locks[key]
                self._flooding.discard(key)

    @property
    def tables(self) -> tuple[int, int, int]:
        """How many people the processor keeps a lock, a count and a flood mark for: all
        zero once nobody's updates are in flight (nothing is kept per person or update)."""
        return len(self._locks), len(self._waiters), len(self._flooding)

    async def _drop(self, key: int, update: Update, coroutine: Awaitable[Any]) -> None:
        """Skip an update of someone flooding the bot; tell them once."""
        if inspect.iscoroutine(coroutine):
            coroutine.close()  # never run: close it, or Python warns it was never awaited
        self.dropped += 1
        if key in self._flooding:
            return
        self._flooding.add(key)
        log.warning("a person is sending updates faster than they are answered; skipping some")
        if self.on_flood is not None:
            await self.on_flood(update)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
