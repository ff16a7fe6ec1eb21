"""Invitation payloads and typed Telegram ids."""

from __future__ import annotations

import pytest

from bot.domain.staff import display_name, invite_hash, invite_token, name_key, parse_user_id


@pytest.mark.parametrize(
    ("payload", "token"),
    [
        ("staff_" + "a" * 32, "a" * 32),
        ("staff_Ab-_09" + "x" * 26, "Ab-_09" + "x" * 26),
        ("staff_", None),
        ("staff_short", None),
        ("staff_" + "a" * 59, None),  # longer than a deep link allows
        ("staff_" + "a" * 31 + "!", None),
        ("event_5", None),
        ("Staff_" + "a" * 32, None),
    ],
)
def test_invite_token(payload: str, token: str | None) -> None:
    assert invite_token(payload) == token


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("123456789", 123456789),
        (" 7 ", 7),
        ("8123456789012345", 8123456789012345),
        ("0", None),
        ("012", None),
        ("-5", None),
        ("12345678901234567", None),
        ("@olena", None),
        ("١٢٣", None),  # other scripts' digits are not ids
        ("", None),
    ],
)
def test_parse_user_id(text: str, expected: int | None) -> None:
    assert parse_user_id(text) == expected


def test_hash_and_names() -> None:
    assert invite_hash("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert display_name("Марія", "Шевчук") == "Марія Шевчук"
    assert display_name("Марія", None) == "Марія"
    assert len(display_name("Я" * 80, "Б" * 80)) == 100


def test_names_sort_in_ukrainian_alphabetical_order() -> None:
    names = ["Яна", "Ігор", "Євген", "Анна", "Ґанна", "Їжак", "Іван Б", "Іванна", "Гнат", "John"]
    assert sorted(names, key=name_key) == [
        "Анна",
        "Гнат",
        "Ґанна",
        "Євген",
        "Іван Б",
        "Іванна",
        "Ігор",
        "Їжак",
        "Яна",
        "John",
    ]
