from __future__ import annotations

import pytest

from bot.domain.interests import Interests, audience_key

EVERYTHING = Interests()
TRAININGS = Interests(kinds=frozenset({"training"}))
PENSIONERS = Interests(audiences=frozenset({"Пенсіонери"}))


@pytest.mark.parametrize(
    ("interests", "kind", "audience", "wanted"),
    [
        (EVERYTHING, "seminar", "діти", True),
        (TRAININGS, "training", "", True),
        (TRAININGS, "seminar", "пенсіонери", False),
        (PENSIONERS, "seminar", "пенсіонери", True),  # audiences match without regard to case
        (PENSIONERS, "training", "діти", False),
        (Interests(frozenset({"training"}), frozenset({"діти"})), "practical", "Діти", True),
    ],
)
def test_who_wants_an_announcement(
    interests: Interests, kind: str, audience: str, wanted: bool
) -> None:
    assert interests.wants(kind, audience) is wanted


def test_toggling_narrows_from_everything_and_the_last_choice_off_unsubscribes() -> None:
    assert EVERYTHING.toggle_kind("training") == TRAININGS
    assert TRAININGS.toggle_kind("training") is None
    assert PENSIONERS.toggle_audience("пенсіонери") is None
    assert TRAININGS.toggle_audience("діти") == Interests(
        frozenset({"training"}), frozenset({"діти"})
    )


def test_audience_keys_fit_a_button_and_ignore_case() -> None:
    assert audience_key("Пенсіонери") == audience_key("пенсіонери")
    assert len(f"sub:a:{audience_key('х' * 200)}".encode()) <= 64
