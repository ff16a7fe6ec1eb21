"""The bot's ``ExtBot``: polling survives an update the library cannot read.

python-telegram-bot reads a whole ``getUpdates`` answer at once. One update it cannot read
(a field a newer Bot API made required, a kind it does not know the shape of) fails the
batch; the updater logs the raw batch — people's names and messages — and fetches the same
batch again, for ever: the bot answers nobody. Here such an update is passed on as its
bare id: confirmed, matched by no handler, logged by id and kind only.

It also sends the bot's answers, a new message or an edit, without reading Telegram's
reply back into a ``Message`` (with its buttons and all) that nobody uses: that reading
cost a registration tap more than the rest of the call (``benchmarks/bench_instructions.py``).
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any

from telegram import (
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import ExtBot

log = logging.getLogger(__name__)

# What may go under a message the bot sends: buttons, a keyboard, or the keyboard taken away.
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


# Set while the library's get_updates runs in this task: its post then hands the updates
# out read (see ReadableUpdatesBot.get_updates).
_READING: ContextVar[bool] = ContextVar("reading_updates", default=False)


class _Read(Exception):
    """Not an error: how the updates, read one by one in the post, get past the library's
    get_updates, which would read the whole answer again."""

    def __init__(self, updates: tuple[Update, ...]) -> None:
        super().__init__()
        self.updates = updates


class ReadableUpdatesBot(ExtBot[int]):
    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        # The library's get_updates works out the timeouts, posts, then reads the answer as
        # a whole. Here the post reads each update on its own and leaves with them as an
        # exception, so that each is read once (reading is a good part of an update's
        # cost), not once to check it and again by the library.
        reading = _READING.set(True)
        try:
            return await super().get_updates(*args, **kwargs)
        except _Read as read:
            for update in read.updates:
                self.insert_callback_data(update)  # what ExtBot.get_updates does after
            return read.updates
        finally:
            _READING.reset(reading)

    getUpdates = get_updates  # the library's camelCase alias, pointed at the override

    async def send_text(
        self,
        chat_id: int,
        text: str,
        markup: Markup | None,
        *,
        link_preview_options: LinkPreviewOptions | None = None,
        reply_parameters: ReplyParameters | None = None,
    ) -> int:
        """``sendMessage`` in HTML; the new message's id. Straight to the post: ExtBot's
        ``Defaults`` and arbitrary callback data, neither of which this bot uses, are not
        applied here."""
        sent = await self._post(
            "sendMessage",
            {
                "chat_id": chat_id,
                "text": text,
                "parse_mode": ParseMode.HTML,
                "reply_markup": markup,
                "link_preview_options": link_preview_options,
                "reply_parameters": reply_parameters,
            },
        )
        return int(sent["message_id"])

    async def edit_text(
        self, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None
    ) -> None:
        """``editMessageText`` in HTML."""
        await self._post(
            "editMessageText",
            {
                "chat_id": chat_id,
                "message_id": message_id,
                "text": text,
                "parse_mode": ParseMode.HTML,
                "reply_markup": markup,
            },
        )

    async def _post(self, endpoint: str, data: Any = None, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, data, **kwargs)
        if endpoint != "getUpdates" or not isinstance(result, list):
            return result
        updates = tuple(self._readable(update) for update in result)
        if _READING.get():
            raise _Read(updates)
        # Another way in (do_api_request): the answer as JSON, an unreadable update bare.
        return [update.to_dict() for update in updates]

    def _readable(self, update: Any) -> Update:
        try:
            return Update.de_json(update, self)
        except Exception as exc:
            update_id = update.get("update_id") if isinstance(update, dict) else None
            kinds = [k for k in update if k != "update_id"] if isinstance(update, dict) else []
            log.warning(
                "skipped update %s (%s): it cannot be read (%s)",
                update_id,
                ", ".join(kinds) or "no content",
                type(exc).__name__,
            )
            if not isinstance(update_id, int):
                raise
            return Update.de_json({"update_id": update_id}, self)
