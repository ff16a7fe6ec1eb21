"""Typed answers to the questions of /newevent and of editing an event: read and checked.

Pure: the caller passes the library's timezone and the current moment. Every refusal is
a :class:`FormError` whose ``code`` the handler turns into a polite message with an
example. The text limits are the CSV import's, so both ways of creating events agree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum, StrEnum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from bot.domain import event_import, series
from bot.domain.days import written_day
from bot.domain.event_import import LIMITS, MAX_CAPACITY, EventDraft, local_to_utc
from bot.domain.reminders import format_offsets, parse_offsets
from bot.domain.text import has_control_characters, multiline, one_line


class FormStep(StrEnum):
    """A question of /newevent, or the field of an event being edited; DONE is the preview.

    The values are stored in the staff dialog and travel in callback data: keep them
    short, and never rename one (rows and buttons of the running version carry them)."""

    TITLE = "title"
    KIND = "kind"
    DATE = "date"
    TIME = "time"
    DUR = "dur"
    REP = "rep"  # does it repeat every week? (asked by /newevent only)
    PLACE = "place"
    CAP = "cap"
    AUD = "aud"
    PROG = "prog"
    DESC = "desc"
    REM = "rem"
    DONE = "done"
    # How the report's line names the event: edited on the staff card, not asked by
    # /newevent (most events need none of them).
    LABEL = "label"
    RTITLE = "rtitle"
    PARTNER = "partner"
    NOTE = "note"
    # After «Every week…» under REP: how many times, or until what day (answers REP).
    WEEKLY = "weekly"


# How the report's line names the event, when the kind and the title are not enough.
REPORT_FIELDS = (FormStep.LABEL, FormStep.RTITLE, FormStep.PARTNER, FormStep.NOTE)
# The questions of /newevent in order (every one can also be answered again for an event).
STEPS = tuple(
    step
    for step in FormStep
    if step not in (FormStep.DONE, FormStep.WEEKLY) and step not in REPORT_FIELDS
)
# The fields of an event staff can change; a series is made once, by /newevent.
FIELDS = tuple(step for step in STEPS if step is not FormStep.REP)
EDITABLE = FIELDS + REPORT_FIELDS
DONE = FormStep.DONE
# Free-text fields and the import column whose limit they share.
TEXT_FIELDS = {
    FormStep.TITLE: "title",
    FormStep.PLACE: "place",
    FormStep.AUD: "audience",
    FormStep.PROG: "program",
    FormStep.DESC: "description",
    FormStep.LABEL: "report_label",
    FormStep.RTITLE: "report_title",
    FormStep.PARTNER: "partner",
    FormStep.NOTE: "report_note",
}
# Multi-line text is kept as typed; a title or a place is one line.
MULTILINE = frozenset({FormStep.DESC})

MIN_DURATION = timedelta(minutes=10)
MAX_DURATION = timedelta(hours=12)
DURATION_PRESETS = (60, 90, 120, 180)  # minutes, offered as buttons

_TIME = re.compile(r"([0-9]{1,2})[:.]([0-9]{2})")
_HOURS_MINUTES = re.compile(r"([0-9]{1,2}):([0-9]{2})")
_NUMBER = r"[0-9]{1,4}(?:[.,][0-9]{1,2})?"
_HOUR_UNITS = r"h|hr|hrs|hour|hours|г|год|година|години|годин"
_MINUTE_UNITS = r"m|min|mins|minute|minutes|хв|хвилина|хвилини|хвилин"
_WITH_UNITS = re.compile(
    rf"(?:(?P<h>{_NUMBER})\s*(?:{_HOUR_UNITS})\.?)?\s*(?:(?P<m>[0-9]{{1,4}})\s*(?:{_MINUTE_UNITS})\.?)?"
)


class FormError(ValueError):
    """An answer that cannot be taken; ``code`` names the problem, ``params`` fill the text."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def parse_step(value: str) -> FormStep | None:
    """The step a callback or a stored row names, or None for one this version does not ask."""
    try:
        return FormStep(value)
    except ValueError:
        return None


def next_step(step: FormStep) -> FormStep:
    """The question after ``step``; after the last one, the preview."""
    if step == FormStep.WEEKLY:
        step = FormStep.REP
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else DONE


def parse_text(text: str, field: FormStep) -> str:
    """A title, place, audience, programme name, description or report wording: not
    blank, within the limit, without control characters (a description keeps its line
    breaks and tabs)."""
    value = multiline(text) if field in MULTILINE else one_line(text)
    if not value:
        raise FormError("empty")
    if has_control_characters(value):
        raise FormError("control_chars")
    limit = LIMITS[TEXT_FIELDS[field]]
    if len(value) > limit:
        raise FormError("too_long", max=limit, length=len(value))
    return value


def parse_kind(text: str, kinds: Mapping[str, str]) -> str:
    """A kind typed instead of tapped: its key or its name in any language."""
    key = kinds.get(" ".join(text.split()).casefold())
    if key is None:
        raise FormError("kind")
    return key


