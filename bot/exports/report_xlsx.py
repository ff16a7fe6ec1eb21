"""The report as an XLSX workbook: events, attendance by category, totals; no personal data."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.config import Config
from bot.exports.report_text import branch_heading, branch_label, in_config_order, period_label
from bot.exports.spreadsheet import set_text
from bot.i18n import Translator
from bot.services.places import where
from bot.services.report import Figures, Report

Value = str | int | float | date | None
DATE_FORMAT = "DD.MM.YYYY"
BOLD = Font(bold=True)
MIN_WIDTH, MAX_WIDTH = 8, 60


def report_xlsx(config: Config, tr: Translator, report: Report) -> bytes:
    """Three sheets: one row per event held; attendances per event and category; totals
    by event kind and by category; then, if there are any, the per-branch table, the
    events planned and the answers after events. Headers in the reader's language."""
    book = Workbook()
    events = book.active
    assert isinstance(events, Worksheet)
    events.title = tr.gettext("Events")
    _events_sheet(events, config, tr, report)
    _attendance_sheet(book.create_sheet(tr.gettext("Attendance")), config, tr, report)
    _totals_sheet(book.create_sheet(tr.gettext("Totals")), config, tr, report)
    if report.branches:
        _branches_sheet(book.create_sheet(tr.gettext("Branches")), config, tr, report)
    if report.planned:
        _planned_sheet(book.create_sheet(tr.gettext("Planned")), config, tr, report)
    if report.feedback:
        _feedback_sheet(book.create_sheet(tr.gettext("Feedback")), config, tr, report)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _events_sheet(sheet: Worksheet, config: Config, tr: Translator, report: Report) -> None:
    lang, tz = tr.language, config.library.timezone
    kinds = {kind.key: kind.name(lang) for kind in config.event_kinds}
    _header(
        sheet,
        1,
        [
            tr.gettext("Date"),
            tr.gettext("Event"),
            tr.gettext("Kind"),
            tr.gettext("Project"),
            tr.gettext("Place"),
            tr.gettext("Registered"),
            tr.gettext("Came"),
            tr.gettext("Walk-ins"),
            tr.gettext("Attended in total"),
            tr.gettext("Attendance marked"),
        ]
        # Only a period with answers to the question after events has these columns.
        + ([tr.gettext("Answered"), tr.gettext("Average rating")] if report.feedback else [])
        + ([tr.gettext("Branch")] if report.branches else []),
    )
    for row, event in enumerate(report.events, start=2):
        marked = event.marked
        answers = report.feedback.get(event.event_id)
        values: list[Value] = [
            event.starts_at.astimezone(tz).date(),
            event.title,
            kinds.get(event.kind, event.kind),
            event.program_name,
            where(config, event, lang).name,
            event.registered,
            event.came if marked else None,
            event.walk_ins if marked else None,
            event.attended if marked else None,
            tr.gettext("yes") if marked else tr.gettext("no"),
        ]
        if report.feedback:
            values += _rating(answers)
        if report.branches:
            values.append(branch_label(config, tr, event.branch_key))
        _row(sheet, row, values)
    _finish(sheet)


def _rating(figures: Figures | None) -> list[Value]:
    if figures is None or figures.average is None:
        return [0, None]
    return [figures.answered, round(figures.average, 1)]


def _feedback_sheet(sheet: Worksheet, config: Config, tr: Translator, report: Report) -> None:
    """What people wrote after events, with their rating, never with their name."""
    tz = config.library.timezone
    events = {event.event_id: event for event in report.events}
    overall = report.feedback_overall
    _header(
        sheet,
        1,
        [tr.gettext("Date"), tr.gettext("Event"), tr.gettext("Rating"), tr.gettext("Comment")],
    )
    row = 2
    for event_id, rating, comment in report.comments:
        event = events.get(event_id)
        if event is None:
            continue
        _row(sheet, row, [event.starts_at.astimezone(tz).date(), event.title, rating, comment])
        row += 1
    _row(sheet, row + 1, [tr.gettext("Answered in all"), None, overall.answered])
    _row(
        sheet,
        row + 2,
        [tr.gettext("Average rating"), None, round(overall.average or 0, 1) or None],
    )
    _bold_row(sheet, row + 1, 1)
    _bold_row(sheet, row + 2, 1)
    _finish(sheet)


def _attendance_sheet(sheet: Worksheet, config: Config, tr: Translator, report: Report) -> None:
    """Events down, categories across: counts only, so the sheet can be shared."""
    lang, tz = tr.language, config.library.timezone
    keys = in_config_order(
        [c.key for c in config.categories], {cat for _, cat in report.by_event_category}
    )
    labels = {c.key: c.label(lang) for c in config.categories}
    _header(
        sheet,
        1,
        [
            tr.gettext("Date"),
            tr.gettext("Event"),
            *(labels.get(key, key) for key in keys),
            tr.gettext("Total"),
        ],
    )
    for row, event in enumerate(report.events, start=2):
        counts: list[Value] = [None] * (len(keys) + 1)  # left empty while not marked
        if event.marked:
            counts = [report.by_event_category.get((event.event_id, key), 0) for key in keys]
            counts.append(event.attended)
        _row(sheet, row, [event.starts_at.astimezone(tz).date(), event.title, *counts])
    _finish(sheet)


