"""The question after an event, and what answering it says."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup

from bot.config import Config
from bot.i18n import Translator
from bot.services.records import Event
from handlers import callbacks
from handlers.render import when


def question(config: Config, tr: Translator, event: Event) -> str:
    return tr.gettext(
        "Thank you for coming to <b>{title}</b> ({when}).\n\nHow useful was it to you? "
        "1 — not at all, 5 — very. The answer is anonymous."
    ).format(title=escape(event.title), when=escape(when(tr, event, config.library.timezone)))


def rating_buttons(tr: Translator, event_id: int) -> InlineKeyboardMarkup:
    stars = [
        Button(str(n), callback_data=callbacks.FEEDBACK_RATE.data(event_id, n)) for n in range(1, 6)
    ]
    return InlineKeyboardMarkup([stars, [_stop(tr)]])


def after_rating(tr: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_stop(tr)]])


def _stop(tr: Translator) -> Button:
    return Button(
        "🔕 " + tr.gettext("Don't ask me again"), callback_data=callbacks.FEEDBACK_OFF.data()
    )


def thanks(tr: Translator, event: Event, rating: int, *, comment_asked: bool) -> str:
    text = tr.gettext("Thank you! Your rating of «{title}»: {rating} of 5.").format(
        title=escape(event.title), rating=rating
    )
    if comment_asked:
        text += "\n\n" + tr.gettext(
            "If you like, write a few words in reply: what was useful, what to do better. "
            "Or just carry on — nothing more is needed."
        )
    return text


def comment_thanks(tr: Translator, event: Event) -> str:
    return tr.gettext("Thank you, the library will read it. («{title}»)").format(
        title=escape(event.title)
    )


def stopped(tr: Translator) -> str:
    return tr.gettext("Done: I will not ask about events any more.")
