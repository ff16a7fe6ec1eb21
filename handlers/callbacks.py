"""Callback data: built and matched here only. Ids, never words (64 bytes at most).

Everything a button carries is untrusted: handlers match these patterns and the
services check that the thing exists and belongs to the person who pressed.
"""

from __future__ import annotations

import re

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


def exact(data: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(data)}\Z")
