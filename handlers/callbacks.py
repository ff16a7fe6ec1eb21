"""Every button kind, declared once: its prefix, its fields, who may press it, its handler.

A declaration builds the callback data (``REGISTER.data(42)`` -> ``"reg:42"``, checked
against Telegram's 64 bytes here and nowhere else) and parses it back into typed values;
``bot/app.py`` registers one handler per declaration, and the handler is attached where it
is written (``@callbacks.REGISTER.handles``). Ids, never words, go into the data.

Everything a button carries is untrusted: the parse is strict, the access check comes
from the declaration, and the services check that the thing exists and belongs to the
person who pressed.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bot.domain.door import CODE as DOOR_CODE_PATTERN
from handlers.access import Access

MAX_BYTES = 64  # Telegram's limit for callback_data

Handler = Callable[..., Awaitable[None]]
H = TypeVar("H", bound=Handler)


@dataclass(frozen=True)
class Field:
    """One value in the data: the text it may be, and how it becomes a value."""

    pattern: str
    convert: Callable[[str], Any] = str
    # The event the button acts on: a branch's staff may press it only for their branch's
    # events (checked in handlers/common.py before the handler runs).
    event: bool = False


_ID = Field(r"\d{1,9}", int)
_EVENT = Field(r"\d{1,9}", int, event=True)
_PAGE = Field(r"\d{1,4}", int)
_USER = Field(r"[1-9]\d{0,15}", int)  # Telegram user ids have up to 16 digits
_KEY = Field(r"[a-z][a-z0-9_]{0,31}")  # a category or kind key from the configuration
_STEP = Field(r"[a-z]{1,8}")  # a question of /newevent or a field of an event
_CHOICE = Field(r"[a-z0-9_]{1,32}")


def one_of(*values: str) -> Field:
    return Field("|".join(re.escape(v) for v in values))


@dataclass(eq=False)
class Button:
    """A kind of button: ``prefix:field:field``."""

    prefix: str
    fields: tuple[Field, ...]
    access: Access
    writes: bool  # takes SQLite's write lock before the first read (see handlers/common.py)
    handler: Handler | None = None
    pattern: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        parts = [re.escape(self.prefix)] + [f"({f.pattern})" for f in self.fields]
        # ASCII: \d would also take "٣", which int() reads, so forged data would not be
        # the one form this declaration builds.
        self.pattern = re.compile("^" + ":".join(parts) + r"\Z", re.ASCII)

    def data(self, *values: object) -> str:
        """The callback data for these values."""
        if len(values) != len(self.fields):
            raise TypeError(f"{self.prefix}: {len(self.fields)} values expected")
        data = ":".join([self.prefix, *(str(v) for v in values)])
        if len(data.encode()) > MAX_BYTES or not self.pattern.match(data):
            raise ValueError(f"not a valid {self.prefix!r} button: {data!r}")
        return data

    @property
    def event_at(self) -> int | None:
        """Which of the values is the event a staff button acts on (None: no event)."""
        if self.access == Access.ANYONE:
            return None
        return next((i for i, f in enumerate(self.fields) if f.event), None)

    def match(self, data: str) -> re.Match[str] | None:
        return self.pattern.match(data)

    def parse(self, data: str) -> tuple[Any, ...] | None:
        """The typed values, or None for data that is not this button's."""
        found = self.pattern.match(data)
        if found is None:
            return None
        return tuple(f.convert(v) for f, v in zip(self.fields, found.groups(), strict=True))

    def handles(self, handler: H) -> H:
        """Attach the handler: it is called with the update's reply and the values."""
        self.handler = handler
        return handler


ALL: list[Button] = []


def button(
    prefix: str, *fields: Field, access: Access = Access.ANYONE, writes: bool = False
) -> Button:
    declared = Button(prefix, fields, access, writes)
    ALL.append(declared)
    return declared


# --- residents -------------------------------------------------------------------------

