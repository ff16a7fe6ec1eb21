"""sendVenue: the place on a map the bot sends, recorded with its coordinates."""

from __future__ import annotations

import pytest
import telegram
from telegram.error import BadRequest

from emulator import SimUser


async def test_a_venue_is_recorded_with_its_coordinates(
    bot: telegram.Bot, resident: SimUser
) -> None:
    sent = await bot.send_venue(
        resident.id,
        latitude=49.533,
        longitude=26.953,
        title="Читальна зала ЦРБ",
        address="вул. Шевченка, 12",
    )
    assert sent.venue is not None and sent.location is not None
    assert (sent.venue.location.latitude, sent.venue.location.longitude) == (49.533, 26.953)
    assert (sent.venue.title, sent.venue.address) == ("Читальна зала ЦРБ", "вул. Шевченка, 12")
    seen = await resident.next_reply()
    assert seen.kind == "venue" and seen.venue is not None
    assert (seen.venue.latitude, seen.venue.longitude) == (49.533, 26.953)
    assert (seen.venue.title, seen.venue.address) == ("Читальна зала ЦРБ", "вул. Шевченка, 12")


@pytest.mark.parametrize(
    ("latitude", "longitude", "title", "address", "problem"),
    [
        (91.0, 26.9, "Зала", "вул. 1", "wrong latitude"),
        (49.5, -181.0, "Зала", "вул. 1", "wrong longitude"),
        (49.5, 26.9, " ", "вул. 1", "title is empty"),
        (49.5, 26.9, "Зала", "  ", "address is empty"),
    ],
)
async def test_a_venue_telegram_would_refuse_is_refused(
    bot: telegram.Bot,
    resident: SimUser,
    latitude: float,
    longitude: float,
    title: str,
    address: str,
    problem: str,
) -> None:
    with pytest.raises(BadRequest, match=f"(?i){problem}"):
        await bot.send_venue(
            resident.id, latitude=latitude, longitude=longitude, title=title, address=address
        )
    assert resident.messages == []
