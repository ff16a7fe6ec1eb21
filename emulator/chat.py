"""One private chat between the bot and a simulated user: messages, and a log tests wait on.

Message ids are per chat and shared by both sides, as in Telegram private chats. Every bot action
(new message, edit, deletion) goes to an append-only log; each test reads it through a cursor,
so nothing the bot did is missed or seen twice.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any, Literal

from emulator.messages import BotAction, SimMessage


class PrivateChat:
    """State of one private chat."""

    def __init__(self, chat_id: int) -> None:
        self.chat_id = chat_id
        self.started = False
        self._ids = itertools.count(1)
        self.bot_messages: dict[int, SimMessage] = {}
        self.user_messages: dict[int, dict[str, Any]] = {}
        self.actions: list[BotAction] = []
        self.cursor = 0
        self.reply_keyboard_markup: dict[str, Any] | None = None
        self.chat_actions: list[str] = []
        self._condition: asyncio.Condition | None = None

    @property
    def _cond(self) -> asyncio.Condition:
        if self._condition is None:
            self._condition = asyncio.Condition()
        return self._condition

    def next_message_id(self) -> int:
        """The id the next message in this chat gets, whoever sends it."""
        return next(self._ids)

    def visible_messages(self) -> list[SimMessage]:
        """The bot's messages that were not deleted, oldest first."""
        return [m for m in self.bot_messages.values() if not m.deleted]

    async def record(self, kind: Literal["message", "edit", "delete"], message: SimMessage) -> None:
        """Log a bot action and wake tests waiting for one."""
        async with self._cond:
            self.actions.append(BotAction(kind, message.snapshot(), time.monotonic()))
            self._cond.notify_all()

    async def next_action(self, *, wait: float, skip_deletes: bool = True) -> BotAction | None:
        """Consume the next unread action, waiting up to ``wait`` seconds; ``None`` if none."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        async with self._cond:
            while True:
                while self.cursor < len(self.actions):
                    action = self.actions[self.cursor]
                    self.cursor += 1
                    if not (skip_deletes and action.kind == "delete"):
                        return action
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return None
                try:
                    async with asyncio.timeout(remaining):
                        await self._cond.wait()
                except TimeoutError:
                    pass

    async def wait_for_new(self, seconds: float) -> list[BotAction]:
        """Wait ``seconds``; return actions logged meanwhile (early, on the first one)."""
        start = len(self.actions)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        async with self._cond:
            while len(self.actions) == start:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                try:
                    async with asyncio.timeout(remaining):
                        await self._cond.wait()
                except TimeoutError:
                    pass
            return self.actions[start:]

    def skip_pending(self) -> list[BotAction]:
        """Mark all logged actions as read; return those that were unread."""
        unread = self.actions[self.cursor :]
        self.cursor = len(self.actions)
        return unread
