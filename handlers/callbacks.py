"""Callback data: built and matched here only. Ids, never words (64 bytes at most).

Everything a button carries is untrusted: handlers match these patterns and the
services check that the thing exists and belongs to the person who pressed.
"""

from __future__ import annotations

import re

from bot.domain.interests import audience_key

_ID = r"(\d{1,9})"

MENU = "menu"
MY = "my"
LANGUAGES = "lng"
USE_TELEGRAM_NAME = "nm"
FORGET_CONFIRMED = "fgt:y"

PAGE = re.compile(rf"^evs:{_ID}\Z")
EVENT = re.compile(rf"^ev:{_ID}\Z")
REGISTER = re.compile(rf"^reg:{_ID}\Z")
# The second part says which view to redraw after cancelling: the card or /my.
CANCEL = re.compile(rf"^cxl:{_ID}:([cm])\Z")
CALENDAR = re.compile(rf"^ics:{_ID}\Z")
LANGUAGE = re.compile(r"^lang:(uk|en)\Z")
COMING = re.compile(rf"^rmy:{_ID}\Z")
NOT_COMING = re.compile(rf"^rmn:{_ID}\Z")
SUBSCRIPTIONS = "subs"
# "uns" under an announcement; "uns:s" on the subscriptions screen, which is redrawn.
UNSUBSCRIBE = re.compile(r"^uns(:s)?\Z")
UNSUBSCRIBE_HERE = "uns"
UNSUBSCRIBE_ON_SCREEN = "uns:s"
# "*" subscribes to every event; a kind key, or "a:" and an audience's key, toggles it.
SUBSCRIBE = re.compile(r"^sub:(\*|[a-z][a-z0-9_]{0,31}|a:[0-9a-f]{8})\Z")
CATEGORY = re.compile(r"^cat:([a-z][a-z0-9_]{0,31})\Z")
CONSENT = re.compile(r"^cns:([yn])\Z")


def page(n: int) -> str:
    return f"evs:{n}"


def event(event_id: int) -> str:
    return f"ev:{event_id}"


def register(event_id: int) -> str:
    return f"reg:{event_id}"


def cancel(event_id: int, origin: str) -> str:
    return f"cxl:{event_id}:{origin}"


def calendar(event_id: int) -> str:
    return f"ics:{event_id}"


def language(code: str) -> str:
    return f"lang:{code}"


def category(key: str) -> str:
    return f"cat:{key}"


def consent(agreed: bool) -> str:
    return f"cns:{'y' if agreed else 'n'}"


# Staff only: attendance of an event.
ATTENDANCE_PAGE = re.compile(rf"^atp:{_ID}:(\d{{1,4}})\Z")
ATTENDED = re.compile(rf"^att:{_ID}:{_ID}:(\d{{1,4}})\Z")  # event, person, page to redraw
EVERYONE_CAME = re.compile(rf"^atall:{_ID}\Z")
WALK_IN = re.compile(rf"^wk:{_ID}:([a-z][a-z0-9_]{{0,31}}):([+-])\Z")


def attendance_page(event_id: int, page: int) -> str:
    return f"atp:{event_id}:{page}"


def attended(event_id: int, person_id: int, page: int) -> str:
    return f"att:{event_id}:{person_id}:{page}"


def everyone_came(event_id: int) -> str:
    return f"atall:{event_id}"


def walk_in(event_id: int, category: str, sign: str) -> str:
    return f"wk:{event_id}:{category}:{sign}"


def coming(event_id: int) -> str:
    return f"rmy:{event_id}"


def not_coming(event_id: int) -> str:
    return f"rmn:{event_id}"


def subscribe(kind: str) -> str:
    return f"sub:{kind}"


def subscribe_audience(audience: str) -> str:
    return f"sub:a:{audience_key(audience)}"


def exact(data: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(data)}\Z")


