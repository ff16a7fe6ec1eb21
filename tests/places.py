"""A library network for the tests of places and branches: two branches, a located
reading room in the central library and a village branch without coordinates."""

from __future__ import annotations

import dataclasses

from bot.config import Branch, Config, Place

BRANCHES = (
    Branch("central", {"uk": "Центральна районна бібліотека", "en": "Central district library"}),
    Branch("verbivka", {"uk": "Вербівська бібліотека-філія", "en": "Verbivka village branch"}),
)
READING_ROOM = Place(
    "reading_room",
    {"uk": "Читальна зала ЦРБ", "en": "Reading room, central library"},
    address="вул. Шевченка, 12",
    latitude=49.533,
    longitude=26.953,
    branch="central",
)
VERBIVKA_CLUB = Place(
    "verbivka_club",
    {"uk": "Вербівка, бібліотека-філія", "en": "Verbivka branch library"},
    address="с. Вербівка, вул. Центральна, 3",
    branch="verbivka",
)
PLACES = (READING_ROOM, VERBIVKA_CLUB)


def with_places(config: Config, places: tuple[Place, ...] = PLACES) -> Config:
    """``config`` with the branches and ``places``."""
    return dataclasses.replace(config, branches=BRANCHES, places=places)


CENTRAL, VERBIVKA = "central", "verbivka"


def with_two_branches(config: Config) -> Config:
    """``config`` with two branches and a place (without an address) in each: the network
    of the branch staff's tests."""
    return dataclasses.replace(
        config,
        branches=(
            Branch(CENTRAL, {"uk": "Центральна бібліотека", "en": "Central library"}),
            Branch(VERBIVKA, {"uk": "Вербівська бібліотека", "en": "Verbivka library"}),
        ),
        places=(
            Place("hall", {"uk": "Читальна зала", "en": "Reading room"}, branch=CENTRAL),
            Place("club", {"uk": "Клуб у Вербівці", "en": "Verbivka club"}, branch=VERBIVKA),
        ),
    )
