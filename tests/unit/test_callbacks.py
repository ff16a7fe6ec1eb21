from __future__ import annotations

import pytest

from bot.domain.interests import audience_key
from handlers import callbacks

BIGGEST = 999_999_999


@pytest.mark.parametrize(
    ("data", "pattern"),
    [
        (callbacks.PAGE.data(BIGGEST), callbacks.PAGE),
        (callbacks.EVENT.data(BIGGEST), callbacks.EVENT),
        (callbacks.REGISTER.data(BIGGEST), callbacks.REGISTER),
        (callbacks.CANCEL.data(BIGGEST, "m"), callbacks.CANCEL),
        (callbacks.CALENDAR.data(BIGGEST), callbacks.CALENDAR),
        (callbacks.LANGUAGE.data("en"), callbacks.LANGUAGE),
        (callbacks.CATEGORY.data("ngo_activists_and_volunteers_xx"), callbacks.CATEGORY),
        (callbacks.CONSENT.data("y"), callbacks.CONSENT),
        (callbacks.ATTENDED.data(BIGGEST, BIGGEST, 9999), callbacks.ATTENDED),
        (callbacks.ATTENDANCE_PAGE.data(BIGGEST, 9999), callbacks.ATTENDANCE_PAGE),
        (callbacks.EVERYONE_CAME.data(BIGGEST), callbacks.EVERYONE_CAME),
        (
            callbacks.WALK_IN.data(BIGGEST, "ngo_activists_and_volunteers_xx", "-"),
            callbacks.WALK_IN,
        ),
        (callbacks.SUBSCRIBE.data("a:" + audience_key("пенсіонери " * 20)), callbacks.SUBSCRIBE),
        (
            callbacks.NEW_EVENT_CHOICE.data("kind", "ngo_activists_and_volunteers_xx"),
            callbacks.NEW_EVENT_CHOICE,
        ),
        (callbacks.EDIT_FIELD.data(BIGGEST, "place"), callbacks.EDIT_FIELD),
        (
            callbacks.EDIT_CHOICE.data(BIGGEST, "kind", "ngo_activists_and_volunteers_xx"),
            callbacks.EDIT_CHOICE,
        ),
        (callbacks.EDIT_CANCEL.data(BIGGEST), callbacks.EDIT_CANCEL),
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


# Staff buttons whose first number is not an event: a programme's, an invitation's.
NOT_AN_EVENT = {"pg", "pgf", "pga", "stf:rv", "rpb"}  # programmes, invitations, a report


def test_every_staff_button_with_an_id_names_its_event_for_the_branch_check() -> None:
    """A staff button carrying an id is checked against the presser's branch only if its
    declaration marks the event (``_EVENT``): a new one must, or be listed above."""
    for button in callbacks.ALL:
        if button.access == callbacks.Access.ANYONE or button.prefix in NOT_AN_EVENT:
            continue
        numbered = any(f.pattern == r"\d{1,9}" for f in button.fields)
        assert (button.event_at is not None) == numbered, button.prefix
    assert callbacks.CALLER.event_at == 0 and callbacks.EVENT.event_at is None
