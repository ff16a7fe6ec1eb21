from __future__ import annotations

import pytest

from handlers import callbacks

BIGGEST = 999_999_999


@pytest.mark.parametrize(
    ("data", "pattern"),
    [
        (callbacks.page(BIGGEST), callbacks.PAGE),
        (callbacks.event(BIGGEST), callbacks.EVENT),
        (callbacks.register(BIGGEST), callbacks.REGISTER),
        (callbacks.cancel(BIGGEST, "m"), callbacks.CANCEL),
        (callbacks.calendar(BIGGEST), callbacks.CALENDAR),
        (callbacks.language("en"), callbacks.LANGUAGE),
        (callbacks.category("ngo_activists_and_volunteers_xx"), callbacks.CATEGORY),
        (callbacks.consent(True), callbacks.CONSENT),
        (callbacks.attended(BIGGEST, BIGGEST, 9999), callbacks.ATTENDED),
        (callbacks.attendance_page(BIGGEST, 9999), callbacks.ATTENDANCE_PAGE),
        (callbacks.everyone_came(BIGGEST), callbacks.EVERYONE_CAME),
        (callbacks.walk_in(BIGGEST, "ngo_activists_and_volunteers_xx", "-"), callbacks.WALK_IN),
        (callbacks.subscribe_audience("пенсіонери " * 20), callbacks.SUBSCRIBE),
        (
            callbacks.new_event_choice("kind", "ngo_activists_and_volunteers_xx"),
            callbacks.NEW_EVENT_CHOICE,
        ),
        (callbacks.edit_field(BIGGEST, "place"), callbacks.EDIT_FIELD),
        (
            callbacks.edit_choice(BIGGEST, "kind", "ngo_activists_and_volunteers_xx"),
            callbacks.EDIT_CHOICE,
        ),
        (callbacks.edit_cancel(BIGGEST), callbacks.EDIT_CANCEL),
    ],
)
def test_every_button_fits_telegram_and_matches_its_handler(data: str, pattern: object) -> None:
    assert 1 <= len(data.encode()) <= 64
    assert pattern.match(data)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "forged",
    [
        "reg:",
        "reg:-1",
        "reg:1x",
        "reg:1234567890",
        "reg: 1",
        "cxl:1:x",
        "cxl:1",
        "lang:ru",
        "cat:Admin",
        "cns:maybe",
        "ev:1\n",
        "évs:1",
        "",
    ],
)
def test_malformed_data_matches_no_pattern(forged: str) -> None:
    patterns = [
        callbacks.PAGE,
        callbacks.EVENT,
        callbacks.REGISTER,
        callbacks.CANCEL,
        callbacks.CALENDAR,
        callbacks.LANGUAGE,
        callbacks.CATEGORY,
        callbacks.CONSENT,
    ]
    assert not any(p.match(forged) for p in patterns)
