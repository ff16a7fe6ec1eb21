"""Where an event is: a configured place (``[[places]]``: its name in the reader's
language, its address and coordinates) or the text it was created with.

Every text and file that names an event's place reads it through :func:`where`, so a
place renamed in the configuration reads the same everywhere, and an event whose place
was removed from the configuration still reads as it did when it was made.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.config import Config, Place


class Placed(Protocol):
    """An event, or a row of one: the text it was made with and its place's key."""

    @property
    def place(self) -> str: ...

    @property
    def place_key(self) -> str | None: ...


@dataclass(frozen=True)
class Where:
    """An event's place as people read it."""

    name: str
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None

    @property
    def located(self) -> bool:
        """Whether it can be shown on a map."""
        return self.latitude is not None and self.longitude is not None

    @property
    def line(self) -> str:
        """The name and the address on one line (a calendar's location, a report cell)."""
        return f"{self.name}, {self.address}" if self.address else self.name


def where(config: Config, event: Placed, language: str) -> Where:
    """The event's place in ``language``: the configured one while it is configured,
    otherwise the text the event was made with."""
    place = config.place(event.place_key)
    if place is None:
        return Where(event.place)
    return Where(place.name(language), place.address, place.latitude, place.longitude)


@dataclass(frozen=True)
class Chosen:
    """A place chosen for an event: the text it keeps, the configured place's key, the
    branch it belongs to."""

    place: str
    place_key: str | None
    branch_key: str | None


def choose(config: Config, text: str, *, staff_branch: str | None) -> Chosen:
    """The place staff typed or tapped: a configured place by its key or any of its names
    (the event keeps its name in the library's language), or a one-off place of the text
    as typed, in the staff member's branch (None for administrators and staff of the
    whole library)."""
    place = config.find_place(text)
    if place is None:
        return Chosen(text, None, staff_branch)
    return keyed(config, place)


def keyed(config: Config, place: Place) -> Chosen:
    """A configured place as an event keeps it."""
    return Chosen(place.name(config.library.default_language), place.key, place.branch)


def offered(config: Config, staff_branch: str | None) -> tuple[Place, ...]:
    """The places a staff member chooses from: their branch's, or all of them."""
    if staff_branch is None:
        return config.places
    return tuple(p for p in config.places if p.branch == staff_branch)


def elsewhere(config: Config, text: str, *, staff_branch: str | None) -> Place | None:
    """The configured place ``text`` names when it belongs to another branch than the
    staff member's (they cannot hold an event there); None otherwise."""
    place = config.find_place(text)
    if place is None or staff_branch is None or place.branch == staff_branch:
        return None
    return place
