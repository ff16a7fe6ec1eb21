"""Texts and buttons of /newevent and of editing an event (staff only)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from html import escape
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.config import Config
from bot.domain.event_form import (
    DURATION_PRESETS,
    FIELDS,
    REPORT_FIELDS,
    STEPS,
    Answer,
    FormError,
    FormStep,
)
from bot.domain.event_import import EventDraft, occurrences
from bot.domain.reminders import parse_offsets
from bot.domain.series import TIMES_PRESETS
from bot.i18n import Translator
from bot.services import places
from bot.services.catalog import EventView
from bot.services.dialogs import Offered
from bot.services.places import where
from bot.services.records import Event
from handlers import callbacks, keyboards, render
from handlers.keyboards import pager
from handlers.render import kind_name, shorten

Button = InlineKeyboardButton
PROGRAM_BUTTON_MAX = 60
# Programmes on one page of the programme question (a library may run thirty of them).
PROGRAM_PAGE_SIZE = 8
_PROGRAM_PAGE = re.compile(r"pg(\d{1,4})")
PLACE_BUTTON_MAX = 60
PLACES_PER_PAGE = 8  # more configured places are turned in pages
# Every question of /newevent but the repetition can be answered again for an event; the
# report line's wording has a menu of its own.
EDITABLE = FIELDS + REPORT_FIELDS
SERIES_DAYS_SHOWN = 6  # more days are shown as the first three … the last


def span(tr: Translator, value: timedelta) -> str:
    """``1 год 30 хв``, ``2 дн``: durations and reminder offsets for people."""
    seconds = int(value.total_seconds())
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(tr.gettext("{n} d").format(n=days))
    if hours:
        parts.append(tr.gettext("{n} h").format(n=hours))
    if minutes or not parts:
        parts.append(tr.gettext("{n} min").format(n=minutes))
    return " ".join(parts)


def offset_words(tr: Translator, offset: timedelta) -> str:
    """``1 день 2 години``: a reminder's offset in words (it may be days, or seconds)."""
    days, rest = divmod(int(offset.total_seconds()), 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, seconds = divmod(rest, 60)
    parts = []
    if days:
        parts.append(tr.ngettext("{n} day", "{n} days", days).format(n=days))
    if hours:
        parts.append(tr.ngettext("{n} hour", "{n} hours", hours).format(n=hours))
    if minutes:
        parts.append(tr.ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes))
    if seconds:
        parts.append(tr.ngettext("{n} second", "{n} seconds", seconds).format(n=seconds))
    return " ".join(parts)


def offsets_text(tr: Translator, offsets: Iterable[timedelta]) -> str:
    return ", ".join(offset_words(tr, o) for o in sorted(offsets, reverse=True))


def reminders_text(config: Config, tr: Translator, stored: str | None) -> str:
    """What an event's ``reminder_offsets`` mean: the library's default, none, or its own
    (the same words on the staff card, the preview and the edit screen)."""
    offsets = config.reminders.before if stored is None else parse_offsets(stored or "")
    if not offsets:
        return tr.gettext("none")
    if stored is None:
        return tr.gettext("{offsets} before (the library's default)").format(
            offsets=offsets_text(tr, offsets)
        )
    return tr.gettext("{offsets} before").format(offsets=offsets_text(tr, offsets))


def capacity_text(tr: Translator, capacity: int | None) -> str:
    return tr.gettext("no limit") if capacity is None else str(capacity)


def field_name(tr: Translator, field: FormStep) -> str:
    names = {
        FormStep.TITLE: tr.gettext("Title"),
        FormStep.KIND: tr.gettext("Kind"),
        FormStep.DATE: tr.gettext("Date"),
        FormStep.TIME: tr.gettext("Start time"),
        FormStep.DUR: tr.gettext("Duration"),
        FormStep.PLACE: tr.gettext("Place"),
        FormStep.CAP: tr.gettext("Seats"),
        FormStep.AUD: tr.gettext("Audience"),
        FormStep.PROG: tr.gettext("Event's programme"),
        FormStep.DESC: tr.gettext("Description"),
        FormStep.REM: tr.gettext("Reminders"),
        FormStep.LABEL: tr.gettext("Label in the report"),
        FormStep.RTITLE: tr.gettext("Title in the report"),
        FormStep.PARTNER: tr.gettext("Partner"),
        FormStep.NOTE: tr.gettext("After the parentheses"),
    }
    return names[field]


