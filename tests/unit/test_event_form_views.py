"""Texts of /newevent and editing: numbers take the right Ukrainian form."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.event_form import FormError
from bot.i18n import Catalogs
from handlers.event_form_views import problem

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("length", "noun"),
    [(201, "символ"), (202, "символи"), (205, "символів"), (211, "символів"), (2001, "символ")],
)
def test_too_long_counts_characters_in_the_right_form(length: int, noun: str) -> None:
    tr = Catalogs("uk").get("uk")
    text = problem(tr, FormError("too_long", max=200, length=length), today=TODAY)
    assert text.startswith(f"Задовго: {length} {noun}, а можна щонайбільше 200.")


def test_too_long_in_english() -> None:
    tr = Catalogs("uk").get("en")
    text = problem(tr, FormError("too_long", max=200, length=201), today=TODAY)
    assert text.startswith("That is too long: 201 characters, at most 200.")
