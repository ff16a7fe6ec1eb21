"""Everything the emulated Telegram knows: the bot, the users and their chats, files, settings.

Method handlers and simulated users both work on this one object, so what a user does and what
the bot sees stay consistent without the HTTP layer in between.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from emulator.channels import SimChannel
from emulator.files import FileStore
from emulator.markup import is_inline
from emulator.messages import CallbackAnswer, SimMessage
from emulator.transcript import BOT, Transcript
from emulator.updates import UpdateQueue
from emulator.users import SimUser

FIRST_USER_ID = 1_000_001


@dataclass
class PendingQuery:
    """A callback query the bot has yet to answer (or has answered)."""

    query_id: str
    user_id: int
    answer: asyncio.Future[CallbackAnswer] = field(repr=False)


@dataclass
class Webhook:
    """A webhook registration: the emulator posts each update to ``url`` (see
    ``BotApiEmulator``), with ``secret_token`` in ``X-Telegram-Bot-Api-Secret-Token``."""

    url: str
    secret_token: str | None = None
    allowed_updates: list[str] | None = None


class BotState:
    """The emulated server's state for one bot token."""

    def __init__(self, token: str, bot_id: int, bot_username: str, bot_first_name: str) -> None:
        self.token = token
        self.bot_user: dict[str, Any] = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.users: dict[int, SimUser] = {}
        self.updates = UpdateQueue()
        self.files = FileStore()
        self.transcript = Transcript()
        self.queries: dict[str, PendingQuery] = {}
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.descriptions: dict[tuple[str, str], str] = {}
        self.webhook: Webhook | None = None
        self.channels: dict[str, SimChannel] = {}  # by "@username" and by id
        self.local_webhooks = False
        """Accept ``http://127.0.0.1`` webhook URLs (Telegram wants HTTPS; tests have none)."""
        self._user_ids = itertools.count(FIRST_USER_ID)
        self._query_ids = itertools.count(1)

    # --- channels --------------------------------------------------------------------------

    def add_channel(self, username: str, title: str, *, bot_is_admin: bool) -> SimChannel:
        chat_id = -1_000_000_000_000 - len(self.channels) // 2 - 1
        channel = SimChannel(chat_id, username.removeprefix("@"), title, bot_is_admin)
        self.channels["@" + channel.username.lower()] = self.channels[str(chat_id)] = channel
        return channel

    def channel(self, chat_id: str) -> SimChannel | None:
        """The channel ``chat_id`` names (``@name``, any case, or its id), if any."""
        return self.channels.get(chat_id.lower() if chat_id.startswith("@") else chat_id)

    # --- users -----------------------------------------------------------------------------

    def add_user(
        self,
        first_name: str,
        last_name: str | None,
        username: str | None,
        language_code: str | None,
        user_id: int | None,
    ) -> SimUser:
        """Register a simulated user; their private chat opens when they first write."""
        if user_id is None:
            user_id = next(self._user_ids)
            while user_id in self.users:
                user_id = next(self._user_ids)
        elif user_id in self.users:
            raise ValueError(f"user id {user_id} is taken")
        if user_id <= 0 or user_id == self.bot_user["id"]:
            raise ValueError("user ids must be positive and differ from the bot's id")
        user = SimUser(
            self,
            user_id,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
        )
        self.users[user_id] = user
        return user

    def new_query(self, user_id: int) -> PendingQuery:
        """A fresh callback query id, waiting for the bot's answer."""
        query_id = f"{user_id}{next(self._query_ids):08d}"
        query = PendingQuery(query_id, user_id, asyncio.get_running_loop().create_future())
        self.queries[query_id] = query
        return query

    # --- bot messages ----------------------------------------------------------------------

    def message_json(self, message: SimMessage, *, with_reply: bool = True) -> dict[str, Any]:
        """The Bot API ``Message`` for a bot message, as the bot gets it back."""
        user = self.users[message.chat_id]
        payload: dict[str, Any] = {
            "message_id": message.message_id,
            "from": self.bot_user,
            "chat": user.chat_json(),
            "date": message.date,
        }
        stored = message.stored_file
        if message.venue is not None:
            payload["venue"] = message.venue.to_json()
            payload["location"] = payload["venue"]["location"]
        elif message.kind == "text":
            payload["text"] = message.text
            if message.entities:
                payload["entities"] = message.entities
        elif stored is not None:
            if message.kind == "document":
                payload["document"] = stored.document_json()
            else:
                payload["photo"] = stored.photo_json()
            if message.caption:
                payload["caption"] = message.caption
                if message.entities:
                    payload["caption_entities"] = message.entities
        if is_inline(message.reply_markup):
            payload["reply_markup"] = message.reply_markup
        if message.edit_date is not None:
            payload["edit_date"] = message.edit_date
        if with_reply and message.reply_to_message_id is not None:
            replied = self.reply_target(user, message.reply_to_message_id)
            if replied is not None:
                payload["reply_to_message"] = replied
        return payload

    def reply_target(self, user: SimUser, message_id: int) -> dict[str, Any] | None:
        """The message (either side's) a reply points to, if it still exists."""
        if message_id in user.chat.user_messages:
            return user.chat.user_messages[message_id]
        target = user.chat.bot_messages.get(message_id)
        if target is not None and not target.deleted:
            return self.message_json(target, with_reply=False)
        return None

    async def deliver(self, user: SimUser, message: SimMessage) -> dict[str, Any]:
        """Put a new bot message into the user's chat and log it."""
        chat = user.chat
        chat.bot_messages[message.message_id] = message
        markup = message.reply_markup or {}
        if "keyboard" in markup:
            chat.reply_keyboard_markup = markup
        elif markup.get("remove_keyboard"):
            chat.reply_keyboard_markup = None
        detail = ""
        if message.document is not None:
            detail = message.document.file_name or ""
        self.transcript.add(
            BOT,
            message.kind if message.kind != "text" else "message",
            message.text,
            user.id,
            chat_name=user.name,
            buttons=_button_rows(message),
            detail=detail,
        )
        await chat.record("message", message)
        return self.message_json(message)

    async def record_edit(self, user: SimUser, message: SimMessage) -> dict[str, Any]:
        """Log an edit of a bot message."""
        message.edits += 1
        message.edit_date = int(time.time())
        self.transcript.add(
            BOT,
            "edit",
            message.text,
            user.id,
            chat_name=user.name,
            buttons=_button_rows(message),
            detail=str(message.message_id),
        )
        await user.chat.record("edit", message)
        return self.message_json(message)

    async def record_delete(self, user: SimUser, message: SimMessage) -> None:
        """Mark a bot message deleted and log it."""
        message.deleted = True
        self.transcript.add(
            BOT, "delete", "", user.id, chat_name=user.name, detail=str(message.message_id)
        )
        await user.chat.record("delete", message)


def _button_rows(message: SimMessage) -> tuple[tuple[str, ...], ...]:
    if message.buttons:
        return tuple(tuple(button.text for button in row) for row in message.buttons)
    if message.reply_keyboard:
        return tuple(tuple(button["text"] for button in row) for row in message.reply_keyboard)
    return ()
