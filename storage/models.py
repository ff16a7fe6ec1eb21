"""Tables of the bot. Datetimes are UTC; the library's timezone is applied on screen."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar, Final

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.types import UTCDateTime

# Stable constraint names keep Alembic's batch mode on SQLite able to find them.
NAMING_CONVENTION: Final = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


class Person(Base):
    """A resident known to the bot; personal fields are nulled by /forget."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    full_name: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(32))
    category: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str | None] = mapped_column(String(8))
    consent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    forgotten_at: Mapped[datetime | None]
    # Set when Telegram answers 403 (blocked by the user); nothing is sent until cleared.
    unreachable_at: Mapped[datetime | None]
    # The staff member (Telegram id) who wrote down a resident who phoned: such a person
    # has no telegram_id, gets no messages, and staff call them instead.
    added_by: Mapped[int | None] = mapped_column(BigInteger)
    # A staff member's choice to get the morning summary of the day's and tomorrow's events.
    morning_summary: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # They asked not to be asked how an event was.
    feedback_off: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Program(Base):
    """A project the library runs and reports on: the report document's title block,
    purpose, frame sentence, link and signature come from here."""

    __tablename__ = "program"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # A paragraph: why the project was started.
    purpose: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Continues «За час реалізації проекту «…», …»: «що є частиною …, реалізується за
    # сприяння …».
    frame: Mapped[str] = mapped_column(Text, default="", server_default="")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    # Where more about the events can be read.
    link: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # The signature under the report: position (may span lines) and name.
    signer_position: Mapped[str] = mapped_column(Text, default="", server_default="")
    signer_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    created_at: Mapped[datetime]


