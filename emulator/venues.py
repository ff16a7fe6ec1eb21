"""``sendVenue``: a place on a map, with its title and address, as Telegram checks it."""

from __future__ import annotations

import time
from typing import Any

from emulator.errors import bad_request
from emulator.markup import parse_reply_markup
from emulator.messages import SentVenue, SimMessage
from emulator.methods import api_method, apply_markup, chat_user, reply_to
from emulator.params import Params
from emulator.state import BotState

MAX_TITLE = 256  # Telegram cuts longer titles and addresses; the emulator refuses them


@api_method("sendVenue")
async def send_venue(state: BotState, params: Params) -> Any:
    user = chat_user(state, params, sending=True)
    latitude = params.get_float("latitude")
    longitude = params.get_float("longitude")
    if latitude is None or not -90 <= latitude <= 90:
        raise bad_request("wrong latitude specified")
    if longitude is None or not -180 <= longitude <= 180:
        raise bad_request("wrong longitude specified")
    title = (params.get_str("title") or "").strip()
    address = (params.get_str("address") or "").strip()
    if not title:
        raise bad_request("venue title is empty")
    if not address:
        raise bad_request("venue address is empty")
    if len(title) > MAX_TITLE or len(address) > MAX_TITLE:
        raise bad_request("venue title or address is too long")
    markup = parse_reply_markup(params.values.get("reply_markup"))
    message = SimMessage(
        message_id=user.chat.next_message_id(),
        chat_id=user.id,
        date=int(time.time()),
        html="",
        text="",
        venue=SentVenue(latitude, longitude, title, address),
    )
    message.reply_to_message_id = reply_to(state, user, params)
    apply_markup(message, markup)
    return await state.deliver(user, message)
