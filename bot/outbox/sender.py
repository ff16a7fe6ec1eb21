"""What the dispatcher asks of whoever delivers a message, and the outcomes it understands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from storage.models import Event, Notification, Person


@dataclass(frozen=True)
class Outgoing:
    """A claimed notification with the event it is about and the person it goes to."""

    notification: Notification
    event: Event
    person: Person
    silent: bool = False  # at night: no sound on the person's phone

    @property
    def chat_id(self) -> int:
        # Only people with a chat are ever claimed (see notifications.claim_next).
        assert self.person.telegram_id is not None
        return self.person.telegram_id


class Sender(Protocol):
    async def send(self, item: Outgoing) -> None:
        """Deliver one message; raise a ``DeliveryError`` to say why it was not delivered.

        Any other exception counts as a bug: the message is marked failed, not retried.
        """


class DeliveryError(Exception):
    """The message was not delivered; the subclass tells the dispatcher what to do."""


class RecipientBlockedError(DeliveryError):
    """The person blocked the bot: mark them unreachable and send them nothing more."""


class RateLimitedError(DeliveryError):
    """Everything must wait ``retry_after``; the message keeps its place in line."""

    def __init__(self, message: str, retry_after: timedelta) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TransientError(DeliveryError):
    """A network or server problem: try this message again later."""


class RefusedError(DeliveryError):
    """The message itself was refused: sending it again would not help."""


class NotWantedError(DeliveryError):
    """Nothing is to be sent any more (a staff message to someone who is no longer staff):
    the message is dropped, not retried."""
