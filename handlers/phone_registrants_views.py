"""Texts and buttons for residents who phone: writing them down, and the event's call list
(names and phones: staff only; every inserted value escaped)."""

from __future__ import annotations

from datetime import datetime
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.config import Config
from bot.domain.signup import Step
from bot.domain.status import RegistrationStatus
from bot.i18n import Translator
from bot.services.phone_registrants import Caller, CallList
from bot.services.records import Event
from bot.services.registration import Cancellation, Outcome
from handlers import callbacks
from handlers.render import shorten, when

Button = InlineKeyboardButton

NAME_MAX = 40  # in a button
LISTED_MAX = 25  # people on the call list's screen (the message stays under 4096)


def without_telegram(tr: Translator) -> str:
    """The marker next to the name of someone who registered by phone."""
    return tr.gettext("no Telegram")


def _card_button(tr: Translator, event_id: int) -> Button:
    return Button(
        "⬅️ " + tr.gettext("Event card"), callback_data=callbacks.STAFF_EVENT.data(event_id)
    )


def _stop_button(tr: Translator, event_id: int) -> Button:
    return Button("✖️ " + tr.gettext("Cancel"), callback_data=callbacks.VISITOR_STOP.data(event_id))


def question(config: Config, tr: Translator, event: Event, step: Step, name: str | None) -> str:
    if step == Step.NAME:
        return tr.gettext(
            "➕ Signing up for «{title}» a resident who phoned.\nWrite their first and last name."
        ).format(title=escape(event.title))
    if step == Step.CATEGORY:
        return tr.gettext("Who is {name}? Choose the group (it is counted in the report).").format(
            name=escape(name or "")
        )
    return tr.gettext(
        "Their phone number, so the library can call them (e.g. +380501234567), or «Skip»."
    )


def question_keyboard(
    config: Config, tr: Translator, event_id: int, step: Step
) -> InlineKeyboardMarkup:
    rows: list[list[Button]] = []
    if step == Step.CATEGORY:
        rows = [
            [
                Button(
                    c.label(tr.language),
                    callback_data=callbacks.VISITOR_CATEGORY.data(event_id, c.key),
                )
            ]
            for c in config.categories
        ]
    elif step == Step.PHONE:
        rows = [
            [Button(tr.gettext("Skip"), callback_data=callbacks.VISITOR_NO_PHONE.data(event_id))]
        ]
    rows.append([_stop_button(tr, event_id)])
    return InlineKeyboardMarkup(rows)


def invalid(tr: Translator, problem: str) -> str:
    texts = {
        "name_short": tr.gettext(
            "Please write the person's first and last name (at least two letters)."
        ),
        "name_long": tr.gettext("That is too long: up to 100 characters, please."),
        "name_chars": tr.gettext("The name has characters I cannot accept. Please type it again."),
        "phone": tr.gettext(
            "That does not look like a phone number. Type it like +380501234567, or tap «Skip»."
        ),
    }
    return "⚠️ " + texts.get(problem, tr.gettext("Please try again."))


def press_a_button(tr: Translator) -> str:
    return "⚠️ " + tr.gettext("Please choose with a button.")


def written(tr: Translator, name: str, outcome: Outcome, *, known: bool = False) -> str:
    title = escape(outcome.event.title)
    if outcome.already and outcome.status == RegistrationStatus.CONFIRMED:
        return tr.gettext(
            "ℹ️ {name} is already signed up for «{title}» and has a seat. "
            "Nothing has changed: no second seat was taken."
        ).format(name=escape(name), title=title)
    if outcome.already:
        return tr.gettext(
            "ℹ️ {name} is already on the waiting list for «{title}», number {position}. "
            "Nothing has changed."
        ).format(name=escape(name), title=title, position=outcome.position or 1)
    text = _written(tr, name, title, outcome)
    if known:
        note = tr.gettext(
            "This phone number was written down before, as {name}: it is the same person, "
            "and the name is kept."
        ).format(name=escape(name))
        text += "\n\nℹ️ " + note
    return text


def _written(tr: Translator, name: str, title: str, outcome: Outcome) -> str:
    if outcome.status == RegistrationStatus.CONFIRMED:
        return tr.gettext("✅ {name} has a seat at «{title}».").format(
            name=escape(name), title=title
        )
    return tr.gettext(
        "⏳ No seats left at «{title}»: {name} is on the waiting list, number {position}. "
        "If a seat frees up, they will be on the call list."
    ).format(name=escape(name), title=title, position=outcome.position or 1)


