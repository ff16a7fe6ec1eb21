"""What checking in at the door says, to residents and to staff."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup

from bot.config import Config
from bot.domain.door import Door
from bot.i18n import Translator
from bot.services.door import AskCategory, CheckedIn, DoorCode, DoorNotOpen
from handlers import callbacks
from handlers.render import shorten


def checked_in(tr: Translator, result: CheckedIn) -> str:
    title = escape(result.event.title)
    if result.registered and result.already:
        text = tr.gettext("You are already marked as present at «{title}». Enjoy!")
    elif result.registered:
        text = tr.gettext("✅ Welcome to «{title}»! You are marked as present.")
    elif result.already:
        text = tr.gettext("You are already counted among the participants of «{title}». Enjoy!")
    else:
        text = tr.gettext("✅ Welcome to «{title}»! You are counted among the participants.")
    return text.format(title=title)


def category_question(tr: Translator, asked: AskCategory) -> str:
    return tr.gettext(
        "Welcome to «{title}»! So that the report counts you (without your name), "
        "please choose who you are:"
    ).format(title=escape(asked.event.title))


def categories(config: Config, tr: Translator, token: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                Button(
                    c.label(tr.language),
                    callback_data=callbacks.DOOR_CATEGORY.data(token, c.key),
                )
            ]
            for c in config.categories
        ]
    )


def not_open(config: Config, tr: Translator, result: DoorNotOpen) -> str:
    title = escape(result.event.title)
    if result.door == Door.EARLY:
        opens = tr.short_date_time(result.opens, config.library.timezone)
        return tr.gettext(
            "Checking in at «{title}» opens at {opens}, half an hour before the start. "
            "Scan the code again when you arrive."
        ).format(title=title, opens=opens)
    return tr.gettext(
        "«{title}» is over, so checking in is closed. If you were there, please tell the librarian."
    ).format(title=title)


def invalid(tr: Translator) -> str:
    return tr.gettext(
        "This door code does not work: it may have been replaced by a new one. Please scan "
        "the code at the door, or tell the librarian, who will mark you by hand."
    )


def code_caption(config: Config, tr: Translator, code: DoorCode, *, replaced: bool) -> str:
    tz = config.library.timezone
    text = tr.gettext(
        "🚪 The door code of «{title}». It works from {opens} to {closes}. Print it and put "
        "it by the entrance: registered people who scan it are marked as present, others "
        "are counted by their category. Marks can still be corrected in «Attendance»."
    ).format(
        title=escape(shorten(code.event.title, 200)),
        opens=tr.short_date_time(code.opens, tz),
        closes=tr.time(code.closes, tz),
    )
    if replaced:
        text = tr.gettext("A new code is ready; the old one no longer works.") + "\n\n" + text
    return text


def code_buttons(tr: Translator, event_id: int) -> InlineKeyboardMarkup:
    label = "🔄 " + tr.gettext("New code (the old one stops working)")
    return InlineKeyboardMarkup(
        [[Button(label, callback_data=callbacks.NEW_DOOR_CODE.data(event_id))]]
    )


def call_to_action(tr: Translator) -> str:
    return tr.gettext("Scan the code to check in")
