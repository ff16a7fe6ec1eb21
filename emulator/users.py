"""Simulated residents: they write to the bot, press its buttons and watch what it answers.

Each action enqueues the update Telegram would deliver (with the entities a real client gets,
e.g. ``bot_command``), so the bot under test parses it with its real handlers.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import TYPE_CHECKING, Any

from emulator.chat import PrivateChat
from emulator.html import utf16_len
from emulator.messages import BotAction, CallbackAnswer, SimMessage

if TYPE_CHECKING:
    from emulator.state import BotState

# Telegram marks commands anywhere in a text: "/name" or "/name@botname" at a word start.
_COMMAND = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w@/])")
_RECENT = 5


class SimUser:
    """A Telegram user in a private chat with the bot."""

    def __init__(
        self,
        state: BotState,
        user_id: int,
        *,
        first_name: str,
        last_name: str | None,
        username: str | None,
        language_code: str | None,
    ) -> None:
        self._state = state
        self.id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        self.phone_number = f"+38050{user_id % 10_000_000:07d}"
        self.blocked = False
        self.chat = PrivateChat(user_id)

    def __repr__(self) -> str:
        return f"SimUser(id={self.id}, name={self.name!r})"

    @property
    def user_id(self) -> int:
        """Same as ``id`` (and the private chat's id)."""
        return self.id

    @property
    def name(self) -> str:
        """Full display name."""
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name

    def to_json(self) -> dict[str, Any]:
        """The Bot API ``User`` object."""
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def chat_json(self) -> dict[str, Any]:
        """The Bot API ``Chat`` object of the private chat."""
        chat: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            chat["last_name"] = self.last_name
        if self.username:
            chat["username"] = self.username
        return chat

    # --- actions -----------------------------------------------------------------------------

    async def _send(
        self, content: dict[str, Any], kind: str, text: str, detail: str = ""
    ) -> dict[str, Any]:
        if self.blocked:
            # Writing to a blocked bot means pressing "Restart", which unblocks it first.
            await self.unblock()
        self.chat.started = True
        message = {
            "message_id": self.chat.next_message_id(),
            "from": self.to_json(),
            "chat": self.chat_json(),
            "date": int(time.time()),
            **content,
        }
        self.chat.user_messages[message["message_id"]] = message
        self._state.transcript.add(self.name, kind, text, self.id, detail=detail)
        await self._state.updates.push("message", message)
        return message

    async def send_text(self, text: str) -> dict[str, Any]:
        """Send a text message; ``/commands`` in it get ``bot_command`` entities as in Telegram."""
        return await self._send(_text_content(text), "text", text)

    async def send_command(self, command: str) -> dict[str, Any]:
        """Send a command such as ``/start event_5`` (entity at offset 0, as PTB requires)."""
        if not _COMMAND.match(command):
            raise ValueError(f"{command!r} does not start with a /command")
        return await self._send(_text_content(command), "command", command)

    async def send_contact(
        self,
        phone_number: str | None = None,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        user_id: int | None = None,
        own: bool = True,
    ) -> dict[str, Any]:
        """Share a contact: by default the user's own (with their ``user_id``).

        ``user_id`` names someone else's Telegram account; ``own=False`` without it sends a
        contact card that belongs to no Telegram user (no ``user_id`` at all).
        """
        phone = phone_number or self.phone_number
        contact: dict[str, Any] = {
            "phone_number": phone,
            "first_name": first_name or self.first_name,
        }
        if last_name or (own and user_id is None and self.last_name):
            contact["last_name"] = last_name or self.last_name
        if user_id is not None:
            contact["user_id"] = user_id
        elif own:
            contact["user_id"] = self.id
        return await self._send({"contact": contact}, "contact", phone)

    async def send_document(
        self,
        data: bytes,
        file_name: str,
        mime_type: str = "text/csv",
        caption: str | None = None,
    ) -> dict[str, Any]:
        """Send a file; the bot can fetch it with ``getFile`` and download it."""
        stored = self._state.files.add("document", data, file_name, mime_type)
        content: dict[str, Any] = {"document": stored.document_json()}
        if caption:
            content["caption"] = caption
        return await self._send(content, "document", caption or "", detail=file_name)

    async def send_forward(
        self, origin: SimUser | str, text: str = "Добрий день!", *, date: int | None = None
    ) -> dict[str, Any]:
        """Forward a text message someone wrote: ``origin`` is that user, or the name of
        one who hides their account in forwards (Telegram then gives only the name)."""
        sent = int(time.time()) - 60 if date is None else date
        forward_origin: dict[str, Any]
        if isinstance(origin, SimUser):
            forward_origin = {"type": "user", "sender_user": origin.to_json(), "date": sent}
            who = origin.name
        else:
            forward_origin = {"type": "hidden_user", "sender_user_name": origin, "date": sent}
            who = origin
        # Telegram keeps a forwarded text's entities (a "/command" in it stays one).
        content = {**_text_content(text), "forward_origin": forward_origin}
        return await self._send(content, "forward", text, detail=who)

    async def press(
        self,
        message: SimMessage,
        text: str | None = None,
        callback_data: str | None = None,
    ) -> str:
        """Press an inline button of ``message`` (by visible text or callback data).

        The button is looked up in the message's current state, as a real user can only press
        what is on screen. Returns the callback query id.
        """
        current = self.chat.bot_messages.get(message.message_id)
        if current is None or current.deleted:
            raise LookupError(f"message {message.message_id} is not in {self.name}'s chat")
        button = current.find_button(text, callback_data)
        if button.callback_data is None:
            raise LookupError(
                f"button {button.text!r} opens a link; pressing it sends nothing to the bot"
            )
        return await self._callback(current.message_id, button.callback_data, button.text)

    async def press_raw(self, message_id: int, callback_data: str) -> str:
        """Send a callback query with arbitrary data, as a forged or stale client could."""
        return await self._callback(message_id, callback_data, None)

    async def _callback(self, message_id: int, data: str, label: str | None) -> str:
        if self.blocked:
            await self.unblock()
        current = self.chat.bot_messages.get(message_id)
        if current is not None and not current.deleted:
            message = self._state.message_json(current)
        else:
            message = {"chat": self.chat_json(), "message_id": message_id, "date": 0}
        query = self._state.new_query(self.id)
        payload = {
            "id": query.query_id,
            "from": self.to_json(),
            "message": message,
            "chat_instance": str(-7 * self.id),
            "data": data,
        }
        if label is None:
            self._state.transcript.add(self.name, "press_raw", data, self.id)
        else:
            self._state.transcript.add(self.name, "press", label, self.id)
        await self._state.updates.push("callback_query", payload)
        return query.query_id

    async def press_keyboard(self, text: str) -> dict[str, Any]:
        """Tap a reply-keyboard button: shares the contact if it asks for one, else sends text."""
        rows = self.reply_keyboard
        if rows is None:
            raise LookupError(f"{self.name} has no reply keyboard on screen")
        buttons = [button for row in rows for button in row]
        found = [b for b in buttons if b["text"] == text] or [
            b for b in buttons if text in b["text"]
        ]
        if len(found) != 1:
            texts = [b["text"] for b in buttons]
            raise LookupError(f"no single keyboard button {text!r} among {texts}")
        button = found[0]
        markup = self.chat.reply_keyboard_markup or {}
        if markup.get("one_time_keyboard"):
            self.chat.reply_keyboard_markup = None
        if button.get("request_contact"):
            return await self.send_contact()
        if button.get("request_location"):
            raise LookupError(f"{text!r} asks for a location: use share_location(lat, lon)")
        return await self.send_text(button["text"])

    async def block(self) -> None:
        """Block the bot: sends fail with 403 and the bot gets a ``my_chat_member`` update."""
        if not self.blocked:
            self.blocked = True
            await self._member_update("member", "kicked")
            self._state.transcript.add(self.name, "block", "", self.id)

    async def unblock(self) -> None:
        """Unblock the bot (``my_chat_member`` from kicked back to member)."""
        if self.blocked:
            self.blocked = False
            await self._member_update("kicked", "member")
            self._state.transcript.add(self.name, "unblock", "", self.id)

    async def _member_update(self, old: str, new: str) -> None:
        def member(status: str) -> dict[str, Any]:
            entry: dict[str, Any] = {"user": self._state.bot_user, "status": status}
            if status == "kicked":
                entry["until_date"] = 0
            return entry

        payload = {
            "chat": self.chat_json(),
            "from": self.to_json(),
            "date": int(time.time()),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
        await self._state.updates.push("my_chat_member", payload)

    # --- observing the bot ---------------------------------------------------------------------

    @property
    def messages(self) -> list[SimMessage]:
        """The bot's messages in this chat, current state, deleted ones left out."""
        return self.chat.visible_messages()

    @property
    def last_message(self) -> SimMessage | None:
        """The bot's latest message still in the chat."""
        visible = self.chat.visible_messages()
        return visible[-1] if visible else None

    @property
    def reply_keyboard(self) -> list[list[dict[str, Any]]] | None:
        """Rows of the reply keyboard on screen, or ``None`` (never sent, or removed)."""
        markup = self.chat.reply_keyboard_markup
        return markup["keyboard"] if markup else None

    @property
    def chat_actions(self) -> list[str]:
        """Chat actions (``typing``...) the bot sent, in order."""
        return list(self.chat.chat_actions)

    def _recent(self) -> str:
        visible = self.chat.visible_messages()[-_RECENT:]
        if not visible:
            return "the bot has sent nothing to this chat"
        return "last bot messages:\n  " + "\n  ".join(m.describe() for m in visible)

    async def next_reply(self, timeout: float = 10.0) -> SimMessage:  # noqa: ASYNC109
        """The next message the bot sent or edited here that the test has not seen yet.

        Returns the message as it was right after that action. Deletions are skipped.
        """
        action = await self.chat.next_action(wait=timeout)
        if action is None:
            raise TimeoutError(
                f"{self.name} (chat {self.id}) got no new bot message within {timeout}s; "
                + self._recent()
            )
        return action.message

    async def next_action(self, timeout: float = 10.0) -> BotAction:  # noqa: ASYNC109
        """Like ``next_reply`` but also returns deletions, with the kind of action."""
        action = await self.chat.next_action(wait=timeout, skip_deletes=False)
        if action is None:
            raise TimeoutError(
                f"{self.name} (chat {self.id}) saw no bot action within {timeout}s; "
                + self._recent()
            )
        return action

    def skip_pending(self) -> list[BotAction]:
        """Mark everything the bot did so far as seen; returns what had not been."""
        return self.chat.skip_pending()

    async def callback_answer(
        self,
        query_id: str,
        timeout: float = 10.0,  # noqa: ASYNC109 - the test's wait, not a request timeout
    ) -> CallbackAnswer:
        """The bot's ``answerCallbackQuery`` for a press, once it comes."""
        query = self._state.queries.get(query_id)
        if query is None or query.user_id != self.id:
            raise LookupError(f"{query_id!r} is not a callback query of {self.name}")
        try:
            async with asyncio.timeout(timeout):
                return await asyncio.shield(query.answer)
        except TimeoutError:
            raise TimeoutError(
                f"the bot did not answer callback query {query_id} of {self.name} within {timeout}s"
            ) from None

    async def expect_silence(self, seconds: float) -> None:
        """Assert the bot does nothing in this chat for ``seconds`` (answers to presses aside)."""
        new = await self.chat.wait_for_new(seconds)
        if new:
            done = "; ".join(f"{a.kind} {a.message.describe()}" for a in new)
            raise AssertionError(f"expected silence in {self.name}'s chat, but the bot did: {done}")

    # --- locations -------------------------------------------------------------------------

    async def send_location(self, latitude: float, longitude: float) -> dict[str, Any]:
        """Send a location from the attachment menu (no button asked for it)."""
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ValueError(f"not a location on Earth: {latitude}, {longitude}")
        location = {"latitude": latitude, "longitude": longitude}
        return await self._send({"location": location}, "location", f"{latitude}, {longitude}")

    async def share_location(self, latitude: float, longitude: float) -> dict[str, Any]:
        """Tap the reply keyboard's ``request_location`` button: Telegram sends the location
        (fails when no such button is on screen; a one-time keyboard then hides)."""
        rows = self.reply_keyboard or []
        asking = [b for row in rows for b in row if b.get("request_location")]
        if len(asking) != 1:
            texts = [b["text"] for row in rows for b in row]
            raise LookupError(f"{self.name} has no single location button among {texts}")
        markup = self.chat.reply_keyboard_markup or {}
        if markup.get("one_time_keyboard"):
            self.chat.reply_keyboard_markup = None
        return await self.send_location(latitude, longitude)


def _text_content(text: str) -> dict[str, Any]:
    content: dict[str, Any] = {"text": text}
    entities = [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group()),
        }
        for match in _COMMAND.finditer(text)
    ]
    if entities:
        content["entities"] = entities
    return content
