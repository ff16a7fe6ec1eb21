"""The pending-update queue behind ``getUpdates`` with Telegram's long-polling semantics.

Updates stay queued until a later ``getUpdates`` confirms them with a higher ``offset``, so a bot
that crashes between fetching and confirming sees them again, as with Telegram. A newer poll
terminates an older one still waiting (409), which is what two pollers on one token get.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

from emulator.errors import ApiError

# Telegram's default when allowed_updates is empty or was never set.
DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
MAX_LIMIT = 100
CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


def update_type(update: dict[str, Any]) -> str:
    """The update's kind, e.g. ``message`` or ``callback_query``."""
    return next(key for key in update if key != "update_id")


class UpdateQueue:
    """Unconfirmed updates in order, with waiting long polls."""

    def __init__(self, first_update_id: int = 1) -> None:
        self._pending: list[dict[str, Any]] = []
        self._ids = itertools.count(first_update_id)
        self._condition: asyncio.Condition | None = None
        self._generation = 0
        self._closed = False
        self._unfiltered: set[int] = set()  # queued "before allowed_updates was set"
        self.allowed_updates: frozenset[str] | None = None

    @property
    def _cond(self) -> asyncio.Condition:
        # Created lazily so the queue binds to the loop that first uses it.
        if self._condition is None:
            self._condition = asyncio.Condition()
        return self._condition

    @property
    def pending(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by the bot."""
        return list(self._pending)

    async def push(
        self, kind: str, payload: dict[str, Any], *, unfiltered: bool = False
    ) -> dict[str, Any]:
        """Queue a new update and wake a waiting poll. ``unfiltered``: delivered even if the
        bot's ``allowed_updates`` leave its kind out, as Telegram may deliver updates created
        before the bot changed them."""
        update_id = next(self._ids)
        update = {"update_id": update_id, kind: payload}
        if unfiltered:
            self._unfiltered.add(update_id)
        async with self._cond:
            self._pending.append(update)
            self._cond.notify_all()
        return update

    def drop_pending(self) -> None:
        """Forget all unconfirmed updates (``drop_pending_updates``)."""
        self._pending.clear()
        self._unfiltered.clear()

    async def close(self) -> None:
        """Release waiting polls with an empty answer (server shutdown)."""
        self._closed = True
        async with self._cond:
            self._cond.notify_all()

    def _allowed(self, update: dict[str, Any]) -> bool:
        kind = update_type(update)
        if update["update_id"] in self._unfiltered:
            return True
        if self.allowed_updates is None:
            return kind not in DEFAULT_EXCLUDED
        return kind in self.allowed_updates

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
            self._unfiltered = {i for i in self._unfiltered if i >= offset}
        elif offset < 0:
            self._pending = self._pending[offset:]

    async def get(
        self,
        offset: int,
        limit: int,
        wait: float,
        allowed_updates: list[str] | None,
    ) -> list[dict[str, Any]]:
        """Answer one ``getUpdates`` call, waiting up to ``wait`` seconds (its ``timeout``)."""
        if allowed_updates is not None:
            self.allowed_updates = frozenset(allowed_updates) if allowed_updates else None
        limit = min(max(limit, 1), MAX_LIMIT)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(wait, 0.0)
        async with self._cond:
            self._generation += 1
            generation = self._generation
            self._cond.notify_all()
            self._confirm(offset)
            while True:
                if generation != self._generation:
                    raise ApiError(409, CONFLICT)
                # Telegram never creates updates of kinds the bot did not ask for.
                self._pending = [u for u in self._pending if self._allowed(u)]
                remaining = deadline - loop.time()
                if self._pending or remaining <= 0 or self._closed:
                    break
                try:
                    async with asyncio.timeout(remaining):
                        await self._cond.wait()
                except TimeoutError:
                    pass
            return self._pending[:limit]