def field_value(
    config: Config,
    tr: Translator,
    event: Event,
    field: FormStep,
    program_names: Mapping[int, str] | None = None,
) -> str:
    """A field of an event as staff read it (plain text: escape before sending); the
    programme is named from ``program_names`` (by id)."""
    tz = config.library.timezone
    if field in (FormStep.DATE, FormStep.TIME):
        return render.when(tr, event, tz)
    if field == FormStep.DUR:
        if event.ends_at is None:
            return tr.gettext("not set")
        return span(tr, event.ends_at - event.starts_at)
    if field == FormStep.CAP:
        return capacity_text(tr, event.capacity)
    if field == FormStep.REM:
        return reminders_text(config, tr, event.reminder_offsets)
    if field == FormStep.KIND:
        return kind_name(config, tr, event.kind)
    value = {
        FormStep.TITLE: event.title,
        FormStep.PLACE: where(config, event, tr.language).name,
        FormStep.AUD: event.audience,
        FormStep.PROG: (program_names or {}).get(event.program_id or 0, ""),
        FormStep.DESC: event.description,
        FormStep.LABEL: event.report_label or "",
        FormStep.RTITLE: event.report_title or "",
        FormStep.PARTNER: event.partner or "",
        FormStep.NOTE: event.report_note or "",
    }[field]
    return value or "—"


def question(config: Config, tr: Translator, step: FormStep) -> str:
    """The question for a step, with an example of a good answer."""
    texts = {
        FormStep.TITLE: tr.gettext(
            "What is the event called? For example: Навчаємось вираховувати субсидію"
        ),
        FormStep.KIND: tr.gettext("What kind of event is it?"),
        FormStep.DATE: tr.gettext("On what day? Write the date as 03.12.2026 or 2026-12-03."),
        FormStep.TIME: tr.gettext("At what time does it start? Write it as 14:00."),
        FormStep.DUR: tr.gettext(
            "How long does it last? Tap a button or write it: 90 (minutes), 1:30, 2h or 1.5h."
        ),
        FormStep.PLACE: tr.gettext(
            "Where does it take place? Tap a place, or write another one for this event "
            "only, e.g. Читальна зала, 2 поверх"
        )
        if config.places
        else tr.gettext("Where does it take place? For example: Читальна зала, 2 поверх"),
        FormStep.CAP: tr.gettext(
            "How many seats are there? Write a number, e.g. 20, or tap «No limit»."
        ),
        FormStep.AUD: tr.gettext(
            "Who is it for? For example: пенсіонери, ВПО. Residents see it on the card "
            "and can subscribe to news for an audience."
        ),
        FormStep.PROG: tr.gettext(
            "Which programme (project) does it belong to, for the report? "
            "Tap one, write its name, or skip."
        ),
        FormStep.DESC: tr.gettext(
            "A few words for residents about the event (up to 2000 characters)."
        ),
        FormStep.REP: tr.gettext(
            "Does it repeat? Tap «No», or «Every week…» to choose how many times or until "
            "what day (each time becomes an event of its own)."
        ),
        FormStep.WEEKLY: tr.gettext(
            "Every week: how many times in all, this one included? Tap a button or write a "
            "number from 2 to 52, or write the day of the last one, e.g. 03.12.2026."
        ),
        FormStep.REM: tr.gettext(
            "When should registrants be reminded? Tap a button or write the times before "
            "the start, e.g. 24h,1h (d — days, h — hours, m — minutes; up to five)."
        ),
        FormStep.LABEL: tr.gettext(
            "How should the report's line call this event instead of its kind? It still "
            "counts under its kind. Write it as the report needs it after «провели», "
            "e.g. практикум-тренінг, інформаційну акцію."
        ),
        FormStep.RTITLE: tr.gettext(
            "How should the report's line name the event instead of its title in «»? "
            "E.g.: з питань працевлаштування та пошуку роботи"
        ),
        FormStep.PARTNER: tr.gettext(
            "Together with whom was it held? Write it as it goes after «спільно з», "
            "e.g. центром зайнятості населення."
        ),
        FormStep.NOTE: tr.gettext(
            "Words the report's line ends with, after the parentheses, e.g. "
            "використання е-ресурсів для ВПО."
        ),
    }
    return texts[step]