MENU = button("menu")
MY = button("my")
LANGUAGES = button("lng")
USE_TELEGRAM_NAME = button("nm")
FORGET_CONFIRMED = button("fgt:y")
PAGE = button("evs", _ID)
EVENT = button("ev", _ID)
# The hot path: the look-up of the person and the registration share one transaction.
REGISTER = button("reg", _ID, writes=True)
# «Sign up for all»: every occurrence of the event's weekly series from it on.
REGISTER_SERIES = button("rgs", _ID, writes=True)
# The second field says which view to redraw after cancelling: the card or /my.
CANCEL = button("cxl", _ID, one_of("c", "m"))
CALENDAR = button("ics", _ID)
LANGUAGE = button("lang", one_of("uk", "en"))
CATEGORY = button("cat", _KEY)
CONSENT = button("cns", one_of("y", "n"))
COMING = button("rmy", _ID)
NOT_COMING = button("rmn", _ID)
SUBSCRIPTIONS = button("subs")
# "*" subscribes to every event; a kind key, or "a:" and an audience's key, toggles it;
# "b:" and a branch key toggles that branch, "b:*" is every branch.
SUBSCRIBE = button(
    "sub", Field(r"\*|[a-z][a-z0-9_]{0,31}|a:[0-9a-f]{8}|b:\*|b:[a-z][a-z0-9_]{0,31}")
)
UNSUBSCRIBE_HERE = button("uns")  # under an announcement
UNSUBSCRIBE_ON_SCREEN = button("uns:s")  # on the subscriptions screen, which is redrawn

# The residents' list narrowed to a branch (its key; "evs" is every branch), and a page.
BRANCH_PAGE = button("evb", _KEY, _ID)
# The branches to narrow the list to; the field is the current choice ("*": none), marked.
BRANCHES = button("evbs", Field(r"\*|[a-z][a-z0-9_]{0,31}"))
NEAR = button("near")  # «📍 Near me»: asks for the location (handlers/nearby.py)

# --- staff: attendance (handlers/attendance.py) ------------------------------------------

ATTENDANCE_PAGE = button("atp", _EVENT, _PAGE, access=Access.STAFF)
ATTENDED = button("att", _EVENT, _ID, _PAGE, access=Access.STAFF)  # event, person, page to redraw
EVERYONE_CAME = button("atall", _EVENT, access=Access.STAFF)
WALK_IN = button("wk", _EVENT, _KEY, one_of("+", "-"), access=Access.STAFF)

# --- staff: the events list and card (handlers/staff_events.py) --------------------------

STAFF_EVENTS_PAGE = button("sevs", _PAGE, access=Access.STAFF)
STAFF_EVENT = button("sev", _EVENT, access=Access.STAFF)
PUBLISH_EVENT = button("sepb", _EVENT, access=Access.STAFF)
ASK_CANCEL_EVENT = button("secq", _EVENT, access=Access.STAFF)
CANCEL_EVENT = button("secx", _EVENT, access=Access.STAFF)
ANNOUNCE_EVENT = button("sean", _EVENT, access=Access.STAFF)
REGISTRANTS = button("serg", _EVENT, one_of("c", "x"), access=Access.STAFF)  # CSV or XLSX
POSTER = button("sept", _EVENT, access=Access.STAFF)
SIGN_IN_SHEET = button("sesl", _EVENT, access=Access.STAFF)  # DOCX and PDF to print
ASK_DELETE_DRAFT = button("sdq", _EVENT, access=Access.STAFF)
DELETE_DRAFT = button("sdx", _EVENT, access=Access.STAFF)

# --- staff: /newevent (handlers/new_event.py) and editing (handlers/event_edit.py) -------
# A choice names the question it answers, so a button of an older question is refused.

NEW_EVENT_CHOICE = button("ne", _STEP, _CHOICE, access=Access.STAFF)
NEW_EVENT_CANCEL = button("ne:x", access=Access.STAFF)
EDIT_EVENT = button("sed", _EVENT, access=Access.STAFF)
EDIT_FIELD = button("sef", _EVENT, _STEP, access=Access.STAFF)
EDIT_CHOICE = button("eda", _EVENT, _STEP, _CHOICE, access=Access.STAFF)
EDIT_CANCEL = button("edx", _EVENT, access=Access.STAFF)
REPORT_WORDING = button("serw", _EVENT, access=Access.STAFF)  # «📄 As in the report»

# --- staff: programmes (handlers/programs.py) ---------------------------------------------

PROGRAMS = button("pgs", access=Access.LIBRARY)
PROGRAM = button("pg", _ID, access=Access.LIBRARY)
PROGRAM_NEW = button("pg:new", access=Access.LIBRARY)
PROGRAM_FIELD = button("pgf", _ID, _STEP, access=Access.LIBRARY)
PROGRAM_CHOICE = button("pga", _ID, _STEP, _CHOICE, access=Access.LIBRARY)  # clear / cancel
NEW_PROGRAM_CHOICE = button("np", _STEP, _CHOICE, access=Access.LIBRARY)  # skip
NEW_PROGRAM_CANCEL = button("np:x", access=Access.LIBRARY)

