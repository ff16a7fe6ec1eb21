"""«Near me»: distances as people read them, in each language."""

from __future__ import annotations

import pytest

from bot.i18n import Catalogs
from handlers import nearby_views


@pytest.mark.parametrize(
    ("km", "uk", "en"),
    [
        (0.004, "10 м", "10 m"),
        (0.347, "350 м", "350 m"),
        (0.996, "1,0 км", "1.0 km"),
        (1.194, "1,2 км", "1.2 km"),
        (9.94, "9,9 км", "9.9 km"),
        (22.087, "22 км", "22 km"),
    ],
)
def test_distances(km: float, uk: str, en: str) -> None:
    catalogs = Catalogs()
    assert nearby_views.distance(catalogs.get("uk"), km) == uk
    assert nearby_views.distance(catalogs.get("en"), km) == en


def test_the_cancel_button_is_known_in_every_language_and_nothing_else_is() -> None:
    catalogs = Catalogs()
    assert nearby_views.is_cancel(catalogs, "✖️ Скасувати")
    assert nearby_views.is_cancel(catalogs, " ✖️ Cancel ")
    assert not nearby_views.is_cancel(catalogs, "Скасувати")  # typed, e.g. as a title