def promoted_notice(config: Config, tr: Translator, event: Event) -> str:
    """To the staff member who wrote someone down: they got a seat from the waiting list
    (no name here: the call list has it)."""
    return "📞 " + tr.gettext(
        "Someone without Telegram whom you signed up got a seat at «{title}» ({when}) "
        "from the waiting list. Please phone them to say so: their name and number are "
        "on the call list."
    ).format(title=escape(event.title), when=escape(when(tr, event, config.library.timezone)))


def call_list_button(tr: Translator, event_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                Button(
                    "📞 " + tr.gettext("Whom to call"),
                    callback_data=callbacks.CALL_LIST.data(event_id),
                )
            ]
        ]
    )


def tomorrows_calls(config: Config, tr: Translator, found: CallList) -> str:
    """The day before the event: its call list, to the staff member who wrote people down."""
    head = tr.gettext(
        "Tomorrow people you signed up without Telegram come: please phone them to remind them."
    )
    return "🔔 " + head + "\n\n" + call_list(config, tr, found)


def written_keyboard(tr: Translator, event_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                Button(
                    "➕ " + tr.gettext("Sign up another visitor"),
                    callback_data=callbacks.ADD_VISITOR.data(event_id),
                )
            ],
            [
                Button(
                    "📞 " + tr.gettext("Whom to call"),
                    callback_data=callbacks.CALL_LIST.data(event_id),
                )
            ],
            [_card_button(tr, event_id)],
        ]
    )


def stopped(tr: Translator) -> str:
    return tr.gettext("Stopped: nobody was signed up.")


def _state(tr: Translator, caller: Caller) -> str:
    if caller.status == RegistrationStatus.WAITING:
        return tr.gettext("waiting list")
    return tr.gettext("has a seat")


def caller_line(tr: Translator, caller: Caller) -> str:
    phone = escape(caller.phone) if caller.phone else tr.gettext("no phone")
    return f"• {escape(caller.name)} — {phone} — {_state(tr, caller)}"


def call_list(config: Config, tr: Translator, found: CallList) -> str:
    event = found.event
    lines = [
        "📞 " + tr.gettext("<b>Whom to call: {title}</b>").format(title=escape(event.title)),
        "🗓 " + escape(when(tr, event, config.library.timezone)),
        "",
    ]
    if not found.callers:
        lines.append(tr.gettext("Nobody is signed up for this event without Telegram."))
        return "\n".join(lines)
    to_tell = [c for c in found.callers if c.to_tell]
    if to_tell:
        lines.append(tr.gettext("Got a seat from the waiting list — call them to say so:"))
        lines += [caller_line(tr, c) for c in to_tell[:LISTED_MAX]]
        lines.append("")
    lines.append(tr.gettext("Signed up without Telegram:"))
    lines += [caller_line(tr, c) for c in found.callers[:LISTED_MAX]]
    if len(found.callers) > LISTED_MAX:
        lines.append(tr.gettext("… and {n} more.").format(n=len(found.callers) - LISTED_MAX))
    lines += ["", tr.gettext("Tap a name to cancel their registration or delete their data.")]
    return "\n".join(lines)


def call_list_keyboard(tr: Translator, found: CallList, *, now: datetime) -> InlineKeyboardMarkup:
    event_id = found.event.id
    rows = [
        [
            Button(
                "✅ " + tr.gettext("Told: {name}").format(name=shorten(c.name, NAME_MAX)),
                callback_data=callbacks.CALLER_TOLD.data(event_id, c.person_id),
            )
        ]
        for c in found.callers
        if c.to_tell
    ][:LISTED_MAX]
    rows += [
        [
            Button(
                "👤 " + shorten(c.name, NAME_MAX),
                callback_data=callbacks.CALLER.data(event_id, c.person_id),
            )
        ]
        for c in found.callers[:LISTED_MAX]
    ]
    if found.event.starts_at > now:
        rows.append(
            [
                Button(
                    "➕ " + tr.gettext("Sign up a visitor"),
                    callback_data=callbacks.ADD_VISITOR.data(event_id),
                )
            ]
        )
    rows.append([_card_button(tr, event_id)])
    return InlineKeyboardMarkup(rows)


