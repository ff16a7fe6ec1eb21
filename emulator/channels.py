"""Channels: where a bot that is one of the administrators can post, as a library's
channel. Telegram refuses a post from a bot that is not (400, «need administrator rights
in the channel chat») and to a channel it does not know (400, «chat not found»)."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ChannelPost:
    message_id: int
    text: str
    entities: list[dict[str, Any]]
    reply_markup: dict[str, Any] | None

    @property
    def url_buttons(self) -> list[tuple[str, str]]:
        """(text, url) of each URL button under the post."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(b["text"], b["url"]) for row in rows for b in row if "url" in b]


@dataclass
class SimChannel:
    chat_id: int
    username: str
    title: str
    bot_is_admin: bool = True
    posts: list[ChannelPost] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1), repr=False)

    def chat_json(self) -> dict[str, Any]:
        return {
            "id": self.chat_id,
            "type": "channel",
            "title": self.title,
            "username": self.username,
        }

    def post(
        self, text: str, entities: list[dict[str, Any]], markup: dict[str, Any] | None
    ) -> dict[str, Any]:
        """Publish a post; the Bot API ``Message`` it becomes."""
        post = ChannelPost(next(self._ids), text, entities, markup)
        self.posts.append(post)
        message: dict[str, Any] = {
            "message_id": post.message_id,
            "chat": self.chat_json(),
            "date": int(time.time()),
            "text": text,
        }
        if entities:
            message["entities"] = entities
        if markup:
            message["reply_markup"] = markup
        return message