# --- administrators: staff management (handlers/staff_admin.py) ---------------------------

STAFF = button("stf", access=Access.ADMIN)  # the /staff screen; "cancel" on its questions
STAFF_INVITE = button("stf:inv", access=Access.ADMIN)
STAFF_ADD = button("stf:add", _USER, access=Access.ADMIN)
STAFF_REMOVE = button("stf:rm", _USER, access=Access.ADMIN)
STAFF_REMOVE_CONFIRMED = button("stf:rmy", _USER, access=Access.ADMIN)
STAFF_REVOKE = button("stf:rv", _ID, access=Access.ADMIN)  # an invitation's number
# Branches (when configured): a member's branch, and an invitation for one; "*" is the
# whole library.
_BRANCH = Field(r"\*|[a-z][a-z0-9_]{0,31}")
STAFF_BRANCH = button("stf:br", _USER, access=Access.ADMIN)  # «🏠» beside a member: ask
STAFF_SET_BRANCH = button("stf:sb", _USER, _BRANCH, access=Access.ADMIN)
STAFF_INVITE_FOR = button("stf:ib", _BRANCH, access=Access.ADMIN)

# --- staff: residents who phone (handlers/phone_registrants.py) ---------------------------

ADD_VISITOR = button("pva", _EVENT, access=Access.STAFF)  # «➕» on the card: ask the name
VISITOR_CATEGORY = button("pvc", _EVENT, _KEY, access=Access.STAFF)
VISITOR_NO_PHONE = button("pvs", _EVENT, access=Access.STAFF)
VISITOR_STOP = button("pvx", _EVENT, access=Access.STAFF)
CALL_LIST = button("pcl", _EVENT, access=Access.STAFF)
CALLER = button("pcp", _EVENT, _ID, access=Access.STAFF)  # event, person
CALLER_TOLD = button("pct", _EVENT, _ID, access=Access.STAFF)
CALLER_ASK_CANCEL = button("pcq", _EVENT, _ID, access=Access.STAFF)
CALLER_CANCEL = button("pcx", _EVENT, _ID, access=Access.STAFF)
CALLER_ASK_FORGET = button("pfq", _EVENT, _ID, access=Access.STAFF)
CALLER_FORGET = button("pfx", _EVENT, _ID, access=Access.STAFF)

# --- staff: the morning summary (handlers/summary.py) -------------------------------------

SUMMARY = button("sum", one_of("on", "off"), access=Access.STAFF)
# Under the summary: an event's attendance sheet and its card, each in a new message, so
# that the summary stays readable.
SUMMARY_ATTENDANCE = button("suma", _EVENT, access=Access.STAFF)
SUMMARY_CARD = button("sumc", _EVENT, access=Access.STAFF)

# --- checking in at the door (handlers/door.py) -------------------------------------------

DOOR_CODE = button("sdc", _EVENT, access=Access.STAFF, writes=True)  # the printable QR code
NEW_DOOR_CODE = button("sdn", _EVENT, access=Access.STAFF, writes=True)  # the old one stops
# A walk-in's answer carries the code they scanned, so it cannot be sent without it.
DOOR_CATEGORY = button("dci", Field(DOOR_CODE_PATTERN), _KEY, writes=True)

# --- the question after an event (handlers/feedback.py) -----------------------------------

FEEDBACK_RATE = button("fbr", _ID, one_of("1", "2", "3", "4", "5"), writes=True)
FEEDBACK_OFF = button("fbx", writes=True)  # «don't ask me again»

# --- where an event is (handlers/resident.py) ----------------------------------------------

VENUE = button("vn", _ID)  # «📍 How to get there»: the place on a map (Telegram's venue)

# --- staff: /report for one branch or all (handlers/report.py) -----------------------------
# The branch ("*": all of them), the period's first and last day (YYYYMMDD) and the
# programme's id (0: none): the period and programme /report was given.

REPORT_BRANCH = button(
    "rpb",
    Field(r"\*|[a-z][a-z0-9_]{0,31}"),
    Field(r"[0-9]{8}"),
    Field(r"[0-9]{8}"),
    _ID,
    access=Access.STAFF,
)