def problem(tr: Translator, error: FormError, *, today: date) -> str:
    """Why an answer was not taken, with an example of one that would be."""
    example_day = (today + timedelta(days=7)).strftime("%d.%m.%Y")
    texts = {
        "empty": tr.gettext("Please write some text."),
        "control_chars": tr.gettext(
            "Please type the text again: it holds invisible control characters "
            "(they sometimes come along with copied text)."
        ),
        FormStep.KIND: tr.gettext("Please tap one of the kinds below."),
        "date_format": tr.gettext(
            "I could not read the date. Write it as {example} or 2026-12-03."
        ),
        "date_invalid": tr.gettext(
            "There is no such day as {value}. Write the date as {example} or 2026-12-03."
        ),
        "date_past": tr.gettext("That day has passed. Write a day from today on, e.g. {example}."),
        "time_format": tr.gettext("I could not read the time. Write it as 14:00."),
        "time_invalid": tr.gettext(
            "There is no such time as {value}: hours go from 0 to 23 and minutes from 0 to 59. "
            "Write it as 14:00."
        ),
        "time_gap": tr.gettext(
            "That time does not exist on that day: the clocks go forward. Choose another, "
            "e.g. 14:00."
        ),
        "in_past": tr.gettext("That moment has passed. Write a later time, e.g. 18:00."),
        "start_passed": tr.gettext(
            "The start has passed while the event waited to be published. "
            "Please write the day again."
        ),
        "duration_format": tr.gettext(
            "I could not read the duration. Write it as 90 (minutes), 1:30, 2h or 1.5h."
        ),
        "duration_range": tr.gettext(
            "An event lasts from 10 minutes to 12 hours. Write it as 90 (minutes), 1:30 or 2h."
        ),
        "capacity_format": tr.gettext(
            "Write the number of seats in digits, e.g. 20, or tap «No limit»."
        ),
        "capacity_range": tr.gettext(
            "The number of seats goes from 1 to {max}. Write it as 20, or tap «No limit»."
        ),
        "reminders": tr.gettext(
            "I could not read the reminders. Write them as 24h,1h (up to five), or tap a button."
        ),
        "place_other_branch": tr.gettext(
            "«{value}» belongs to another branch. Tap one of your branch's places, or write "
            "another place for this event only."
        ),
    }
    texts |= {
        "repeat_format": tr.gettext(
            "I could not read that. Write how many times (a number from 2 to 52) or the day "
            "of the last one, e.g. {example}."
        ),
        "times_range": tr.gettext(
            "A weekly event repeats from {min} to {max} times. Write a number in between."
        ),
        "until_format": tr.gettext("I could not read the date. Write it as {example}."),
        "until_invalid": tr.gettext(
            "There is no such day as {value}. Write the date as {example} or 2026-12-03."
        ),
        "until_soon": tr.gettext(
            "That leaves no second week. The last day is {earliest} or later."
        ),
        "until_far": tr.gettext(
            "A series lasts at most 52 weeks: the last day is {latest} at the latest."
        ),
        "repeat_gap": tr.gettext(
            "On {day} the clocks go forward and skip the start time. Choose fewer weeks, "
            "or tap «No» and choose another time."
        ),
    }
    if error.code == "too_long":  # the count decides the noun's form: 201 символ, 202 символи
        texts["too_long"] = tr.ngettext(
            "That is too long: {length} character, at most {max}. Please shorten it.",
            "That is too long: {length} characters, at most {max}. Please shorten it.",
            error.params["length"],
        )
    params: dict[str, Any] = {"example": example_day, **error.params}
    params = {k: v.strftime("%d.%m.%Y") if isinstance(v, date) else v for k, v in params.items()}
    return texts[error.code].format(**{k: escape(str(v)) for k, v in params.items()})


