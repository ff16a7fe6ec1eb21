"""A readable log of a whole conversation, for the ``demo`` command and for failing tests."""

from __future__ import annotations

import time
from dataclasses import dataclass

BOT = "bot"


@dataclass(frozen=True)
class TranscriptEntry:
    """One thing said or done, by a user (``who`` is their name) or by the bot (``"bot"``).

    ``kind`` is ``text``, ``command``, ``contact``, ``document``, ``forward``, ``press``,
    ``press_raw``,
    ``block`` or ``unblock`` for users and ``message``, ``document``, ``photo``, ``edit``,
    ``delete`` or ``answer`` for the bot. ``detail`` holds a file name or a message id.
    """

    time: float
    who: str
    kind: str
    text: str
    chat_id: int
    chat_name: str = ""
    buttons: tuple[tuple[str, ...], ...] = ()
    detail: str = ""


class Transcript:
    """Entries across all chats, in the order they happened."""

    def __init__(self) -> None:
        self.entries: list[TranscriptEntry] = []

    def add(
        self,
        who: str,
        kind: str,
        text: str,
        chat_id: int,
        *,
        chat_name: str = "",
        buttons: tuple[tuple[str, ...], ...] = (),
        detail: str = "",
    ) -> None:
        """Append one entry stamped with the monotonic clock."""
        self.entries.append(
            TranscriptEntry(time.monotonic(), who, kind, text, chat_id, chat_name, buttons, detail)
        )

    def format(self) -> str:
        """The conversation as lines a person can follow."""
        return "\n".join(format_entry(entry) for entry in self.entries)


def _indent(text: str, prefix: str) -> str:
    lines = text.split("\n")
    pad = " " * 4
    return prefix + lines[0] + "".join(f"\n{pad}{line}" for line in lines[1:])


def format_entry(entry: TranscriptEntry) -> str:
    """One entry as one or more lines."""
    if entry.who != BOT:
        prefix = f"{entry.who}: "
        user_lines = {
            "press": f"[натискає «{entry.text}»]",
            "contact": f"[надсилає контакт {entry.text}]",
            "document": f"[надсилає файл {entry.detail}]"
            + (f" {entry.text}" if entry.text else ""),
            "press_raw": f"[натискає кнопку з даними «{entry.text}»]",
            "forward": f"[пересилає повідомлення від {entry.detail}] {entry.text}",
            "block": "[блокує бота]",
            "unblock": "[розблоковує бота]",
        }
        return _indent(user_lines.get(entry.kind, entry.text), prefix)
    prefix = f"Бот → {entry.chat_name}: " if entry.chat_name else "Бот: "
    if entry.kind == "edit":
        prefix = prefix.removesuffix(": ") + f" (редагує #{entry.detail}): "
    bodies = {
        "document": f"[файл {entry.detail}]" + (f" {entry.text}" if entry.text else ""),
        "photo": "[фото]" + (f" {entry.text}" if entry.text else ""),
        "delete": f"[видаляє повідомлення #{entry.detail}]",
        "answer": f"[спливаюча відповідь: «{entry.text}»]",
    }
    line = _indent(bodies.get(entry.kind, entry.text), prefix)
    for row in entry.buttons:
        line += "\n    " + " ".join(f"[{text}]" for text in row)
    return line
