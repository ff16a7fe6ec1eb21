"""A day as people type it: ``03.12.2026`` or ``2026-12-03``."""

from __future__ import annotations

import re
from datetime import date

_DMY = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def written_day(value: str) -> date | None:
    """The day ``value`` (already stripped) names; None when it is written some other way.
    Raises ValueError for a day the calendar does not have (31.02.2026)."""
    if match := _DMY.fullmatch(value):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.fullmatch(value):
        year, month, day = (int(g) for g in match.groups())
    else:
        return None
    return date(year, month, day)
