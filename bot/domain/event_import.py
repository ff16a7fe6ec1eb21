"""Reading events from a CSV file as librarians save it from Excel: all rows or none."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain import series
from bot.domain.reminders import format_offsets, parse_offsets
from bot.domain.series import Repeat, SeriesError
from bot.domain.text import has_control_characters, multiline, one_line

COLUMNS = (
    "title",
    "kind",
    "starts_at",
    "ends_at",
    "place",
    "capacity",
    "audience",
    "program",
    "description",
    "reminders",
    # How the report's line names the event (optional): the label counted under the
    # kind, another title, the partner («спільно з …») and words after the parentheses.
    "report_label",
    "report_title",
    "partner",
    "report_note",
    # A weekly series (optional, one or the other): the number of occurrences, or the
    # last day.
    "repeat_weeks",
    "repeat_until",
)
REQUIRED = ("title", "kind", "starts_at", "place")
# Free text keeps its line breaks only in the description, as in the staff's form; an
# Alt+Enter inside another cell becomes a space.
MULTILINE = frozenset({"description"})
LIMITS = {
    "title": 200,
    "place": 200,
    "audience": 200,
    "program": 200,
    "description": 2000,
    "report_label": 100,
    "report_title": 300,
    "partner": 200,
    "report_note": 300,
}
MAX_CAPACITY = 100_000
MAX_ROWS = 1000
DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M")


@dataclass(frozen=True)
class EventDraft:
    """A validated event, ready to be stored."""

    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime | None
    place: str
    capacity: int | None
    audience: str = ""
    program_id: int | None = None
    description: str = ""
    reminders: str | None = None  # "18h,1h"; None for the library's default
    # The programme as the file names it (the importer finds its id).
    program: str | None = None
    report_label: str | None = None
    report_title: str | None = None
    partner: str | None = None
    report_note: str | None = None
    row: int = 0  # where it stood in the file, for messages
    # Every week from this one on (see :func:`occurrences`); None: once.
    repeat: Repeat | None = None
    # A configured place's key (``place`` is then its name), and the branch that runs
    # the event; set by the service that knows the configuration and who creates it.
    place_key: str | None = None
    branch_key: str | None = None


def occurrences(draft: EventDraft, tz: ZoneInfo) -> list[EventDraft]:
    """The events a draft stands for: itself, or each week of its series at the same
    wall-clock time and of the same length. Raises SeriesError."""
    if draft.repeat is None:
        return [draft]
    length = None if draft.ends_at is None else draft.ends_at - draft.starts_at
    return [
        replace(
            draft,
            starts_at=start,
            ends_at=None if length is None else start + length,
            repeat=None,
        )
        for start in series.starts(draft.starts_at, draft.repeat, tz)
    ]


@dataclass(frozen=True)
class RowProblem:
    """What is wrong and where: ``row`` is the line as a spreadsheet numbers it."""

    row: int
    code: str
    column: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)


class EventImportError(Exception):
    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the file")
        self.problems = problems


def parse_local_datetime(text: str, tz: ZoneInfo) -> datetime:
    """Read a wall-clock time in the library's zone and return it in UTC.

    Raises ValueError("format") for an unreadable value and ValueError("gap") for a
    time that does not exist because the clocks were moved forward.
    """
    value = " ".join(text.split())
    for fmt in DATETIME_FORMATS:
        try:
            naive = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return local_to_utc(naive, tz)
    raise ValueError("format")


def local_to_utc(naive: datetime, tz: ZoneInfo) -> datetime:
    """A wall-clock time in ``tz`` as UTC; ValueError("gap") for one the clocks jump over,
    ValueError("range") for one at the calendar's ends that has no UTC moment."""
    try:
        utc = naive.replace(tzinfo=tz).astimezone(UTC)
    except OverflowError:
        raise ValueError("range") from None
    if utc.astimezone(tz).replace(tzinfo=None) != naive:
        raise ValueError("gap")
    return utc


