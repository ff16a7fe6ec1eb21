"""A local Telegram Bot API emulator for end-to-end tests, benchmarks and demos.

The real bot talks to it over HTTP; simulated residents (``SimUser``) write and press buttons;
tests read what the bot sent. It refuses what Telegram refuses, with Telegram's wording.
"""

from emulator.errors import ApiError
from emulator.markup import Button
from emulator.messages import BotAction, CallbackAnswer, SentFile, SimMessage
from emulator.server import BotApiEmulator, RecordedRequest, WebhookDelivery
from emulator.transcript import TranscriptEntry
from emulator.users import SimUser

__all__ = [
    "ApiError",
    "BotAction",
    "BotApiEmulator",
    "Button",
    "CallbackAnswer",
    "RecordedRequest",
    "SentFile",
    "SimMessage",
    "SimUser",
    "TranscriptEntry",
    "WebhookDelivery",
]

# Bot API methods kept in modules of their own register themselves when imported.
from emulator import venues  # noqa: F401
