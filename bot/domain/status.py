"""The states events and registrations move through."""

from enum import StrEnum


class EventStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class RegistrationStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    CANCELLED = "cancelled"


ACTIVE_REGISTRATION = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)


class NotificationKind(StrEnum):
    REMINDER = "reminder"
    PROMOTED = "promoted"
    ANNOUNCEMENT = "announcement"
    CHANGED = "changed"
    CANCELLED = "cancelled"
    SUMMARY = "summary"  # the staff's morning summary; its variant is the day
    # To the staff member who wrote down someone without Telegram who got a seat from the
    # waiting list: phone them (variant: the moment of the promotion).
    PHONE_PROMOTED = "phone_promoted"
    # The day before an event, its call list to the staff member who wrote people down
    # (variant: the day it is sent).
    CALLS = "calls"
    # After an event, to someone who came: how useful was it?
    FEEDBACK = "feedback"


class NotificationStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    BLOCKED = "blocked"  # the person blocked the bot (403)
    DROPPED = "dropped"  # no longer wanted: the event began, the registration went away
