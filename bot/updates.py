"""Updates of different people run concurrently; one person's updates run in order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Hundreds of residents can tap at once, while a person's answer to a question is
    never handled before the button press that came first."""

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiters: dict[int, int] = {}

    # PTB's own process_update takes a concurrency slot first; a person tapping fast would
    # then fill the slots with updates that only wait for each other and stall everyone
    # else. So the person's turn comes first and the slot second.
    async def process_update(  # type: ignore[misc]
        self, update: object, coroutine: Awaitable[Any]
    ) -> None:
        user = update.effective_user if isinstance(update, Update) else None
        if user is None:
            async with self._semaphore:
                await self.do_process_update(update, coroutine)
            return
        key = user.id
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiters[key] = self._waiters.get(key, 0) + 1
        try:
            async with lock, self._semaphore:
                await self.do_process_update(update, coroutine)
        finally:
            self._waiters[key] -= 1
            if not self._waiters[key]:
                # Forget idle people so the tables do not grow with everyone ever seen.
                del self._waiters[key]
                del self._locks[key]

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
