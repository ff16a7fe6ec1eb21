"""Explanations of CSV import problems, for the terminal and for staff in Telegram."""

from __future__ import annotations

from bot.domain.event_import import COLUMNS, RowProblem
from bot.i18n import Translator


def describe(tr: Translator, problem: RowProblem) -> str:
    """``row 3, starts_at: cannot read "32.01.2026 10:00" ...`` in the reader's language."""
    p = problem.params
    texts = {
        "empty_file": tr.gettext("the file is empty"),
        "encoding": tr.gettext(
            "the file is not UTF-8; in Excel choose «Save as» → «CSV UTF-8 (comma delimited)»"
        ),
        "bad_header": tr.gettext(
            "the first line must name the columns: {columns} "
            "(missing: {missing}; unknown: {unknown})"
        ).format(
            columns=",".join(COLUMNS),
            missing=p.get("missing") or "—",
            unknown=p.get("unknown") or "—",
        ),
        "no_rows": tr.gettext("the file has no events"),
        "too_many_rows": tr.gettext("too many rows: at most {max} in one file").format(
            max=p.get("max")
        ),
        "unreadable": tr.gettext(
            "cannot read the line: a quote is not closed, or a cell is far too long"
        ),
        "extra_cells": tr.gettext("more cells than columns (a comma inside a value needs quotes)"),
        "missing_cells": tr.gettext("only {cells} cells for {columns} columns").format(
            cells=p.get("cells"), columns=p.get("columns")
        ),
        "in_past": tr.gettext("«{value}» has already passed").format(value=p.get("value")),
        "reminders": tr.gettext(
            "cannot read reminders «{value}»; write them like 24h,2h or 18h,30m"
        ).format(value=p.get("value")),
        "duplicate": tr.gettext("the same event is already there (number {id})").format(
            id=p.get("id")
        ),
        "required": tr.gettext("must not be empty"),
        "too_long": tr.gettext("too long: at most {max} characters").format(max=p.get("max")),
        "control_chars": tr.gettext("has invisible control characters; type the text again"),
        "unknown_kind": tr.gettext("unknown kind «{value}»; use one of: {known}").format(
            value=p.get("value"), known=p.get("known")
        ),
        "datetime": tr.gettext(
            "cannot read «{value}»; write it as 2026-03-15 14:00 or 15.03.2026 14:00"
        ).format(value=p.get("value")),
        "time_gap": tr.gettext(
            "«{value}» does not exist: the clocks are moved forward at that hour"
        ).format(value=p.get("value")),
        "ends_before_start": tr.gettext("the end must be after the start"),
        "unknown_program": tr.gettext(
            "no programme is called «{value}»; known: {known} "
            "(add a new one with /newprogram or «hromada-bot programs add»)"
        ).format(value=p.get("value"), known=p.get("known")),
        "place_other_branch": tr.gettext(
            "«{value}» is another branch's place; name one of your branch's places or "
            "write a place of your own"
        ).format(value=p.get("value")),
        "capacity": tr.gettext(
            "«{value}» is not a number of seats; leave it empty for no limit"
        ).format(value=p.get("value")),
        "repeat_both": tr.gettext(
            "give either repeat_weeks (how many weeks) or repeat_until (the last day), not both"
        ),
        "repeat_weeks": tr.gettext(
            "«{value}» is not a number of weeks; write a number from 2 to 52"
        ).format(value=p.get("value")),
        "repeat_until": tr.gettext(
            "cannot read the last day «{value}»; write it as 2026-05-01 or 01.05.2026"
        ).format(value=p.get("value")),
        "repeat_soon": tr.gettext(
            "the last day «{value}» leaves no second week; the earliest is {earliest}"
        ).format(value=p.get("value"), earliest=p.get("earliest")),
        "repeat_far": tr.gettext(
            "the last day «{value}» is more than 52 weeks ahead; the latest is {latest}"
        ).format(value=p.get("value"), latest=p.get("latest")),
        "repeat_gap": tr.gettext(
            "on {day} the clocks jump over the start time; choose another time"
        ).format(day=p.get("day")),
    }
    text = texts.get(problem.code, problem.code)
    where = tr.gettext("row {row}").format(row=problem.row)
    if problem.column:
        where += f", {problem.column}"
    return f"{where}: {text}"
