"""The staff's morning summary and its setting: texts and buttons (every value escaped)."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.config import Config
from bot.i18n import Translator
from bot.services.summary import DayEvent, Summary
from handlers import callbacks
from handlers.phone_registrants_views import caller_line
from handlers.render import shorten

Button = InlineKeyboardButton

TITLE_MAX = 120
BUTTON_TITLE_MAX = 24
CALLERS_MAX = 15
MESSAGE_MAX = (
    4000  # Telegram's limit is 4096  # per event: the whole list is one tap away («📞» on the card)
)


def setting(tr: Translator, on: bool) -> str:
    if on:
        return tr.gettext(
            "☀️ <b>Morning summary: on.</b> On a day with events, and the day before, you get "
            "a short message in the morning: each event with its seats, waiting list and whom "
            "to call."
        )
    return tr.gettext(
        "☀️ <b>Morning summary: off.</b> Turn it on to get, on a day with events and the day "
        "before, a short morning message: each event with its seats, waiting list and whom "
        "to call."
    )


def setting_buttons(tr: Translator, on: bool) -> InlineKeyboardMarkup:
    if on:
        button = Button("🔕 " + tr.gettext("Turn off"), callback_data=callbacks.SUMMARY.data("off"))
    else:
        button = Button("🔔 " + tr.gettext("Turn on"), callback_data=callbacks.SUMMARY.data("on"))
    return InlineKeyboardMarkup([[button]])


def _seats(tr: Translator, item: DayEvent) -> str:
    figures = item.figures
    capacity = figures.event.capacity
    return tr.gettext("registered {registered} / {capacity}, waiting {waiting}").format(
        registered=figures.registered,
        capacity=capacity if capacity is not None else "∞",
        waiting=figures.waiting,
    )


def _event(config: Config, tr: Translator, item: DayEvent, *, with_callers: bool) -> list[str]:
    event = item.figures.event
    tz = config.library.timezone
    lines = [
        f"• {escape(tr.time(event.starts_at, tz))} "
        f"<b>{escape(shorten(event.title, TITLE_MAX))}</b>",
        "   " + _seats(tr, item),
    ]
    if item.callers:
        calls = tr.ngettext(
            "📞 without Telegram: {n} person", "📞 without Telegram: {n} people", len(item.callers)
        ).format(n=len(item.callers))
        if item.to_tell:
            calls += ", " + tr.gettext("to tell of a seat: {n}").format(n=item.to_tell)
        lines.append("   " + calls)
        if with_callers:
            lines += ["     " + caller_line(tr, c) for c in item.callers[:CALLERS_MAX]]
            if len(item.callers) > CALLERS_MAX:
                more = len(item.callers) - CALLERS_MAX
                lines.append("     " + tr.gettext("… and {n} more.").format(n=more))
    return lines


def message(config: Config, tr: Translator, found: Summary) -> str:
    """The summary; without tomorrow's names if all of them would not fit one message."""
    text = _message(config, tr, found, with_callers=True)
    if len(text) > MESSAGE_MAX:
        text = _message(config, tr, found, with_callers=False)
    if len(text) > MESSAGE_MAX:  # a day of dozens of events: the first lines only
        text = text[: text.rfind("\n", 0, MESSAGE_MAX)]
    return text


def _message(config: Config, tr: Translator, found: Summary, *, with_callers: bool) -> str:
    tz = config.library.timezone
    lines = ["☀️ " + tr.gettext("<b>Good morning! Events today and tomorrow</b>")]
    for heading, items, tomorrow in (
        (tr.gettext("<b>Today</b>"), found.today, False),
        (tr.gettext("<b>Tomorrow</b> — call those without Telegram"), found.tomorrow, True),
    ):
        if not items:
            continue
        day = tr.date(items[0].figures.event.starts_at, tz)
        lines += ["", f"{heading}, {escape(day)}"]
        for item in items:
            lines += _event(config, tr, item, with_callers=with_callers and tomorrow)
    if not found.today and not found.tomorrow:
        lines += ["", tr.gettext("No events today or tomorrow any more.")]
    return "\n".join(lines)


def buttons(tr: Translator, found: Summary) -> InlineKeyboardMarkup | None:
    """Each event's attendance sheet, then its sign-in sheet to print and its card."""
    rows = []
    for item in [*found.today, *found.tomorrow][:20]:
        event = item.figures.event
        title = shorten(event.title, BUTTON_TITLE_MAX)
        rows.append(
            [Button("✅ " + title, callback_data=callbacks.SUMMARY_ATTENDANCE.data(event.id))]
        )
        rows.append(
            [
                Button(
                    "🖨 " + tr.gettext("Sign-in sheet"),
                    callback_data=callbacks.SIGN_IN_SHEET.data(event.id),
                ),
                Button(
                    "🗂 " + tr.gettext("Card No. {id}").format(id=event.id),
                    callback_data=callbacks.SUMMARY_CARD.data(event.id),
                ),
            ]
        )
    return InlineKeyboardMarkup(rows) if rows else None
