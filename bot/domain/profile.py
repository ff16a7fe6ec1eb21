"""Checks on what residents type about themselves."""

from __future__ import annotations

import re
import unicodedata

from bot.domain.errors import InvalidInputError

NAME_MAX = 100
NAME_MIN = 2
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,22}$")


def clean_full_name(text: str) -> str:
    """Normalise a typed name, refusing what cannot be someone's name."""
    name = " ".join(unicodedata.normalize("NFC", text).split())
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise InvalidInputError("name_chars")
    if len(name) < NAME_MIN or not any(ch.isalpha() for ch in name):
        raise InvalidInputError("name_short")
    if len(name) > NAME_MAX:
        raise InvalidInputError("name_long")
    return name


def clean_phone(text: str) -> str:
    """Keep a phone number as ``+digits``; refuse anything that is not one.

    A Ukrainian number as people say it, ``050 123 45 67`` (0 and nine digits), gains
    the country code +38: staff call it back from the list, and a tap dials it."""
    raw = text.strip()
    if not _PHONE.match(raw):
        raise InvalidInputError("phone")
    digits = re.sub(r"\D", "", raw)
    if not 7 <= len(digits) <= 15:
        raise InvalidInputError("phone")
    if not raw.startswith("+") and len(digits) == 10 and digits.startswith("0"):
        digits = "38" + digits
    return "+" + digits
