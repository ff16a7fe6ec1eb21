"""«📍 Near me»: the question with Telegram's location button, and the events nearest first."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from zoneinfo import ZoneInfo

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.i18n import Catalogs, Translator
from bot.services.catalog import Nearby
from handlers import callbacks
from handlers.render import shorten

Button = InlineKeyboardButton


def distance(tr: Translator, km: float) -> str:
    """``350 м``, ``1,2 км``, ``12 км``: in the person's language (a decimal comma in
    Ukrainian); metres to the nearest 10 below a kilometre."""
    if km < 0.995:
        metres = max(10, round(km * 100) * 10)
        return tr.gettext("{m} m").format(m=metres)
    value = tr.decimal(km, 0 if km >= 9.95 else 1)
    return tr.gettext("{km} km").format(km=value)


def question(tr: Translator) -> str:
    return tr.gettext(
        "Tap «📍 Send my location» below, and I will list upcoming events nearest to you "
        "first. Your location is used for this list only and is not stored."
    )


def send_label(tr: Translator) -> str:
    return "📍 " + tr.gettext("Send my location")


def cancel_label(tr: Translator) -> str:
    return "✖️ " + tr.gettext("Cancel")


def is_cancel(catalogs: Catalogs, text: str) -> bool:
    """The «Cancel» reply button sends its label as text, in whichever language it was shown."""
    typed = text.strip().casefold()
    return any(typed == cancel_label(catalogs.get(lang)).casefold() for lang in catalogs.languages)


def ask(tr: Translator) -> ReplyKeyboardMarkup:
    """Telegram's location button, big, and a way out. Not one-time: the bot takes it
    away once the location (or «Cancel») has come."""
    return ReplyKeyboardMarkup(
        [
            [KeyboardButton(send_label(tr), request_location=True)],
            [KeyboardButton(cancel_label(tr))],
        ],
        resize_keyboard=True,
    )


def received(tr: Translator) -> str:
    """Sent with the reply keyboard taken away, before the list."""
    return tr.gettext("Thank you. I have not stored your location.")


def cancelled(tr: Translator) -> str:
    return tr.gettext("All right, no location.")


def nearby(tr: Translator, found: Nearby, places: Mapping[str, str], tz: ZoneInfo) -> str:
    """The events under their places (``places``: key -> name), nearest place first."""
    if not found.events:
        text = tr.gettext("No upcoming events at places I know on the map.")
    else:
        text = tr.gettext(
            "<b>Events near you</b>, nearest first. Tap an event to see the details and sign up."
        )
        place = None
        for event, km in found.events:
            if event.place_key != place:
                place = event.place_key
                name = places.get(place or "", event.place)
                text += f"\n\n📍 <b>{escape(shorten(name, 60))}</b> — {distance(tr, km)}"
            when = tr.short_date_time(event.starts_at, tz)
            text += f"\n• {when} {escape(shorten(event.title, 80))}"
    if found.others:
        text += "\n\n" + tr.ngettext(
            "{n} more upcoming event is not in this list: see «All events».",
            "{n} more upcoming events are not in this list: see «All events».",
            found.others,
        ).format(n=found.others)
    return text


def nearby_buttons(tr: Translator, found: Nearby, tz: ZoneInfo) -> InlineKeyboardMarkup:
    rows = [
        [
            Button(
                f"{distance(tr, km)} · {tr.short_date_time(event.starts_at, tz)} · "
                + shorten(event.title, 40),
                callback_data=callbacks.EVENT.data(event.id),
            )
        ]
        for event, km in found.events
    ]
    rows.append([Button("📅 " + tr.gettext("All events"), callback_data=callbacks.PAGE.data(0))])
    rows.append([Button("🏠 " + tr.gettext("Menu"), callback_data=callbacks.MENU.data())])
    return InlineKeyboardMarkup(rows)
