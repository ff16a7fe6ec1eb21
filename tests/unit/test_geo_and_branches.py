"""Distances for «Поруч зі мною» and the branch rules staff and subscriptions follow."""

from __future__ import annotations

import pytest

from bot.domain.branches import join_keys, manages, parse_keys, wanted
from bot.domain.geo import distance_km


def test_distance_between_kyiv_and_lviv_is_about_470_km() -> None:
    # Maidan Nezalezhnosti to Rynok Square: about 468 km as the crow flies.
    assert distance_km(50.4501, 30.5234, 49.8419, 24.0315) == pytest.approx(468, abs=3)


def test_distance_is_zero_to_itself_and_symmetric() -> None:
    assert distance_km(49.53, 26.95, 49.53, 26.95) == 0
    there = distance_km(49.53, 26.95, 49.60, 27.10)
    assert there == pytest.approx(distance_km(49.60, 27.10, 49.53, 26.95))
    assert 10 < there < 15


def test_antipodes_do_not_break_the_formula() -> None:
    assert distance_km(0, 0, 0, 180) == pytest.approx(20015, abs=1)


@pytest.mark.parametrize(
    ("staff", "event", "allowed"),
    [
        (None, None, True),
        (None, "verbivka", True),
        ("verbivka", "verbivka", True),
        ("verbivka", "central", False),
        ("verbivka", None, False),
    ],
)
def test_branch_staff_manage_only_their_branch(
    staff: str | None, event: str | None, allowed: bool
) -> None:
    assert manages(staff, event) is allowed


def test_subscriptions_store_branch_keys_and_empty_means_all() -> None:
    assert parse_keys("") == frozenset()
    assert parse_keys(" central, verbivka ,") == {"central", "verbivka"}
    assert join_keys(["verbivka", "central", "verbivka"]) == "central,verbivka"
    assert wanted(frozenset(), "central")
    assert wanted(frozenset({"verbivka"}), None)
    assert wanted(frozenset({"verbivka"}), "verbivka")
    assert not wanted(frozenset({"verbivka"}), "central")