def parse_date(text: str, *, today: date) -> date:
    """``03.12.2026`` or ``2026-12-03``; not a day that has passed."""
    value = text.strip()
    try:
        result = written_day(value)
    except ValueError:
        raise FormError("date_invalid", value=value) from None
    if result is None:
        raise FormError("date_format")
    if result < today:
        raise FormError("date_past")
    return result


def parse_time(text: str) -> time:
    """``14:00`` (``9:30`` and ``14.00`` too)."""
    value = text.strip()
    match = _TIME.fullmatch(value)
    if match is None:
        raise FormError("time_format")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise FormError("time_invalid", value=value)
    return time(hour, minute)


def local_start(day: date, at: time, tz: ZoneInfo, *, now: datetime) -> datetime:
    """The start in UTC: a wall-clock time that exists in ``tz`` and is still ahead."""
    try:
        utc = local_to_utc(datetime.combine(day, at), tz)
    except ValueError:
        raise FormError("time_gap") from None  # the clocks jump over it
    if utc <= now:
        raise FormError("in_past")
    return utc


def parse_duration(text: str) -> timedelta:
    """How long an event lasts: ``90`` (minutes), ``1:30``, ``2h``, ``1.5h``, ``1h30m``,
    ``1 год 30 хв``, or ``1,5`` (a fraction means hours)."""
    value = " ".join(text.split()).casefold()
    minutes: float
    if re.fullmatch(r"[0-9]{1,4}", value):
        minutes = int(value)
    elif re.fullmatch(r"[0-9]{1,2}[.,][0-9]{1,2}", value):
        minutes = float(value.replace(",", ".")) * 60
    elif match := _HOURS_MINUTES.fullmatch(value):
        if int(match.group(2)) > 59:
            raise FormError("duration_format")
        minutes = int(match.group(1)) * 60 + int(match.group(2))
    elif (match := _WITH_UNITS.fullmatch(value)) and (match["h"] or match["m"]):
        hours = float(match["h"].replace(",", ".")) if match["h"] else 0.0
        minutes = hours * 60 + (int(match["m"]) if match["m"] else 0)
    else:
        raise FormError("duration_format")
    result = timedelta(minutes=round(minutes))
    if not MIN_DURATION <= result <= MAX_DURATION:
        raise FormError("duration_range")
    return result


def parse_capacity(text: str) -> int:
    """The number of seats, as the import reads it: digits (spaces allowed, "1 000")."""
    try:
        return event_import.parse_capacity(text)
    except ValueError as exc:
        if str(exc) == "range":
            raise FormError("capacity_range", max=MAX_CAPACITY) from None
        raise FormError("capacity_format") from None


def parse_reminders(text: str) -> str:
    """``24h,1h`` -> the stored form ``"1d,1h"`` (up to five offsets)."""
    try:
        offsets = parse_offsets(text)
    except ValueError:
        raise FormError("reminders") from None
    if not offsets:
        raise FormError("reminders")
    return format_offsets(offsets)


def parse_repeat(text: str) -> str:
    """How many times in all (``8``) or the last day (``01.05.2026``), in the stored form
    of :class:`series.Repeat`; checked against the start by :func:`check_repeat`."""
    try:
        return series.parse_repeat(text).to_text()
    except series.SeriesError as exc:
        raise FormError(exc.code, **exc.params) from None


def repeat_of(stored: str) -> series.Repeat | None:
    """The repetition an answer to REP stands for ("": none)."""
    return series.Repeat.from_text(stored) if stored else None


def check_repeat(stored: str, day: date, at: time, tz: ZoneInfo) -> None:
    """Refuse a repetition the first day and time do not allow: fewer than two weeks,
    more than 52, or a week whose start the clocks jump over."""
    repeat = repeat_of(stored)
    if repeat is None:
        return
    try:
        series.starts(datetime.combine(day, at, tzinfo=tz).astimezone(UTC), repeat, tz)
    except series.SeriesError as exc:
        code = "repeat_gap" if exc.code == "time_gap" else exc.code
        raise FormError(code, **exc.params) from None


class Unanswered(Enum):
    """A question not answered yet (None is an answer: no limit, the library's reminders)."""

    UNANSWERED = "unanswered"


UNANSWERED = Unanswered.UNANSWERED
T = TypeVar("T")
# What one answer is: text, a kind's key, a day, a time of day, minutes, seats...
Answer = str | int | date | time | None


