"""What free text typed by people may hold: no invisible control characters."""

from __future__ import annotations

import unicodedata

# Line breaks and tabs are whitespace a multi-line field keeps; a one-line field has
# already folded them into spaces by the time it is checked.
_ALLOWED = frozenset("\n\t")
# Not control characters to Unicode, but XML (and so XLSX) refuses them as well.
_NONCHARACTERS = frozenset("\ufffe\uffff")


def has_control_characters(text: str) -> bool:
    """Whether ``text`` holds a C0/C1 control character, DEL, a lone surrogate or a
    noncharacter: invisible on screen, they make the registrants' XLSX and the calendar
    file unreadable (pasted text sometimes brings them along)."""
    return any(
        ch not in _ALLOWED and (unicodedata.category(ch) in ("Cc", "Cs") or ch in _NONCHARACTERS)
        for ch in text
    )


def one_line(text: str) -> str:
    """Runs of whitespace, line breaks included, as one space; none at the ends."""
    return " ".join(text.split())


def multiline(text: str) -> str:
    """Line breaks as ``\\n`` (a CR alone or before LF too); no whitespace at the ends."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()
