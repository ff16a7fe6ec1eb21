"""The bot's ``ExtBot``: polling survives an update the library cannot read.

python-telegram-bot reads a whole ``getUpdates`` answer at once. One update it cannot read
(a field a newer Bot API made required, a kind it does not know the shape of) fails the
batch; the updater logs the raw batch — people's names and messages — and fetches the same
batch again, for ever: the bot answers nobody. Here such an update is passed on as its
bare id: confirmed, matched by no handler, logged by id and kind only.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import ExtBot

log = logging.getLogger(__name__)


class ReadableUpdatesBot(ExtBot[int]):
    async def _post(self, endpoint: str, data: Any = None, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, data, **kwargs)
        if endpoint == "getUpdates" and isinstance(result, list):
            return [self._readable(update) for update in result]
        return result

    def _readable(self, update: Any) -> Any:
        try:
            Update.de_json(update, self)
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
            return {"update_id": update_id}
        return update