def caller(config: Config, tr: Translator, event: Event, found: Caller) -> str:
    category = config.category(found.category) if found.category else None
    lines = [
        f"<b>{escape(found.name)}</b> ({without_telegram(tr)})",
        "📞 " + (escape(found.phone) if found.phone else tr.gettext("no phone")),
    ]
    if category is not None:
        lines.append("👥 " + escape(category.label(tr.language)))
    lines.append(
        "🗓 " + escape(event.title) + ", " + escape(when(tr, event, config.library.timezone))
    )
    lines.append(_state(tr, found))
    if found.to_tell:
        lines.append(tr.gettext("Got a seat from the waiting list: call to tell them."))
    return "\n".join(lines)


def caller_keyboard(tr: Translator, event_id: int, found: Caller) -> InlineKeyboardMarkup:
    person_id = found.person_id
    rows = []
    if found.to_tell:
        rows.append(
            [
                Button(
                    "✅ " + tr.gettext("Told"),
                    callback_data=callbacks.CALLER_TOLD.data(event_id, person_id),
                )
            ]
        )
    rows += [
        [
            Button(
                "❌ " + tr.gettext("Cancel the registration"),
                callback_data=callbacks.CALLER_ASK_CANCEL.data(event_id, person_id),
            )
        ],
        [
            Button(
                "🗑 " + tr.gettext("Delete their data"),
                callback_data=callbacks.CALLER_ASK_FORGET.data(event_id, person_id),
            )
        ],
        [
            Button(
                "⬅️ " + tr.gettext("Whom to call"),
                callback_data=callbacks.CALL_LIST.data(event_id),
            )
        ],
    ]
    return InlineKeyboardMarkup(rows)


def cancel_question(tr: Translator, event: Event, found: Caller) -> str:
    return tr.gettext(
        "Cancel the registration of {name} for «{title}»? A freed seat goes to the first "
        "person on the waiting list."
    ).format(name=escape(found.name), title=escape(event.title))


def forget_question(tr: Translator, found: Caller) -> str:
    return tr.gettext(
        "Delete the name and phone of {name}? Their registrations for upcoming events are "
        "cancelled; past attendance stays in the report's figures, without a name. "
        "This cannot be undone."
    ).format(name=escape(found.name))


def confirm_keyboard(
    tr: Translator, event_id: int, person_id: int, *, forget: bool
) -> InlineKeyboardMarkup:
    if forget:
        yes = Button(
            "🗑 " + tr.gettext("Yes, delete"),
            callback_data=callbacks.CALLER_FORGET.data(event_id, person_id),
        )
    else:
        yes = Button(
            "❌ " + tr.gettext("Yes, cancel the registration"),
            callback_data=callbacks.CALLER_CANCEL.data(event_id, person_id),
        )
    back = Button(
        "⬅️ " + tr.gettext("No, go back"),
        callback_data=callbacks.CALLER.data(event_id, person_id),
    )
    return InlineKeyboardMarkup([[yes], [back]])


def cancelled(tr: Translator, result: Cancellation) -> str:
    """A pop-up (200 characters at most)."""
    promoted = result.promoted
    if promoted is None:
        return tr.gettext("The registration is cancelled.")
    if promoted.person.telegram_id is None:
        return tr.gettext(
            "The registration is cancelled. The seat went to {name}: call them."
        ).format(name=shorten(promoted.person.full_name or "—", NAME_MAX))
    return tr.gettext(
        "The registration is cancelled. The seat went to the first on the waiting list; "
        "they are told in Telegram."
    )


def forgotten(tr: Translator) -> str:
    return tr.gettext("Their name and phone are deleted.")


def told(tr: Translator, changed: bool) -> str:
    if changed:
        return tr.gettext("Noted: they have been told.")
    return tr.gettext("Nothing to note: they had been told already.")


def card_row(tr: Translator, event_id: int, *, can_add: bool) -> list[Button]:
    """The buttons of an event's staff card (nobody is signed up once it has begun)."""
    row = [
        Button("📞 " + tr.gettext("Whom to call"), callback_data=callbacks.CALL_LIST.data(event_id))
    ]
    if can_add:
        add = Button(
            "➕ " + tr.gettext("Sign up a visitor"),
            callback_data=callbacks.ADD_VISITOR.data(event_id),
        )
        row.insert(0, add)
    return row