class Event(Base):
    """A training, seminar or other event residents can sign up for."""

    __tablename__ = "event"
    __table_args__ = (
        # The last line of defence against overbooking: the database itself refuses it.
        CheckConstraint("capacity IS NULL OR seats_taken <= capacity", name="not_overbooked"),
        CheckConstraint("seats_taken >= 0", name="seats_non_negative"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        Index("ix_event_status_starts_at", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime | None]
    # As it read when the event was made; a configured place (``place_key``) is shown
    # from the configuration while it is there, with its address.
    place: Mapped[str] = mapped_column(String(200))
    place_key: Mapped[str | None] = mapped_column(String(32))
    # The branch that runs it (its place's, or its creator's for a one-off place): branch
    # staff manage only their branch's events; None: the library as a whole.
    branch_key: Mapped[str | None] = mapped_column(String(32), index=True)
    capacity: Mapped[int | None] = mapped_column(Integer)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    audience: Mapped[str] = mapped_column(String(200), default="", server_default="")
    program_id: Mapped[int | None] = mapped_column(
        ForeignKey("program.id", ondelete="SET NULL"), index=True
    )
    # How the report's line names the event when it differs from the kind's accusative
    # («практикум-тренінг» counted among trainings) and from «title».
    report_label: Mapped[str | None] = mapped_column(String(100))
    report_title: Mapped[str | None] = mapped_column(String(300))
    # «спільно з …»: the partner organisation, in the instrumental case.
    partner: Mapped[str | None] = mapped_column(String(200))
    # Words after the line's parentheses: «, використання е-ресурсів для ВПО».
    report_note: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[str] = mapped_column(String(16), default="published")
    # "18h,1h" overrides the configured reminders for this event; empty means none.
    reminder_offsets: Mapped[str | None] = mapped_column(String(64))
    # The occurrences of a weekly series share it (the id of the series' first event);
    # None for an event on its own.
    series_id: Mapped[int | None] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime]


class Registration(Base):
    """A person's place at an event: confirmed, waiting in line, or cancelled."""

    __tablename__ = "registration"
    __table_args__ = (
        UniqueConstraint("event_id", "person_id", name="uq_registration_event_person"),
        Index("ix_registration_event_status_queue", "event_id", "status", "queued_at"),
        Index("ix_registration_person", "person_id"),
        # Covers every report count of an event's registrations (who came, who, in which
        # status), so a period's report reads this index and never the table's rows.
        Index("ix_registration_event_attended", "event_id", "attended", "person_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))
    # The waiting list is served in this order (then by id).
    queued_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # "I'll come" pressed on a reminder.
    acknowledged_at: Mapped[datetime | None]
    # Came (True), did not come (False), or not marked yet (None): kept apart, so an
    # event nobody marked shows as such in the report rather than as zero.
    attended: Mapped[bool | None]
    # Moved from the waiting list to a seat; someone without Telegram must be phoned,
    # and told_at records that staff did.
    promoted_at: Mapped[datetime | None]
    told_at: Mapped[datetime | None]


class Dialog(Base):
    """Where a person is in a multi-step flow, kept here so it survives restarts."""

    __tablename__ = "dialog"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    state: Mapped[str] = mapped_column(String(32))
    data: Mapped[str] = mapped_column(Text, default="{}")
    updated_at: Mapped[datetime]


class Notification(Base):
    """The outbox: every message the bot must send on its own, sent once.

    The database, not the scheduler, is the source of truth: a row is claimed with a
    conditional update before sending, so two processes never send the same one.
    """

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("person_id", "event_id", "kind", "variant", name="uq_notification_key"),
        Index("ix_notification_status_due", "status", "due_at"),
        Index("ix_notification_event_kind", "event_id", "kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    variant: Mapped[str] = mapped_column(String(64), default="", server_default="")
    status: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime]
    # Not sent after this moment (the event's start): dropped instead.
    expires_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    claimed_by: Mapped[str | None] = mapped_column(String(40))
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    # What the text needs beyond the event itself, e.g. the old time of a moved event.
    payload: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    created_at: Mapped[datetime]


class Subscription(Base):
    """A resident who wants announcements of new events (of all kinds, or some)."""

    __tablename__ = "subscription"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    # Comma-separated event-kind keys, and audiences one per line; both empty means
    # every event, otherwise an event of a chosen kind or for a chosen audience.
    kinds: Mapped[str] = mapped_column(String(400), default="", server_default="")
    audiences: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Branch keys, comma-separated; empty means every branch (an event of no branch
    # reaches everyone).
    branches: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime]


class WalkIn(Base):
    """People who came without registering, counted per participant category."""

    __tablename__ = "walk_in"
    __table_args__ = (CheckConstraint("count >= 0", name="count_non_negative"),)

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class DoorCode(Base):
    """The unguessable part of an event's door QR code; staff can replace it (a printed
    code that got out), and then only the new one checks people in."""

    __tablename__ = "door_code"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime]


class DoorWalkIn(Base):
    """Someone not registered who checked in at the door: counted once among the event's
    walk-ins (their category's count), however often they scan."""

    __tablename__ = "door_walk_in"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    at: Mapped[datetime]


class ChannelPost(Base):
    """An event posted to the library's channel: at most once (the row is taken before
    posting and given back if Telegram refuses)."""

    __tablename__ = "channel_post"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    posted_at: Mapped[datetime]


class Feedback(Base):
    """How useful an event was to someone who came (1-5), and what they added. Reported
    without names: the person is kept only so that they answer once."""

    __tablename__ = "feedback"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_1_to_5"),)

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    rating: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime]


class StaffMember(Base):
    """Someone an administrator made staff in Telegram (administrators are in the config)."""

    __tablename__ = "staff_member"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    # As Telegram showed the person when added: only for the administrators' /staff list.
    name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    added_by: Mapped[int] = mapped_column(BigInteger)
    added_at: Mapped[datetime]
    # A branch's staff see and manage only its events; None: every branch.
    branch_key: Mapped[str | None] = mapped_column(String(32))


class StaffInvite(Base):
    """A one-time invitation link to become staff; only its hash is kept."""

    __tablename__ = "staff_invite"

    # A number administrators see and revoke by ("link №3"): never the token, nor its hash.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_by: Mapped[int | None] = mapped_column(BigInteger)
    used_at: Mapped[datetime | None]
    # Whoever joins with it becomes staff of this branch (None: of the whole library).
    branch_key: Mapped[str | None] = mapped_column(String(32))


class StaffDialog(Base):
    """A staff member's open input (a new event's next answer, a field being edited).

    Kept apart from the resident ``dialog``, so a librarian can register for an event
    while a half-filled draft waits; in the database, so both survive a restart.
    """

    __tablename__ = "staff_dialog"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    state: Mapped[str] = mapped_column(String(32))
    data: Mapped[str] = mapped_column(Text, default="{}")
    updated_at: Mapped[datetime]


class Heartbeat(Base):
    """A running bot's sign of life, one row per instance (``reminders.instance``): when
    it started and when it last beat, for ``hromada-bot status`` in a shell."""

    __tablename__ = "heartbeat"

    instance: Mapped[str] = mapped_column(String(100), primary_key=True)
    started_at: Mapped[datetime]
    beat_at: Mapped[datetime]