def _choices(
    config: Config,
    tr: Translator,
    step: FormStep,
    programs: Sequence[Offered],
    *,
    editing: bool,
    new_program: str | None = None,
    page: int = 0,
) -> list[tuple[str, str]]:
    """(label, value) of the buttons that answer a question (for the programme, those of
    ``page``)."""
    if step == FormStep.KIND:
        return [(kind.name(tr.language), kind.key) for kind in config.event_kinds]
    if step == FormStep.DUR:
        return [(span(tr, timedelta(minutes=m)), str(m)) for m in DURATION_PRESETS]
    if step == FormStep.CAP:
        return [("♾ " + tr.gettext("No limit"), "none")]
    if step == FormStep.PROG:
        start = _program_page(page, len(programs)) * PROGRAM_PAGE_SIZE
        shown = programs[start : start + PROGRAM_PAGE_SIZE]
        found = [("📁 " + shorten(p.name, PROGRAM_BUTTON_MAX), f"p{p.id}") for p in shown]
        if new_program is not None:
            create = tr.gettext("Create the programme «{name}»").format(
                name=shorten(new_program, PROGRAM_BUTTON_MAX)
            )
            found.insert(0, ("➕ " + create, "new"))
        none = "🚫 " + tr.gettext("No programme")
        return [*found, (none if editing else _skip(tr, editing)[0], "skip")]
    if step in (FormStep.AUD, FormStep.DESC, *REPORT_FIELDS):
        return [_skip(tr, editing)]
    if step == FormStep.REP:
        return [("🚫 " + tr.gettext("No"), "no"), ("🔁 " + tr.gettext("Every week…"), "weekly")]
    if step == FormStep.WEEKLY:
        return [
            (tr.ngettext("{n} time", "{n} times", n).format(n=n), str(n)) for n in TIMES_PRESETS
        ]
    if step == FormStep.REM:
        default = offsets_text(tr, config.reminders.before) or tr.gettext("none")
        return [
            ("🔔 " + tr.gettext("Library default: {offsets}").format(offsets=default), "default"),
            ("🔕 " + tr.gettext("No reminders"), "none"),
        ]
    return []


