"""Rules of staff management: invitation tokens and the ids administrators type."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

# The deep-link payload is "staff_<token>": at most 64 characters of A-Z a-z 0-9 _ -.
INVITE_PREFIX = "staff_"
INVITE_TTL = timedelta(days=7)
TOKEN_BYTES = 24  # 32 URL-safe characters: 192 random bits
NAME_MAX = 100  # staff_member.name

_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,58}")
# Telegram user ids have up to 52 significant bits: 16 digits at most.
_USER_ID = re.compile(r"[1-9][0-9]{0,15}")


def invite_hash(token: str) -> str:
    """What is kept of a token: its SHA-256, so a leaked database opens no door."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def invite_token(payload: str) -> str | None:
    """The token of a ``/start staff_<token>`` payload; None if it is not one."""
    if not payload.startswith(INVITE_PREFIX):
        return None
    token = payload[len(INVITE_PREFIX) :]
    return token if _TOKEN.fullmatch(token) else None


def parse_user_id(text: str) -> int | None:
    """A Telegram user id as an administrator types it; None if it is not one."""
    text = text.strip()
    return int(text) if _USER_ID.fullmatch(text) else None


def display_name(first_name: str, last_name: str | None = None) -> str:
    """A person's Telegram name as stored for the staff list."""
    name = " ".join(part for part in (first_name, last_name) if part).strip()
    return name[:NAME_MAX]


_ALPHABET = {c: i for i, c in enumerate("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя")}


def name_key(name: str) -> tuple[tuple[int, int], ...]:
    """Sort names in Ukrainian alphabetical order (code points put І, Ї, Є, Ґ apart from
    their neighbours); spaces and signs first, then Ukrainian letters, then the rest."""
    return tuple(
        (1, _ALPHABET[c]) if c in _ALPHABET else (2 if c.isalpha() else 0, ord(c))
        for c in name.casefold()
    )
