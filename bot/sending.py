"""The outbox's sender for Telegram, for the running bot and the terminal alike.

Kept apart from ``bot.app``: importing the whole bot brings the report's drawing
libraries (about a second), which a cron job's ``outbox send`` does not need.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import ExtBot

from bot.deps import Deps
from bot.outbox.sender import Sender
from handlers.notifications import TelegramSender


def outbox_sender(bot: ExtBot[Any], deps: Deps) -> Sender:
    """Send the outbox's messages through this bot."""
    return TelegramSender(bot, deps)