def _program_page(page: int, count: int) -> int:
    """The page, within those the programmes fill."""
    pages = max(1, -(-count // PROGRAM_PAGE_SIZE))
    return min(max(page, 0), pages - 1)


def program_page(choice: str) -> int | None:
    """The page a «◀️ / ▶️» button under the programme question turns to, if it is one."""
    match = _PROGRAM_PAGE.fullmatch(choice)
    return int(match.group(1)) if match else None


def _rows(
    tr: Translator,
    step: FormStep,
    choices: list[tuple[str, str]],
    *,
    programs: Sequence[Offered],
    page: int,
    data: Callable[[str], str],
) -> list[list[InlineKeyboardButton]]:
    """A row per choice; under the programme question, the pages of programmes turn with
    a row of «◀️ / ▶️» above «Skip»."""
    rows = [[Button(label, callback_data=data(value))] for label, value in choices]
    if step == FormStep.PROG:
        pages = max(1, -(-len(programs) // PROGRAM_PAGE_SIZE))
        turn = pager(tr, _program_page(page, len(programs)), pages, lambda n: data(f"pg{n}"))
        if turn:
            rows.insert(len(rows) - 1, turn)
    return rows


class Invalid(Enum):
    """What a forged or outdated button stands for."""

    INVALID = "invalid"


INVALID = Invalid.INVALID


def chosen(
    config: Config,
    step: FormStep,
    choice: str,
    programs: Sequence[Offered],
    *,
    branch: str | None = None,
) -> Answer | Invalid:
    """The value a button of :func:`_choices` or :func:`_place_rows` stands for (a place
    offered to staff of ``branch``: its name in the library's language), or INVALID."""
    if step == FormStep.PLACE:
        found = next((p for p in places.offered(config, branch) if p.key == choice), None)
        return INVALID if found is None else places.keyed(config, found).place
    if step == FormStep.KIND:
        return choice if config.event_kind(choice) is not None else INVALID
    if step == FormStep.DUR:
        ok = choice.isdigit() and int(choice) in DURATION_PRESETS
        return int(choice) if ok else INVALID
    if step == FormStep.CAP:
        return None if choice == "none" else INVALID
    if step == FormStep.PROG:
        if choice == "skip":
            return None  # no programme
        offered = {f"p{p.id}": p.id for p in programs}
        return offered.get(choice, INVALID)
    if step in (FormStep.AUD, FormStep.DESC, *REPORT_FIELDS) and choice == "skip":
        return ""  # skipped on a new event, cleared on an existing one
    if step == FormStep.REP:
        return "" if choice == "no" else INVALID  # «Every week…» asks WEEKLY: not an answer
    if step == FormStep.WEEKLY:
        ok = choice.isdigit() and int(choice) in TIMES_PRESETS
        return choice if ok else INVALID
    if step == FormStep.REM:
        answers: dict[str, Answer] = {"default": None, "none": ""}
        return answers.get(choice, INVALID)
    return INVALID


def _skip(tr: Translator, editing: bool) -> tuple[str, str]:
    if editing:
        return ("🧹 " + tr.gettext("Clear"), "skip")
    return ("⏭ " + tr.gettext("Skip"), "skip")


def place_page(choice: str) -> int | None:
    """The page of places a «Next»/«Back» button under the place question turns to
    (a place's key starts with a letter, a page is a number); None for another button."""
    return int(choice) if choice.isdigit() and len(choice) <= 4 else None


def _place_rows(
    config: Config,
    tr: Translator,
    branch: str | None,
    page: int,
    data: Callable[[str], str],
) -> list[list[Button]]:
    """A button for each place staff of ``branch`` choose from, a page at a time."""
    offered = places.offered(config, branch)
    pages = max(1, -(-len(offered) // PLACES_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = offered[page * PLACES_PER_PAGE : (page + 1) * PLACES_PER_PAGE]
    rows = [
        [Button("📍 " + shorten(p.name(tr.language), PLACE_BUTTON_MAX), callback_data=data(p.key))]
        for p in shown
    ]
    if nav := keyboards.pager(tr, page, pages, lambda n: data(str(n))):
        rows.append(nav)
    return rows


def new_event_keyboard(
    config: Config,
    tr: Translator,
    step: FormStep,
    programs: Sequence[Offered] = (),
    *,
    new_program: str | None = None,
    branch: str | None = None,
    page: int = 0,
) -> InlineKeyboardMarkup:
    """The buttons under a question; under the programme question, page ``page`` of the
    programmes; under the place question, the places of ``branch`` (all for None), page
    ``page``."""
    choices = _choices(
        config, tr, step, programs, editing=False, new_program=new_program, page=page
    )
    rows = _rows(
        tr,
        step,
        choices,
        programs=programs,
        page=page,
        data=lambda v: callbacks.NEW_EVENT_CHOICE.data(step, v),
    )
    if step == FormStep.PLACE:
        rows += _place_rows(
            config, tr, branch, page, lambda c: callbacks.NEW_EVENT_CHOICE.data(step, c)
        )
    rows.append(
        [Button("✖️ " + tr.gettext("Cancel"), callback_data=callbacks.NEW_EVENT_CANCEL.data())]
    )
    return InlineKeyboardMarkup(rows)


def new_event_question(tr: Translator, config: Config, step: FormStep) -> str:
    number = STEPS.index(FormStep.REP if step == FormStep.WEEKLY else step) + 1
    head = tr.gettext("New event, question {n} of {total}.").format(n=number, total=len(STEPS))
    return f"<i>{escape(head)}</i>\n{escape(question(config, tr, step))}"


def started(tr: Translator) -> str:
    return tr.gettext(
        "Let us create an event: {n} short questions, then a preview. "
        "Nothing is published until you say so; /cancel stops at any time."
    ).format(n=len(STEPS))


def resumed(tr: Translator) -> str:
    return tr.gettext(
        "You have an unfinished event; let us go on where we stopped. /cancel discards it."
    )


def preview(
    config: Config, tr: Translator, draft: EventDraft, program_name: str | None = None
) -> str:
    """The card as residents will see it (with the days of a series), then what only
    staff see."""
    starts = [d.starts_at for d in occurrences(draft, config.library.timezone)]
    found = config.find_place(draft.place)  # shown with its address, as on the card
    event = Event(
        id=0,
        title=draft.title,
        kind=draft.kind,
        starts_at=draft.starts_at,
        ends_at=draft.ends_at,
        place=draft.place,
        place_key=None if found is None else found.key,
        capacity=draft.capacity,
        seats_taken=0,
        audience=draft.audience,
        program_id=draft.program_id,
        description=draft.description,
        status="draft",
        reminder_offsets=draft.reminders,
        created_at=datetime.now(UTC),
    )
    view = EventView(
        event=event,
        seats_left=draft.capacity,
        waiting=0,
        closed=None,
        my_status=None,
        my_position=None,
    )
    lines = [
        tr.gettext("<b>Preview.</b> Residents will see this card:"),
        "",
        render.event_card(config, tr, view),
        *(["🔁 " + escape(series_text(config, tr, starts))] if len(starts) > 1 else []),
        "",
        "— — —",
        tr.gettext("Only staff see:"),
        "🎟 "
        + tr.gettext("Seats: {capacity}").format(
            capacity=escape(capacity_text(tr, draft.capacity))
        ),
        "📁 " + tr.gettext("Programme: {program}").format(program=escape(program_name or "—")),
        "🔔 "
        + tr.gettext("Reminders: {reminders}").format(
            reminders=escape(reminders_text(config, tr, draft.reminders))
        ),
        "",
        tr.gettext("Publish it now, keep it as a draft residents do not see, or discard it?"),
    ]
    return "\n".join(lines)


def series_text(config: Config, tr: Translator, starts: Sequence[datetime]) -> str:
    """``щопонеділка о 14:00, 8 разів: 2, 9, 16 березня … 20 квітня``."""
    tz = config.library.timezone
    first = starts[0].astimezone(tz)
    every = (
        tr.gettext("every Monday"),
        tr.gettext("every Tuesday"),
        tr.gettext("every Wednesday"),
        tr.gettext("every Thursday"),
        tr.gettext("every Friday"),
        tr.gettext("every Saturday"),
        tr.gettext("every Sunday"),
    )[first.weekday()]
    shown = [starts] if len(starts) <= SERIES_DAYS_SHOWN else [starts[:3], starts[-1:]]
    days = " … ".join(_days_by_month(tr, part, tz) for part in shown)
    return tr.ngettext(
        "{every} at {time}, {n} time: {days}", "{every} at {time}, {n} times: {days}", len(starts)
    ).format(every=every, time=tr.time(first, tz), n=len(starts), days=days)


def _days_by_month(tr: Translator, starts: Sequence[datetime], tz: Any) -> str:
    """``23, 30 березня, 6 квітня``: the month named once after its days."""
    words = []
    for n, start in enumerate(starts):
        following = starts[n + 1].astimezone(tz) if n + 1 < len(starts) else None
        local = start.astimezone(tz)
        if following is not None and following.month == local.month:
            words.append(str(local.day))
        else:
            words.append(tr.day_month(start, tz))
    return ", ".join(words)


def preview_keyboard(tr: Translator) -> InlineKeyboardMarkup:
    rows = [
        [
            Button(
                "✅ " + tr.gettext("Publish"),
                callback_data=callbacks.NEW_EVENT_CHOICE.data(FormStep.DONE, "publish"),
            )
        ],
        [
            Button(
                "📝 " + tr.gettext("Keep as draft"),
                callback_data=callbacks.NEW_EVENT_CHOICE.data(FormStep.DONE, "draft"),
            )
        ],
        [Button("🗑 " + tr.gettext("Discard"), callback_data=callbacks.NEW_EVENT_CANCEL.data())],
    ]
    return InlineKeyboardMarkup(rows)


def created_series(config: Config, tr: Translator, created: Sequence[Event], link: str) -> str:
    """The occurrences of a new series: their numbers and days."""
    first, n = created[0], len(created)
    if first.status == "published":
        text = tr.ngettext(
            "✅ Published: {n} event «{title}», numbers {first}–{last}. Residents can sign "
            "up now, to one or to all.",
            "✅ Published: {n} events «{title}», numbers {first}–{last}. Residents can sign "
            "up now, to one or to all.",
            n,
        )
    else:
        text = tr.ngettext(
            "📝 Saved as drafts: {n} event «{title}», numbers {first}–{last}. Residents do "
            "not see them until each is published.",
            "📝 Saved as drafts: {n} events «{title}», numbers {first}–{last}. Residents do "
            "not see them until each is published.",
            n,
        )
    text = text.format(n=n, title=escape(first.title), first=first.id, last=created[-1].id)
    text += "\n🔁 " + escape(series_text(config, tr, [e.starts_at for e in created]))
    if first.status == "published":
        text += "\n" + tr.gettext("Link for posters and the website: {link}").format(
            link=escape(link)
        )
    return text


def created(tr: Translator, event: Event, link: str) -> str:
    if event.status == "published":
        text = tr.gettext("✅ Published: event {id}, «{title}». Residents can sign up now.")
    else:
        text = tr.gettext(
            "📝 Saved as a draft: event {id}, «{title}». Residents do not see it until it is "
            "published."
        )
    text = text.format(id=event.id, title=escape(event.title))
    if event.status == "published":
        text += "\n" + tr.gettext("Link for posters and the website: {link}").format(
            link=escape(link)
        )
    return text


def card_keyboard(tr: Translator, event_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                Button(
                    "🗂 " + tr.gettext("Event card"),
                    callback_data=callbacks.STAFF_EVENT.data(event_id),
                )
            ]
        ]
    )


def discarded(tr: Translator) -> str:
    return tr.gettext("Fine, the new event is discarded. /newevent starts again.")


def nothing_to_cancel(tr: Translator) -> str:
    return tr.gettext("There is nothing to cancel.")


def press_a_button(tr: Translator) -> str:
    return tr.gettext("Please tap one of the buttons.")


# --- editing ------------------------------------------------------------------------------


def edit_menu(config: Config, tr: Translator, event: Event) -> str:
    return tr.gettext("<b>{title}</b>\n🗓 {when}\n\nWhat would you like to change?").format(
        title=escape(event.title), when=escape(render.when(tr, event, config.library.timezone))
    )


def edit_menu_keyboard(tr: Translator, event_id: int) -> InlineKeyboardMarkup:
    rows = [
        [Button(field_name(tr, f), callback_data=callbacks.EDIT_FIELD.data(event_id, f))]
        for f in FIELDS
    ]
    rows.append(
        [
            Button(
                "📄 " + tr.gettext("As in the report"),
                callback_data=callbacks.REPORT_WORDING.data(event_id),
            )
        ]
    )
    rows.append(
        [Button("⬅️ " + tr.gettext("Back"), callback_data=callbacks.STAFF_EVENT.data(event_id))]
    )
    return InlineKeyboardMarkup(rows)


def report_wording(config: Config, tr: Translator, event: Event) -> str:
    """The report line's wording of the event, each field with its value or «—»."""
    lines = [
        f"<b>{escape(event.title)}</b>",
        escape(
            tr.gettext(
                "How the report's line names this event. Empty fields take the kind and the title."
            )
        ),
        "",
    ]
    for f in REPORT_FIELDS:
        lines.append(
            f"{escape(field_name(tr, f))}: <i>{escape(field_value(config, tr, event, f))}</i>"
        )
    return "\n".join(lines)


def report_wording_keyboard(tr: Translator, event_id: int) -> InlineKeyboardMarkup:
    rows = [
        [Button("✏️ " + field_name(tr, f), callback_data=callbacks.EDIT_FIELD.data(event_id, f))]
        for f in REPORT_FIELDS
    ]
    rows.append(
        [Button("⬅️ " + tr.gettext("Back"), callback_data=callbacks.EDIT_EVENT.data(event_id))]
    )
    return InlineKeyboardMarkup(rows)


def edit_question(
    config: Config,
    tr: Translator,
    event: Event,
    field: FormStep,
    program_names: Mapping[int, str] | None = None,
) -> str:
    now_is = tr.gettext("{field} now: {value}").format(
        field=field_name(tr, field),
        value=field_value(config, tr, event, field, program_names),
    )
    return (
        f"<b>{escape(event.title)}</b>\n{escape(now_is)}\n\n{escape(question(config, tr, field))}"
    )


def edit_keyboard(
    config: Config,
    tr: Translator,
    event_id: int,
    field: FormStep,
    programs: Sequence[Offered] = (),
    *,
    new_program: str | None = None,
    branch: str | None = None,
    page: int = 0,
) -> InlineKeyboardMarkup:
    choices = _choices(
        config, tr, field, programs, editing=True, new_program=new_program, page=page
    )
    rows = _rows(
        tr,
        field,
        choices,
        programs=programs,
        page=page,
        data=lambda v: callbacks.EDIT_CHOICE.data(event_id, field, v),
    )
    if field == FormStep.PLACE:
        rows += _place_rows(
            config,
            tr,
            branch,
            page,
            lambda c: callbacks.EDIT_CHOICE.data(event_id, field, c),
        )
    rows.append(
        [Button("✖️ " + tr.gettext("Cancel"), callback_data=callbacks.EDIT_CANCEL.data(event_id))]
    )
    return InlineKeyboardMarkup(rows)


def edited(
    tr: Translator, field: FormStep, old: str, new: str, *, notified: int, promoted: int
) -> str:
    lines = [
        "✅ "
        + tr.gettext("{field}: {old} → {new}").format(
            field=escape(field_name(tr, field)), old=escape(old), new=escape(new)
        )
    ]
    if old == new:
        lines = [
            tr.gettext("Nothing changed: {field} was already so.").format(
                field=escape(field_name(tr, field))
            )
        ]
    if notified:
        lines.append(
            tr.ngettext(
                "{n} registrant will be told of the change.",
                "{n} registrants will be told of the change.",
                notified,
            ).format(n=notified)
        )
    elif field in (FormStep.DATE, FormStep.TIME, FormStep.PLACE) and old != new:
        lines.append(tr.gettext("Nobody is registered yet, so nobody needs to be told."))
    if promoted:
        lines.append(
            tr.ngettext(
                "{n} person moved up from the waiting list and will be told.",
                "{n} people moved up from the waiting list and will be told.",
                promoted,
            ).format(n=promoted)
        )
    return "\n".join(lines)


def edit_cancelled(tr: Translator) -> str:
    return tr.gettext("Fine, nothing changed.")


def finish_new_event_first(tr: Translator) -> str:
    return tr.gettext(
        "You are creating a new event: finish it first, or send /cancel to discard it."
    )


def cannot_edit_cancelled(tr: Translator) -> str:
    return tr.gettext("This event has been cancelled; it can no longer be changed.")


def capacity_below_taken(tr: Translator, taken: int) -> str:
    return tr.ngettext(
        "{n} seat is already taken, so there cannot be fewer seats. Write {n} or more.",
        "{n} seats are already taken, so there cannot be fewer seats. Write {n} or more.",
        taken,
    ).format(n=taken)


def no_such_program(tr: Translator, name: str) -> str:
    """The note for a branch's staff, who may not create programmes (they are the library's)."""
    return tr.gettext(
        "There is no programme «{name}». Tap one of those above or write the name again; "
        "new programmes are added by the staff of the whole library."
    ).format(name=escape(name))


def unknown_program(tr: Translator, name: str) -> str:
    """The note above the programme question asked again after an unknown name."""
    return tr.gettext(
        "There is no programme «{name}» yet. Tap «➕ Create…» to create it (its purpose, "
        "period and signature can be filled in later under /programs), tap another one, "
        "or write the name again."
    ).format(name=escape(name))
