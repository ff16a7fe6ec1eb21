"""What tests observe: the bot's messages, files, and answers to button presses."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Literal

from emulator.files import StoredFile
from emulator.markup import Button


@dataclass(frozen=True)
class SentFile:
    """A document or photo the bot sent, with the bytes it uploaded."""

    file_name: str | None
    mime_type: str | None
    data: bytes
    file_id: str = ""


@dataclass
class SimMessage:
    """A message the bot sent to a private chat, in its current state.

    ``html`` is the raw text (or caption) as the bot sent it, ``text`` the plain text after
    parsing (for a document or photo: its caption, or ``""``).
    """

    message_id: int
    chat_id: int
    date: int
    html: str
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)
    parse_mode: str | None = None
    caption: str | None = None
    reply_markup: dict[str, Any] | None = None
    buttons: list[list[Button]] = field(default_factory=list)
    reply_keyboard: list[list[dict[str, Any]]] | None = None
    document: SentFile | None = None
    photo: SentFile | None = None
    reply_to_message_id: int | None = None
    edits: int = 0
    edit_date: int | None = None
    deleted: bool = False
    stored_file: StoredFile | None = field(default=None, repr=False)
    venue: SentVenue | None = None  # sendVenue: a place on a map

    @property
    def kind(self) -> Literal["text", "document", "photo", "venue"]:
        """Which kind of message this is."""
        if self.venue is not None:
            return "venue"
        if self.document is not None:
            return "document"
        if self.photo is not None:
            return "photo"
        return "text"

    @property
    def button_texts(self) -> list[str]:
        """Visible texts of all inline buttons, row by row."""
        return [button.text for row in self.buttons for button in row]

    def find_button(self, text: str | None = None, callback_data: str | None = None) -> Button:
        """The inline button with this visible text (exact, else a unique substring) or data."""
        flat = [button for row in self.buttons for button in row]
        if callback_data is not None:
            for button in flat:
                if button.callback_data == callback_data:
                    return button
            raise LookupError(
                f"message {self.message_id} has no button with callback_data "
                f"{callback_data!r}; buttons: {self._describe_buttons()}"
            )
        if text is None:
            raise ValueError("give the button's text or its callback_data")
        exact = [button for button in flat if button.text == text]
        if exact:
            return exact[0]
        partial = [button for button in flat if text in button.text]
        if len(partial) == 1:
            return partial[0]
        if len(partial) > 1:
            raise LookupError(
                f"{text!r} matches several buttons of message {self.message_id}: "
                f"{[b.text for b in partial]}"
            )
        raise LookupError(
            f"message {self.message_id} has no button {text!r}; buttons: {self._describe_buttons()}"
        )

    def _describe_buttons(self) -> str:
        if not self.buttons:
            return "none"
        return " | ".join(
            f"{b.text!r}" + (f" -> {b.callback_data!r}" if b.callback_data else "")
            for row in self.buttons
            for b in row
        )

    def snapshot(self) -> SimMessage:
        """A frozen copy: what the user saw at this moment."""
        return copy.deepcopy(self)

    def describe(self) -> str:
        """One line for error messages."""
        body = self.text.replace("\n", " ")
        if len(body) > 80:
            body = body[:77] + "..."
        extra = ""
        if self.document is not None:
            extra = f" [document {self.document.file_name}]"
        elif self.photo is not None:
            extra = " [photo]"
        if self.buttons:
            extra += f" buttons={self.button_texts}"
        return f"#{self.message_id}{extra}: {body!r}"


@dataclass(frozen=True)
class BotAction:
    """Something the bot did in a chat that a test may wait for."""

    kind: Literal["message", "edit", "delete"]
    message: SimMessage
    time: float


@dataclass(frozen=True)
class CallbackAnswer:
    """The bot's ``answerCallbackQuery`` for one button press.

    Also readable like the request's parameters: ``answer["text"]``, ``answer["show_alert"]``.
    """

    text: str | None
    show_alert: bool
    url: str | None = None
    cache_time: int | None = None

    def __getitem__(self, key: str) -> Any:
        if key not in ("text", "show_alert", "url", "cache_time"):
            raise KeyError(key)
        return getattr(self, key)


@dataclass(frozen=True)
class SentVenue:
    """A place the bot sent on a map (``sendVenue``)."""

    latitude: float
    longitude: float
    title: str
    address: str

    def to_json(self) -> dict[str, Any]:
        """The Bot API ``Venue``."""
        return {
            "location": {"latitude": self.latitude, "longitude": self.longitude},
            "title": self.title,
            "address": self.address,
        }