def parse_capacity(text: str) -> int:
    """The number of seats: ASCII digits (spaces allowed, "1 000"), from 1 to MAX_CAPACITY.

    Raises ValueError("format") or ValueError("range").
    """
    value = "".join(text.split())
    if not re.fullmatch(r"[0-9]+", value):
        raise ValueError("format")
    if len(value) > 9 or not 1 <= int(value) <= MAX_CAPACITY:
        raise ValueError("range")
    return int(value)


def decode_csv(data: bytes) -> str:
    """UTF-8 with or without Excel's BOM; anything else is refused (a NUL byte means
    UTF-16 or a binary file, which would otherwise pass as UTF-8)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EventImportError([RowProblem(1, "encoding")]) from exc
    if "\x00" in text:
        raise EventImportError([RowProblem(1, "encoding")])
    return text


def parse_events_csv(
    text: str,
    *,
    kinds: Mapping[str, str] | Collection[str],
    tz: ZoneInfo,
    now: datetime | None = None,
) -> list[EventDraft]:
    """Validate every row; raise EventImportError listing all problems if any row is bad.

    ``kinds`` maps accepted spellings (keys and, lower-cased, names) to kind keys. With
    ``now``, an event that has already started is refused: the import announces events.
    """
    kind_lookup = {k.casefold(): v for k, v in _as_mapping(kinds).items()}
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise EventImportError([RowProblem(1, "empty_file")])
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    # Universal newlines: old Mac Excel ends lines with a lone CR, which the csv module
    # refuses as "new-line character seen in unquoted field".
    reader = csv.reader(io.StringIO(text, newline=None), delimiter=delimiter)
    try:
        first = next(reader, None)
    except csv.Error:  # an unclosed quote that swallows the file, a NUL
        raise EventImportError([RowProblem(1, "unreadable")]) from None
    if first is None:
        raise EventImportError([RowProblem(1, "empty_file")])
    header = [h.strip().casefold() for h in first]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h and h not in COLUMNS]
    if missing or unknown:
        raise EventImportError(
            [
                RowProblem(
                    1,
                    "bad_header",
                    params={"missing": ", ".join(missing), "unknown": ", ".join(unknown)},
                )
            ]
        )
    drafts: list[EventDraft] = []
    problems: list[RowProblem] = []
    for values in _rows(reader, problems):
        row = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(drafts) + len(problems) >= MAX_ROWS:
            problems.append(RowProblem(row, "too_many_rows", params={"max": MAX_ROWS}))
            break
        if len(values) > len(header):
            problems.append(RowProblem(row, "extra_cells"))
            continue
        if len(values) <= max(header.index(c) for c in REQUIRED):
            counts = {"cells": len(values), "columns": len(header)}
            problems.append(RowProblem(row, "missing_cells", params=counts))
            continue
        cells = dict(zip(header, (v.strip() for v in values), strict=False))
        draft, row_problems = _parse_row(row, cells, kind_lookup, tz, now)
        problems.extend(row_problems)
        if draft is not None:
            drafts.append(draft)
    if problems:
        raise EventImportError(problems)
    if not drafts:
        raise EventImportError([RowProblem(2, "no_rows")])
    return drafts


def _rows(reader: Any, problems: list[RowProblem]) -> Iterator[list[str]]:
    """The reader's rows; a line it cannot split (an unclosed quote swallowing the rest
    of the file makes a cell too long) is a problem, and the end of reading."""
    try:
        yield from reader
    except csv.Error:
        problems.append(RowProblem(reader.line_num, "unreadable"))


def _as_mapping(kinds: Mapping[str, str] | Collection[str]) -> Mapping[str, str]:
    if isinstance(kinds, Mapping):
        return kinds
    return {k: k for k in kinds}


def _parse_row(
    row: int, cells: dict[str, str], kinds: Mapping[str, str], tz: ZoneInfo, now: datetime | None
) -> tuple[EventDraft | None, list[RowProblem]]:
    problems: list[RowProblem] = []

    def problem(code: str, column: str, **params: Any) -> None:
        problems.append(RowProblem(row, code, column, params))

    for column in REQUIRED:
        if not cells.get(column):
            problem("required", column)
    for column, limit in LIMITS.items():
        if column not in cells:
            continue
        cells[column] = (multiline if column in MULTILINE else one_line)(cells[column])
        if has_control_characters(cells[column]):
            problem("control_chars", column)
        elif len(cells[column]) > limit:
            problem("too_long", column, max=limit)

    kind = kinds.get(cells.get("kind", "").casefold())
    if cells.get("kind") and kind is None:
        problem(
            "unknown_kind",
            "kind",
            value=cells["kind"],
            known=", ".join(sorted(set(kinds.values()))),
        )

    starts_at = _datetime_cell(cells, "starts_at", tz, problem)
    ends_at = _datetime_cell(cells, "ends_at", tz, problem)
    if starts_at and ends_at and ends_at <= starts_at:
        problem("ends_before_start", "ends_at")
    if starts_at and now and starts_at <= now:
        problem("in_past", "starts_at", value=cells["starts_at"])

    reminders: str | None = None
    if raw_reminders := cells.get("reminders", ""):
        try:
            reminders = format_offsets(parse_offsets(raw_reminders))
        except ValueError:
            problem("reminders", "reminders", value=raw_reminders)

    capacity: int | None = None
    if raw := cells.get("capacity", ""):
        try:
            capacity = parse_capacity(raw)
        except ValueError:
            problem("capacity", "capacity", value=raw)

    repeat = _repeat_cells(cells, starts_at, tz, problem)

    if problems or starts_at is None or kind is None:
        return None, problems
    return (
        EventDraft(
            title=cells["title"],
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            place=cells["place"],
            capacity=capacity,
            audience=cells.get("audience", ""),
            program=cells.get("program") or None,
            description=cells.get("description", ""),
            reminders=reminders,
            report_label=cells.get("report_label") or None,
            report_title=cells.get("report_title") or None,
            partner=cells.get("partner") or None,
            report_note=cells.get("report_note") or None,
            row=row,
            repeat=repeat,
        ),
        [],
    )


def _repeat_cells(
    cells: dict[str, str], starts_at: datetime | None, tz: ZoneInfo, problem: Any
) -> Repeat | None:
    """The series ``repeat_weeks`` or ``repeat_until`` asks for (not both), checked against
    the start: two to 52 weeks, each start a time that exists."""
    weeks, until = cells.get("repeat_weeks", ""), cells.get("repeat_until", "")
    if weeks and until:
        problem("repeat_both", "repeat_until")
        return None
    column, value = ("repeat_weeks", weeks) if weeks else ("repeat_until", until)
    if not value:
        return None
    try:
        if weeks:
            repeat = Repeat(times=series.parse_times(weeks))
        else:
            repeat = Repeat(until=series.parse_until(until))
        if starts_at is not None:
            series.starts(starts_at, repeat, tz)
    except SeriesError as exc:
        days = {k: v.strftime("%d.%m.%Y") for k, v in exc.params.items() if hasattr(v, "strftime")}
        codes = {"until_soon": "repeat_soon", "until_far": "repeat_far", "time_gap": "repeat_gap"}
        problem(codes.get(exc.code, column), column, value=value, **days)
        return None
    return repeat


def _datetime_cell(
    cells: dict[str, str], column: str, tz: ZoneInfo, problem: Any
) -> datetime | None:
    raw = cells.get(column, "")
    if not raw:
        return None
    try:
        return parse_local_datetime(raw, tz)
    except ValueError as exc:
        code = "time_gap" if str(exc) == "gap" else "datetime"
        problem(code, column, value=raw)
        return None
