"""Texts and buttons of the staff's programmes: the list, a programme's card, /newprogram
and editing a field (every inserted value escaped)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.event_form import FormError
from bot.domain.program_form import OPTIONAL, STEPS, ProgramStep
from bot.i18n import Translator
from bot.services.programs import ProgramSummary
from bot.services.records import Program
from handlers import callbacks
from handlers.render import shorten

Button = InlineKeyboardButton
BUTTON_NAME_MAX = 50
VALUE_MAX = 600  # a long purpose is shortened on the card (the edit question shows it whole)


def field_name(tr: Translator, field: ProgramStep) -> str:
    names = {
        ProgramStep.NAME: tr.gettext("Title"),
        ProgramStep.PURPOSE: tr.gettext("Purpose"),
        ProgramStep.FRAME: tr.gettext("Frame and funder"),
        ProgramStep.PERIOD: tr.gettext("Period"),
        ProgramStep.LINK: tr.gettext("Link"),
        ProgramStep.POSITION: tr.gettext("Signer's position"),
        ProgramStep.SIGNER: tr.gettext("Signer's name"),
    }
    return names[field]


def _day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def field_value(tr: Translator, program: Program, field: ProgramStep) -> str:
    """A field as staff read it (plain text: escape before sending); «—» when empty."""
    if field == ProgramStep.PERIOD:
        if program.starts_on is None or program.ends_on is None:
            return "—"
        return f"{_day(program.starts_on)} – {_day(program.ends_on)}"
    value = {
        ProgramStep.NAME: program.name,
        ProgramStep.PURPOSE: program.purpose,
        ProgramStep.FRAME: program.frame,
        ProgramStep.LINK: program.link,
        ProgramStep.POSITION: program.signer_position,
        ProgramStep.SIGNER: program.signer_name,
    }[field]
    return value or "—"


def question(tr: Translator, step: ProgramStep) -> str:
    """The question for a step, with an example of a good answer."""
    texts = {
        ProgramStep.NAME: tr.gettext(
            "What is the programme (project) called? For example: Поінформована громада"
        ),
        ProgramStep.PURPOSE: tr.gettext(
            "What is its purpose? A paragraph for the report, e.g.: Проект створено для "
            "підвищення рівня обізнаності громадян…"
        ),
        ProgramStep.FRAME: tr.gettext(
            "What is it part of, and who supports it? The report goes on «За час реалізації "
            "проекту «…», …» with it, e.g.: що є частиною програми «…», реалізується за "
            "сприяння …"
        ),
        ProgramStep.PERIOD: tr.gettext(
            "When does it run? Write the first and the last day: 01.03.2026 – 30.11.2026."
        ),
        ProgramStep.LINK: tr.gettext(
            "Where can more about its events be read? A link, e.g. https://library.example/news"
        ),
        ProgramStep.POSITION: tr.gettext(
            "The position of the person who signs the report (it may take several lines), "
            "e.g.: Директор КЗ «Волочиська ЦРБ»"
        ),
        ProgramStep.SIGNER: tr.gettext(
            "The name of the person who signs the report, e.g.: Ірина ГАВРИЛЮК"
        ),
    }
    return texts[step]


def problem(tr: Translator, error: FormError) -> str:
    """Why an answer was not taken, with an example of one that would be."""
    texts = {
        "empty": tr.gettext("Please write some text."),
        "control_chars": tr.gettext(
            "Please type the text again: it holds invisible control characters "
            "(they sometimes come along with copied text)."
        ),
        "period_format": tr.gettext(
            "I could not read the period. Write the first and the last day as "
            "01.03.2026 – 30.11.2026."
        ),
        "period_order": tr.gettext(
            "The period ends before it starts. Write the first day first: 01.03.2026 – 30.11.2026."
        ),
        "date_invalid": tr.gettext("There is no such day as {value}."),
    }
    if error.code == "too_long":
        texts["too_long"] = tr.ngettext(
            "That is too long: {length} character, at most {max}. Please shorten it.",
            "That is too long: {length} characters, at most {max}. Please shorten it.",
            error.params["length"],
        )
    return texts[error.code].format(**{k: escape(str(v)) for k, v in error.params.items()})


def name_taken(tr: Translator, name: str) -> str:
    return tr.gettext(
        "A programme called «{name}» is already there. Write another name, or open it "
        "under /programs."
    ).format(name=escape(name))


def period_order(tr: Translator) -> str:
    return problem(tr, FormError("period_order"))


# --- the list and the card ------------------------------------------------------------------


def program_list(tr: Translator, found: Sequence[ProgramSummary]) -> str:
    lines = [tr.gettext("<b>Programmes</b> (projects) the library reports on.")]
    if not found:
        lines += ["", tr.gettext("There are none yet. Tap «➕ New programme» to add one.")]
        return "\n".join(lines)
    lines.append("")
    for item in found:
        events = tr.ngettext("{n} event", "{n} events", item.events).format(n=item.events)
        lines.append(f"📁 <b>{escape(item.program.name)}</b> · {escape(events)}")
    lines += ["", tr.gettext("Tap a programme to see and change it.")]
    return "\n".join(lines)


def program_list_buttons(tr: Translator, found: Sequence[ProgramSummary]) -> InlineKeyboardMarkup:
    rows = [
        [
            Button(
                f"📁 {shorten(item.program.name, BUTTON_NAME_MAX)} ({item.events})",
                callback_data=callbacks.PROGRAM.data(item.program.id),
            )
        ]
        for item in found
    ]
    rows.append(
        [Button("➕ " + tr.gettext("New programme"), callback_data=callbacks.PROGRAM_NEW.data())]
    )
    return InlineKeyboardMarkup(rows)


def card(tr: Translator, program: Program) -> str:
    lines = [f"📁 <b>{escape(program.name)}</b>", ""]
    for field in STEPS[1:]:
        value = shorten(field_value(tr, program, field), VALUE_MAX)
        lines.append(f"<b>{escape(field_name(tr, field))}</b>: {escape(value)}")
    return "\n".join(lines)


def card_buttons(tr: Translator, program: Program) -> InlineKeyboardMarkup:
    rows = [
        [
            Button(
                "✏️ " + field_name(tr, field),
                callback_data=callbacks.PROGRAM_FIELD.data(program.id, field),
            )
        ]
        for field in STEPS
    ]
    rows.append(
        [Button("⬅️ " + tr.gettext("All programmes"), callback_data=callbacks.PROGRAMS.data())]
    )
    return InlineKeyboardMarkup(rows)


# --- /newprogram ----------------------------------------------------------------------------


def started(tr: Translator) -> str:
    return tr.gettext(
        "Let us add a programme: {n} short questions; all but the name can be skipped and "
        "filled in later. /cancel stops at any time."
    ).format(n=len(STEPS))


def resumed(tr: Translator) -> str:
    return tr.gettext(
        "You have an unfinished programme; let us go on where we stopped. /cancel discards it."
    )


def new_question(tr: Translator, step: ProgramStep) -> str:
    number = STEPS.index(step) + 1
    head = tr.gettext("New programme, question {n} of {total}.").format(n=number, total=len(STEPS))
    return f"<i>{escape(head)}</i>\n{escape(question(tr, step))}"


def new_keyboard(tr: Translator, step: ProgramStep) -> InlineKeyboardMarkup:
    rows = []
    if step in OPTIONAL:
        rows.append(
            [
                Button(
                    "⏭ " + tr.gettext("Skip"),
                    callback_data=callbacks.NEW_PROGRAM_CHOICE.data(step, "skip"),
                )
            ]
        )
    rows.append(
        [Button("✖️ " + tr.gettext("Cancel"), callback_data=callbacks.NEW_PROGRAM_CANCEL.data())]
    )
    return InlineKeyboardMarkup(rows)


def created(tr: Translator, program: Program) -> str:
    head = "✅ " + tr.gettext(
        "The programme is added. Events can now be tied to it in /newevent or from their card."
    )
    return escape(head) + "\n\n" + card(tr, program)


def discarded(tr: Translator) -> str:
    return tr.gettext("Fine, the new programme is discarded. /newprogram starts again.")


def finish_first(tr: Translator) -> str:
    return tr.gettext(
        "You are creating something else: finish it first, or send /cancel to discard it."
    )


# --- editing a field ------------------------------------------------------------------------


def edit_question(tr: Translator, program: Program, field: ProgramStep) -> str:
    now_is = tr.gettext("{field} now: {value}").format(
        field=field_name(tr, field), value=field_value(tr, program, field)
    )
    return f"<b>{escape(program.name)}</b>\n{escape(now_is)}\n\n{escape(question(tr, field))}"


def edit_keyboard(tr: Translator, program_id: int, field: ProgramStep) -> InlineKeyboardMarkup:
    rows = []
    if field in OPTIONAL:
        rows.append(
            [
                Button(
                    "🧹 " + tr.gettext("Clear"),
                    callback_data=callbacks.PROGRAM_CHOICE.data(program_id, field, "clear"),
                )
            ]
        )
    rows.append(
        [
            Button(
                "✖️ " + tr.gettext("Cancel"),
                callback_data=callbacks.PROGRAM_CHOICE.data(program_id, field, "cancel"),
            )
        ]
    )
    return InlineKeyboardMarkup(rows)


def edited(tr: Translator, field: ProgramStep) -> str:
    return "✅ " + escape(tr.gettext("{field} changed.").format(field=field_name(tr, field)))


def not_found(tr: Translator) -> str:
    return tr.gettext("This programme was not found.")
