"""``hromada-bot status`` in a shell says from the heartbeat whether a bot is running;
``/status`` names the kinds of messages in the staff's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.cli.status import running, span
from bot.domain.status import NotificationKind
from bot.i18n import Catalogs
from bot.services.status import Status
from handlers.status import kind_name

NOW = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)


def figures(started: timedelta | None, beat: timedelta | None) -> Status:
    return Status(
        version="1",
        uptime=None,
        dialect="sqlite",
        revision="0010",
        database_bytes=None,
        queued=0,
        failed=0,
        held=0,
        last_sent_at=None,
        last_error_at=None,
        last_error=None,
        checked_at=NOW,
        bot_started_at=NOW - started if started is not None else None,
        bot_beat_at=NOW - beat if beat is not None else None,
    )


@pytest.mark.parametrize(
    ("started", "beat", "said"),
    [
        (
            timedelta(hours=3, minutes=12),
            timedelta(seconds=20),
            "running for 3 h 12 min (beat 20 s ago)",
        ),
        (timedelta(seconds=5), timedelta(seconds=5), "running for 5 s (beat 5 s ago)"),
        (
            timedelta(days=2, minutes=5),
            timedelta(minutes=3),
            "running for 2 d 0 h 5 min (beat 3 min ago)",
        ),
        (timedelta(hours=5), timedelta(minutes=3, seconds=1), "no bot has beaten for 3 min"),
        (timedelta(days=3), timedelta(hours=26, minutes=4), "no bot has beaten for 1 d 2 h 4 min"),
        (None, None, "no bot has beaten yet (none has run against this database)"),
    ],
)
def test_running_or_not_from_the_heartbeat(
    started: timedelta | None, beat: timedelta | None, said: str
) -> None:
    assert running(figures(started, beat)) == said


def test_a_clock_a_little_behind_the_bot_s_is_not_a_negative_span() -> None:
    assert span(timedelta(seconds=-3)) == "0 s"


@pytest.mark.parametrize("kind", list(NotificationKind))
def test_every_kind_of_message_has_a_name_in_ukrainian(kind: NotificationKind) -> None:
    name = kind_name(Catalogs().get("uk"), kind)
    assert name != kind and name != kind_name(Catalogs().get("en"), kind)


def test_a_kind_this_version_does_not_know_is_shown_as_stored() -> None:
    assert kind_name(Catalogs().get("uk"), "future_kind") == "future_kind"
