from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.errors import ClosedReason, InvalidInputError
from bot.domain.profile import clean_full_name, clean_phone
from bot.domain.rules import closed_reason, seats_left
from bot.domain.signup import Step, next_step

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "starts_in", "expected"),
    [
        ("published", timedelta(seconds=1), None),
        ("published", timedelta(0), ClosedReason.STARTED),
        ("published", timedelta(hours=-3), ClosedReason.STARTED),
        ("cancelled", timedelta(days=1), ClosedReason.CANCELLED),
        ("cancelled", timedelta(days=-1), ClosedReason.CANCELLED),
        ("draft", timedelta(days=1), ClosedReason.NOT_PUBLISHED),
    ],
)
def test_when_registration_is_closed(
    status: str, starts_in: timedelta, expected: ClosedReason | None
) -> None:
    assert closed_reason(status, NOW + starts_in, NOW) == expected


@pytest.mark.parametrize(
    ("capacity", "taken", "left"), [(None, 5, None), (10, 3, 7), (10, 10, 0), (10, 12, 0)]
)
def test_seats_left(capacity: int | None, taken: int, left: int | None) -> None:
    assert seats_left(capacity, taken) == left


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Олена Петренко", "Олена Петренко"),
        ("  Іван   <b>&  Петренко ", "Іван <b>& Петренко"),
        ("O'Neil Мар’яна-Ганна", "O'Neil Мар’яна-Ганна"),
        ("Ян", "Ян"),
    ],
)
def test_names_are_tidied_but_kept_as_typed(typed: str, stored: str) -> None:
    assert clean_full_name(typed) == stored


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", "name_short"),
        ("  ", "name_short"),
        ("Я", "name_short"),
        ("12345", "name_short"),
        ("а" * 101, "name_long"),
        ("Іван\u200bПетро", "name_chars"),
        ("Іван\x07", "name_chars"),
    ],
)
def test_impossible_names_are_refused(typed: str, problem: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        clean_full_name(typed)
    assert info.value.problem == problem


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+380501234567", "+380501234567"),
        ("380501234567", "+380501234567"),
        ("+38 (050) 123-45-67", "+380501234567"),
        ("0501234567", "+380501234567"),
        ("050 123 45 67", "+380501234567"),
        ("04845 2-15-47", "+380484521547"),
    ],
)
def test_phone_numbers_are_normalised(typed: str, stored: str) -> None:
    assert clean_phone(typed) == stored


@pytest.mark.parametrize(
    "typed", ["", "call me", "+12", "1" * 30, "+380<b>1234567", "+38050123456789012"]
)
def test_bad_phone_numbers_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInputError):
        clean_phone(typed)


@pytest.mark.parametrize(
    ("name", "category", "phone", "consent", "expected"),
    [
        (False, False, False, False, Step.NAME),
        (True, False, False, False, Step.CATEGORY),
        (True, True, False, False, Step.PHONE),
        (True, True, True, False, Step.CONSENT),
        (True, True, True, True, None),
        (False, True, True, True, Step.NAME),  # a name deleted later is asked again
    ],
)
def test_signup_questions_come_in_order(
    name: bool, category: bool, phone: bool, consent: bool, expected: Step | None
) -> None:
    assert (
        next_step(has_name=name, has_category=category, phone_done=phone, has_consent=consent)
        == expected
    )