def _totals_sheet(sheet: Worksheet, config: Config, tr: Translator, report: Report) -> None:
    lang = tr.language
    _row(sheet, 1, [period_label(config, tr, report)])
    sheet.cell(1, 1).font = BOLD
    row = 2
    if report.program:
        _row(sheet, row, [tr.gettext("Project: {program}").format(program=report.program.name)])
        row += 1
    if report.branch:
        _row(sheet, row, [branch_heading(config, tr, report)])
        row += 1

    row += 1
    first_table = row
    _header(
        sheet, row, [tr.gettext("Event kind"), tr.gettext("Events held"), tr.gettext("Attended")]
    )
    kinds = {kind.key: kind.name(lang) for kind in config.event_kinds}
    attended_by_kind: dict[str, int] = {}
    for (kind, _), n in report.by_kind_category.items():
        attended_by_kind[kind] = attended_by_kind.get(kind, 0) + n
    for key in in_config_order(list(kinds), set(report.by_kind)):
        if not report.by_kind.get(key):
            continue
        row += 1
        _row(
            sheet,
            row,
            [kinds.get(key, key), report.by_kind.get(key, 0), attended_by_kind.get(key, 0)],
        )
    row += 1
    _row(sheet, row, [tr.gettext("Total"), report.held, report.trained])
    _bold_row(sheet, row, 3)

    row += 2
    _header(sheet, row, [tr.gettext("Participant category"), tr.gettext("Attended")])
    labels = {c.key: c.label(lang) for c in config.categories}
    for key in in_config_order(list(labels), set(report.trained_by_category)):
        if n := report.trained_by_category.get(key, 0):
            row += 1
            _row(sheet, row, [labels.get(key, key), n])
    row += 1
    _row(sheet, row, [tr.gettext("Total"), report.trained])
    _bold_row(sheet, row, 2)
    row += 2
    _row(
        sheet,
        row,
        [tr.gettext("Registered residents who came, each counted once"), report.distinct_people],
    )
    _finish(sheet, first_row=first_table, freeze=False)


def _branches_sheet(sheet: Worksheet, config: Config, tr: Translator, report: Report) -> None:
    """One row per branch: events held (by kind, then in all) and attendances (by
    category, then in all), the columns the totals have; the last row is the totals,
    which the branches' rows sum to."""
    lang = tr.language
    kind_names = {kind.key: kind.name(lang) for kind in config.event_kinds}
    kinds = [
        k for k in in_config_order(list(kind_names), set(report.by_kind)) if report.by_kind.get(k)
    ]
    labels = {c.key: c.label(lang) for c in config.categories}
    categories = [
        c
        for c in in_config_order(list(labels), set(report.trained_by_category))
        if report.trained_by_category.get(c)
    ]
    _header(
        sheet,
        1,
        [
            tr.gettext("Branch"),
            *(kind_names.get(k, k) for k in kinds),
            tr.gettext("Events held"),
            *(labels.get(c, c) for c in categories),
            tr.gettext("Attended"),
        ],
    )
    row = 1
    for line in report.branches:
        row += 1
        _row(
            sheet,
            row,
            [
                branch_label(config, tr, line.key),
                *(line.by_kind.get(k, 0) for k in kinds),
                line.held,
                *(line.by_category.get(c, 0) for c in categories),
                line.trained,
            ],
        )
    row += 1
    _row(
        sheet,
        row,
        [
            tr.gettext("Total"),
            *(report.by_kind.get(k, 0) for k in kinds),
            report.held,
            *(report.trained_by_category.get(c, 0) for c in categories),
            report.trained,
        ],
    )
    _bold_row(sheet, row, len(kinds) + len(categories) + 3)
    _finish(sheet)


def _planned_sheet(sheet: Worksheet, config: Config, tr: Translator, report: Report) -> None:
    """Events of the period that have not started yet: not in the totals."""
    lang, tz = tr.language, config.library.timezone
    kinds = {kind.key: kind.name(lang) for kind in config.event_kinds}
    _header(
        sheet,
        1,
        [
            tr.gettext("Date"),
            tr.gettext("Event"),
            tr.gettext("Kind"),
            tr.gettext("Project"),
            tr.gettext("Place"),
            tr.gettext("Registered so far"),
        ],
    )
    for row, event in enumerate(report.planned, start=2):
        _row(
            sheet,
            row,
            [
                event.starts_at.astimezone(tz).date(),
                event.title,
                kinds.get(event.kind, event.kind),
                event.program_name,
                where(config, event, lang).name,
                event.registered,
            ],
        )
    _finish(sheet)


def _header(sheet: Worksheet, row: int, titles: Sequence[str]) -> None:
    _row(sheet, row, titles)
    _bold_row(sheet, row, len(titles))


def _bold_row(sheet: Worksheet, row: int, columns: int) -> None:
    for column in range(1, columns + 1):
        sheet.cell(row, column).font = BOLD


def _row(sheet: Worksheet, row: int, values: Sequence[Value]) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row, column)
        if isinstance(value, str):
            set_text(cell, value)
        else:
            cell.value = value
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT


def _finish(sheet: Worksheet, *, first_row: int = 1, freeze: bool = True) -> None:
    """Columns as wide as their longest value from ``first_row`` on (within limits); the
    header row stays put while scrolling."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=first_row):
        for cell in row:
            if cell.value is None:
                continue
            length = len(DATE_FORMAT) if isinstance(cell.value, date) else len(str(cell.value))
            widths[cell.column] = max(widths.get(cell.column, 0), length)
    for column, width in widths.items():
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    if freeze:
        sheet.freeze_panes = "A2"
