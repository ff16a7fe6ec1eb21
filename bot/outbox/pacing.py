"""Per-chat pacing: at most one message a second to one chat."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

PER_CHAT_INTERVAL = 1.05  # Telegram allows about one message a second to one chat
# Past this many chats remembered, forget those that may be written to again anyway.
_FORGET_AFTER = 10_000


@dataclass
class ChatPacer:
    """Spaces messages to one chat; the sender's rate limiter paces the total."""

    interval: float = PER_CHAT_INTERVAL
    _last_sent: dict[int, float] = field(default_factory=dict)

    async def wait(self, chat_id: int) -> None:
        """Sleep until a message may go to this chat."""
        now = time.monotonic()
        last = self._last_sent.get(chat_id)
        if last is not None and now - last < self.interval:
            await asyncio.sleep(self.interval - (now - last))
        if len(self._last_sent) > _FORGET_AFTER:
            cutoff = time.monotonic() - self.interval
            self._last_sent = {k: v for k, v in self._last_sent.items() if v > cutoff}

    def sent(self, chat_id: int) -> None:
        """Record that a message just went (or was tried) to this chat."""
        self._last_sent[chat_id] = time.monotonic()