# Staff only: events. The list and the card live in handlers/staff_events.py, editing a
# field in handlers/event_edit.py; each links to the other through these.
STAFF_EVENTS_PAGE = re.compile(r"^sevs:(\d{1,4})\Z")
STAFF_EVENT = re.compile(rf"^sev:{_ID}\Z")
EDIT_EVENT = re.compile(rf"^sed:{_ID}\Z")


def staff_events_page(page: int) -> str:
    return f"sevs:{page}"


def staff_event(event_id: int) -> str:
    return f"sev:{event_id}"


def edit_event(event_id: int) -> str:
    return f"sed:{event_id}"


# Staff only: /newevent (handlers/new_event.py) and editing a field (handlers/event_edit.py).
# A choice names the question it answers, so a button of an older question is refused.
_STEP = r"([a-z]{1,8})"
_CHOICE = r"([a-z0-9_]{1,32})"
NEW_EVENT_CHOICE = re.compile(rf"^ne:{_STEP}:{_CHOICE}\Z")
NEW_EVENT_CANCEL = "ne:x"
EDIT_FIELD = re.compile(rf"^sef:{_ID}:{_STEP}\Z")
EDIT_CHOICE = re.compile(rf"^eda:{_ID}:{_STEP}:{_CHOICE}\Z")
EDIT_CANCEL = re.compile(rf"^edx:{_ID}\Z")


def new_event_choice(step: str, value: str) -> str:
    return f"ne:{step}:{value}"


def edit_field(event_id: int, field: str) -> str:
    return f"sef:{event_id}:{field}"


def edit_choice(event_id: int, field: str, value: str) -> str:
    return f"eda:{event_id}:{field}:{value}"


def edit_cancel(event_id: int) -> str:
    return f"edx:{event_id}"


# Administrators only: staff management (handlers/staff_admin.py). Telegram user ids have
# up to 16 digits.
_USER = r"([1-9]\d{0,15})"
STAFF = "stf"  # the /staff screen; also "cancel" on its confirmations
STAFF_INVITE = "stf:inv"
STAFF_ADD = re.compile(rf"^stf:add:{_USER}\Z")
STAFF_REMOVE = re.compile(rf"^stf:rm:{_USER}\Z")
STAFF_REMOVE_CONFIRMED = re.compile(rf"^stf:rmy:{_USER}\Z")


def staff_add(telegram_id: int) -> str:
    return f"stf:add:{telegram_id}"


def staff_remove(telegram_id: int) -> str:
    return f"stf:rm:{telegram_id}"


def staff_remove_confirmed(telegram_id: int) -> str:
    return f"stf:rmy:{telegram_id}"


# Staff only: the actions of an event's staff card (handlers/staff_events.py).
PUBLISH_EVENT = re.compile(rf"^sepb:{_ID}\Z")
ASK_CANCEL_EVENT = re.compile(rf"^secq:{_ID}\Z")
CANCEL_EVENT = re.compile(rf"^secx:{_ID}\Z")
ANNOUNCE_EVENT = re.compile(rf"^sean:{_ID}\Z")
# c: CSV, x: XLSX
REGISTRANTS = re.compile(rf"^serg:{_ID}:([cx])\Z")
POSTER = re.compile(rf"^sept:{_ID}\Z")


def publish_event(event_id: int) -> str:
    return f"sepb:{event_id}"


def ask_cancel_event(event_id: int) -> str:
    return f"secq:{event_id}"


def cancel_event(event_id: int) -> str:
    return f"secx:{event_id}"


def announce_event(event_id: int) -> str:
    return f"sean:{event_id}"


def registrants(event_id: int, file_format: str) -> str:
    return f"serg:{event_id}:{file_format}"


def poster(event_id: int) -> str:
    return f"sept:{event_id}"


# Staff only: deleting a draft from its card (handlers/staff_events.py).
ASK_DELETE_DRAFT = re.compile(rf"^sdq:{_ID}\Z")
DELETE_DRAFT = re.compile(rf"^sdx:{_ID}\Z")


def ask_delete_draft(event_id: int) -> str:
    return f"sdq:{event_id}"


def delete_draft(event_id: int) -> str:
    return f"sdx:{event_id}"
