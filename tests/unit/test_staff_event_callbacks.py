"""Callback data of the staff's event card: within Telegram's limit, and strict."""

from __future__ import annotations

import re

import pytest

from handlers import callbacks

BIGGEST = 999_999_999

CARD_PATTERNS = [
    callbacks.STAFF_EVENTS_PAGE,
    callbacks.STAFF_EVENT,
    callbacks.PUBLISH_EVENT,
    callbacks.ASK_CANCEL_EVENT,
    callbacks.CANCEL_EVENT,
    callbacks.ANNOUNCE_EVENT,
    callbacks.REGISTRANTS,
    callbacks.POSTER,
]


@pytest.mark.parametrize(
    ("data", "pattern"),
    [
        (callbacks.STAFF_EVENTS_PAGE.data(9999), callbacks.STAFF_EVENTS_PAGE),
        (callbacks.STAFF_EVENT.data(BIGGEST), callbacks.STAFF_EVENT),
        (callbacks.PUBLISH_EVENT.data(BIGGEST), callbacks.PUBLISH_EVENT),
        (callbacks.ASK_CANCEL_EVENT.data(BIGGEST), callbacks.ASK_CANCEL_EVENT),
        (callbacks.CANCEL_EVENT.data(BIGGEST), callbacks.CANCEL_EVENT),
        (callbacks.ANNOUNCE_EVENT.data(BIGGEST), callbacks.ANNOUNCE_EVENT),
        (callbacks.REGISTRANTS.data(BIGGEST, "c"), callbacks.REGISTRANTS),
        (callbacks.REGISTRANTS.data(BIGGEST, "x"), callbacks.REGISTRANTS),
        (callbacks.POSTER.data(BIGGEST), callbacks.POSTER),
    ],
)
def test_each_button_fits_and_matches_only_its_own_pattern(
    data: str, pattern: re.Pattern[str]
) -> None:
    assert 1 <= len(data.encode()) <= 64
    assert [p for p in CARD_PATTERNS if p.match(data)] == [pattern]


@pytest.mark.parametrize(
    "forged",
    [
        "sepb:",
        "sepb:-1",
        "sepb:1234567890",
        "secx:1:y",
        "serg:1",
        "serg:1:pdf",
        "sept:1\n",
        "sean:x",
    ],
)
def test_malformed_card_data_matches_nothing(forged: str) -> None:
    assert not any(p.match(forged) for p in CARD_PATTERNS)