def parse_answer(step: FormStep, text: str, *, kinds: Mapping[str, str], today: date) -> Answer:
    """The typed answer to ``step`` (a duration in minutes); raises FormError."""
    if step in TEXT_FIELDS:
        return parse_text(text, step)
    if step == FormStep.KIND:
        return parse_kind(text, kinds)
    if step == FormStep.DATE:
        return parse_date(text, today=today)
    if step == FormStep.TIME:
        return parse_time(text)
    if step == FormStep.DUR:
        return int(parse_duration(text).total_seconds() // 60)
    if step == FormStep.CAP:
        return parse_capacity(text)
    if step == FormStep.REM:
        return parse_reminders(text)
    if step in (FormStep.REP, FormStep.WEEKLY):
        return parse_repeat(text)
    raise ValueError(f"{step} is not a question")


@dataclass(frozen=True)
class EventAnswers:
    """The answers of /newevent so far, each as the value it stands for."""

    title: str | Unanswered = UNANSWERED
    kind: str | Unanswered = UNANSWERED
    day: date | Unanswered = UNANSWERED
    start: time | Unanswered = UNANSWERED
    minutes: int | Unanswered = UNANSWERED  # how long it lasts
    repeat: str | Unanswered = UNANSWERED  # "": once; "8": 8 weeks; "2026-05-01": until then
    place: str | Unanswered = UNANSWERED
    capacity: int | Unanswered | None = UNANSWERED  # None: no limit
    audience: str | Unanswered = UNANSWERED  # "": skipped
    program: int | Unanswered | None = UNANSWERED  # the programme's id; None: none
    description: str | Unanswered = UNANSWERED  # "": skipped
    reminders: str | Unanswered | None = UNANSWERED  # None: the library's; "": none

    def answered(self, step: FormStep) -> bool:
        return not isinstance(getattr(self, _ATTRIBUTES[step]), Unanswered)

    def answer(self, step: FormStep, value: Answer) -> EventAnswers:
        """These answers with ``value`` for ``step``."""
        if not isinstance(value, _TYPES[step]) or isinstance(value, bool):
            raise TypeError(f"{step}: {value!r}")
        # The check above is the type of each field; replace() cannot see it through a name.
        changes: dict[str, Any] = {_ATTRIBUTES[step]: value}
        return replace(self, **changes)

    def without(self, *steps: FormStep) -> EventAnswers:
        """These answers with ``steps`` to be asked again."""
        changes: dict[str, Any] = {_ATTRIBUTES[step]: UNANSWERED for step in steps}
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        """The answers as stored: a key per answered question, named by its step."""
        found: dict[str, Any] = {}
        for step in STEPS:
            value = getattr(self, _ATTRIBUTES[step])
            if isinstance(value, Unanswered):
                continue
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, time):
                value = value.strftime("%H:%M")
            found[step.value] = value
        return found

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EventAnswers:
        """The answers :meth:`to_json` stored (other keys are ignored); raises ValueError
        for a value of the wrong kind."""
        answers = cls()
        for step in STEPS:
            if step.value not in data:
                continue
            value = data[step.value]
            if step == FormStep.DATE and isinstance(value, str):
                value = date.fromisoformat(value)
            elif step == FormStep.TIME and isinstance(value, str):
                value = time.fromisoformat(value)
            elif step == FormStep.PROG and isinstance(value, str):
                continue  # an older version's free-text project: no programme chosen yet
            try:
                answers = answers.answer(step, value)
            except TypeError as exc:
                raise ValueError(str(exc)) from None
        return answers


_ATTRIBUTES = {
    FormStep.TITLE: "title",
    FormStep.KIND: "kind",
    FormStep.DATE: "day",
    FormStep.TIME: "start",
    FormStep.DUR: "minutes",
    FormStep.REP: "repeat",
    FormStep.WEEKLY: "repeat",
    FormStep.PLACE: "place",
    FormStep.CAP: "capacity",
    FormStep.AUD: "audience",
    FormStep.PROG: "program",
    FormStep.DESC: "description",
    FormStep.REM: "reminders",
}
_NONE = type(None)
_TYPES: dict[FormStep, tuple[type, ...]] = {
    FormStep.TITLE: (str,),
    FormStep.KIND: (str,),
    FormStep.DATE: (date,),
    FormStep.TIME: (time,),
    FormStep.DUR: (int,),
    FormStep.REP: (str,),
    FormStep.WEEKLY: (str,),
    FormStep.PLACE: (str,),
    FormStep.CAP: (int, _NONE),
    FormStep.AUD: (str,),
    FormStep.PROG: (int, _NONE),
    FormStep.DESC: (str,),
    FormStep.REM: (str, _NONE),
}


def _given(value: T | Unanswered) -> T:
    if isinstance(value, Unanswered):
        raise ValueError("a question of the form is unanswered")
    return value


def _or(value: T | Unanswered, default: T) -> T:
    return default if isinstance(value, Unanswered) else value


def draft(answers: EventAnswers, tz: ZoneInfo) -> EventDraft:
    """The event the answers of /newevent describe."""
    starts_at = (
        datetime.combine(_given(answers.day), _given(answers.start))
        .replace(tzinfo=tz)
        .astimezone(UTC)
    )
    return EventDraft(
        title=_given(answers.title),
        kind=_given(answers.kind),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=_given(answers.minutes)),
        place=_given(answers.place),
        capacity=_given(answers.capacity),
        audience=_or(answers.audience, ""),
        program_id=_or(answers.program, None),
        description=_or(answers.description, ""),
        reminders=_or(answers.reminders, None),
        repeat=repeat_of(_or(answers.repeat, "")),
    )
