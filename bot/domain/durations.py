"""Short human-written durations such as "24h", "30m" or "1h30m".

Used by the configuration (``reminders.before``) and anywhere a staff member
types a time span. Units: ``d`` (days), ``h`` (hours), ``m`` (minutes),
``s`` (seconds), written largest first and each at most once.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

MAX_DURATION = timedelta(days=60)
"""Anything longer is almost certainly a typo (e.g. "2400h" for "24h")."""

_EXAMPLES = '"24h", "2h", "30m" or "45s"'
_UNITS: tuple[tuple[str, int], ...] = (("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1))
_PATTERN = re.compile(r"(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?")
# More digits than this cannot be within MAX_DURATION in any unit; checked
# before int() so that absurd input never builds a huge number.
_MAX_DIGITS = 8


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def parse_duration(text: str) -> timedelta:
    """Parse "24h", "2h", "30m", "45s", "1d" or a combination such as "1h30m".

    Whitespace is ignored and units are case-insensitive. Raises ``ValueError``
    with a one-line message (showing an example) for empty, zero, negative,
    malformed or absurdly long (more than 60 days) durations.
    """
    if not isinstance(text, str):
        raise TypeError(
            f"a duration must be a string such as {_EXAMPLES}, got {type(text).__name__}"
        )
    compact = "".join(text.split()).lower()
    if not compact:
        raise ValueError(f"expected a duration such as {_EXAMPLES}, got an empty string")
    if compact.startswith("-"):
        raise ValueError(
            f"a duration cannot be negative; expected e.g. {_EXAMPLES}, got {_quote(text)}"
        )
    match = _PATTERN.fullmatch(compact)
    if match is None or not any(match.groups()):
        raise ValueError(f"expected a duration such as {_EXAMPLES}, got {_quote(text)}")
    seconds = 0
    for number, (_unit, factor) in zip(match.groups(), _UNITS, strict=True):
        if number is None:
            continue
        if len(number.lstrip("0")) > _MAX_DIGITS:
            seconds = MAX_DURATION.days * 86_400 + 1
            break
        seconds += int(number) * factor
    if seconds == 0:
        raise ValueError(
            f"a duration must be greater than zero, such as {_EXAMPLES}, got {_quote(text)}"
        )
    if seconds > MAX_DURATION.total_seconds():
        raise ValueError(
            f"a duration must be at most {format_duration(MAX_DURATION)} "
            f"(e.g. {_EXAMPLES}), got {_quote(text)}"
        )
    return timedelta(seconds=seconds)


def format_duration(duration: timedelta) -> str:
    """The inverse of :func:`parse_duration`: ``timedelta(hours=1, minutes=30)`` -> "1h30m".

    Whole days are written as ``d`` ("1d", "2d12h"); zero is "0s". Raises
    ``ValueError`` for negative durations and fractions of a second.
    """
    if duration < timedelta(0):
        raise ValueError(f"cannot format a negative duration: {duration}")
    if duration.microseconds:
        raise ValueError(f"cannot format a duration with fractions of a second: {duration}")
    remaining = duration.days * 86_400 + duration.seconds
    if remaining == 0:
        return "0s"
    parts: list[str] = []
    for unit, factor in _UNITS:
        count, remaining = divmod(remaining, factor)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)
