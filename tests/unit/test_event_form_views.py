"""Texts of /newevent and editing: numbers take the right Ukrainian form."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from bot.config import Config
from bot.domain.event_form import FormError
from bot.i18n import Catalogs
from bot.services.dialogs import Offered
from handlers.event_form_views import INVALID, chosen, problem, reminders_text

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


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (None, "1 день, 2 години до початку (як заведено в бібліотеці)"),
        ("2d,1h30m", "2 дні, 1 година 30 хвилин до початку"),
        ("21h,45s", "21 година, 45 секунд до початку"),
        ("", "немає"),
    ],
)
def test_reminders_read_the_same_in_words_everywhere(
    config: Config, stored: str | None, expected: str
) -> None:
    """The card, the preview and the edit screen share this text (not «1 дн.» here and
    «24 години» there)."""
    config = dataclasses.replace(
        config,
        reminders=dataclasses.replace(
            config.reminders, before=(timedelta(days=1), timedelta(hours=2))
        ),
    )
    assert reminders_text(config, Catalogs("uk").get("uk"), stored) == expected


@pytest.mark.parametrize(
    ("step", "choice", "expected"),
    [
        ("kind", "training", "training"),
        ("kind", "party", INVALID),
        ("dur", "90", 90),
        ("dur", "45", INVALID),
        ("cap", "none", None),
        ("cap", "20", INVALID),
        ("aud", "skip", ""),
        ("desc", "skip", ""),
        ("prog", "skip", None),  # no programme
        ("prog", "p7", 7),  # the programme's id
        ("prog", "p8", INVALID),  # a programme the question did not offer
        ("prog", "7", INVALID),
        ("prog", "new", INVALID),  # creating the typed name is the handler's, not a value
        ("label", "skip", ""),  # cleared
        ("partner", "skip", ""),
        ("note", "x", INVALID),
        ("rem", "default", None),
        ("rem", "none", ""),
        ("rem", "1h", INVALID),
        ("title", "skip", INVALID),  # typed only: no button stands for a title
    ],
)
def test_a_button_stands_for_its_value_and_nothing_else(
    config: Config, step: str, choice: str, expected: object
) -> None:
    """/newevent and editing read the same buttons the same way; forged ones are INVALID."""
    offered = [Offered(3, "Поінформована громада"), Offered(7, "ВПО")]
    assert chosen(config, step, choice, offered) == expected
