"""«📍 Near me»: the resident shares a location and gets upcoming events nearest first.

The location is read from the message, used for the list, and dropped: nothing stores
it and nothing logs it. A location sent without the button (from the attachment menu)
gets the same list, when some place has coordinates.
"""

from __future__ import annotations

from telegram import ReplyKeyboardRemove

from bot.config import Config
from bot.services import catalog
from handlers import callbacks, keyboards, nearby_views, render
from handlers.common import Reply


def located_places(config: Config) -> dict[str, tuple[float, float]]:
    """Configured places with coordinates: key -> (latitude, longitude)."""
    return {
        place.key: (place.latitude, place.longitude)
        for place in config.places
        if place.latitude is not None and place.longitude is not None
    }


@callbacks.NEAR.handles
async def ask_location(reply: Reply) -> None:
    if not located_places(reply.deps.config):  # an old button, or the places changed
        await reply.refuse(render.not_available(reply.tr))
        return
    await reply.send(nearby_views.question(reply.tr), nearby_views.ask(reply.tr))


async def on_location(reply: Reply) -> None:
    message = reply.update.effective_message
    assert message is not None and message.location is not None
    d = reply.deps
    places = located_places(d.config)
    if not places:
        await reply.send(render.help_text(reply.tr), keyboards.main_menu(reply.tr))
        return
    found = await reply.read(
        catalog.nearest,
        latitude=message.location.latitude,
        longitude=message.location.longitude,
        places=places,
        now=d.now(),
    )
    await reply.send(nearby_views.received(reply.tr), ReplyKeyboardRemove())
    tz = d.config.library.timezone
    names = {place.key: place.name(reply.tr.language) for place in d.config.places}
    await reply.send(
        nearby_views.nearby(reply.tr, found, names, tz),
        nearby_views.nearby_buttons(reply.tr, found, tz),
    )


async def on_cancel(reply: Reply) -> None:
    """«✖️ Cancel» under the location button: the keyboard goes, the menu comes back."""
    await reply.send(nearby_views.cancelled(reply.tr), ReplyKeyboardRemove())
    text = render.greeting(reply.tr, reply.deps.config.library.name)
    await reply.send(text, keyboards.main_menu(reply.tr))
