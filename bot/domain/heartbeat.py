"""When a running bot counts as alive: it beats every minute; three missed beats and it
is taken for gone (stopped, crashed, or its machine asleep)."""

from __future__ import annotations

from datetime import datetime, timedelta

BEAT_EVERY = timedelta(minutes=1)
GONE_AFTER = 3 * BEAT_EVERY


def alive(beat_at: datetime | None, now: datetime) -> bool:
    """Whether a bot that last beat at ``beat_at`` is running at ``now``."""
    return beat_at is not None and now - beat_at <= GONE_AFTER
