"""The report as text, in the words of a grant report, in the reader's language."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

from bot.config import Config
from bot.domain.plural import count_phrase
from bot.exports.spreadsheet import csv_safe
from bot.i18n import Translator
from bot.services.report import EventLine, Report


def _lower_first(text: str) -> str:
    """ "Бібліотечні фахівці" -> "бібліотечні фахівці"; an acronym ("NGO activists",
    "ВПО") stays as it is."""
    if text[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def period_label(config: Config, tr: Translator, report: Report) -> str:
    """``Звіт за 01.01.2026 – 31.12.2026`` (the end is exclusive: its previous day)."""
    start, end = period_days(config, tr, report)
    return tr.gettext("Report for {start} – {end}").format(start=start, end=end)


def period_days(config: Config, tr: Translator, report: Report) -> tuple[str, str]:
    """The first and the last day of the period, as the reader writes dates."""
    tz = config.library.timezone
    return tr.date(report.start, tz), tr.date(_last_day(report, tz), tz)


def report_file_name(config: Config, report: Report, extension: str) -> str:
    """``report_2026-01-01_2026-12-31.xlsx``: the period in the name, ASCII only."""
    tz = config.library.timezone
    first = report.start.astimezone(tz).date().isoformat()
    last = _last_day(report, tz).date().isoformat()
    return f"report_{first}_{last}.{extension}"


def _last_day(report: Report, tz: ZoneInfo) -> datetime:
    return (report.end - timedelta(seconds=1)).astimezone(tz)


def in_config_order(configured: Sequence[str], present: Iterable[str]) -> list[str]:
    """Configured keys first, in their order, then keys no longer configured, sorted."""
    return [*configured, *sorted(set(present) - set(configured))]


def totals_sentence(config: Config, tr: Translator, report: Report, *, html: bool = False) -> str:
    """ "Проведено 11 заходів: 7 тренінгів, … Навчання пройшли 93 особи, серед яких: …"."""
    e = escape if html else str
    lang = tr.language
    known = {kind.key for kind in config.event_kinds}
    kinds = [
        e(count_phrase(n, kind.counted[lang], lang))
        for kind in config.event_kinds
        if (n := report.by_kind.get(kind.key))
    ]
    kinds += [f"{n} {e(key)}" for key, n in sorted(report.by_kind.items()) if key not in known]
    held = tr.ngettext("{n} event was held", "{n} events were held", report.held)
    summary = held.format(n=report.held) + ": " + ", ".join(kinds) + "."

    trained = tr.ngettext("{n} person was trained", "{n} people were trained", report.trained)
    summary += " " + trained.format(n=report.trained)
    labels = {
        c.key: e(_lower_first(c.label(lang))) for c in config.categories
    }  # configured text, escaped too
    categories = [
        f"{labels.get(key, e(key))} — {n}"
        for key in [*labels, *sorted(set(report.trained_by_category) - set(labels))]
        if (n := report.trained_by_category.get(key))
    ]
    summary += (
        (", " + tr.gettext("among them:") + " " + ", ".join(categories) + ".")
        if categories
        else "."
    )
    return summary


def planned_heading(tr: Translator, report: Report) -> str:
    """ "Заплановано (ще не відбулися, у підсумки не входять): 2 заходи"."""
    n = len(report.planned)
    return tr.ngettext(
        "Planned (not held yet, not in the totals): {n} event",
        "Planned (not held yet, not in the totals): {n} events",
        n,
    ).format(n=n)


def registered_so_far(tr: Translator, event: EventLine) -> str:
    return tr.gettext("registered so far {n}").format(n=event.registered)


def rated(tr: Translator, answered: int, average: float) -> str:
    """«5 відповідей, середня оцінка 4,6 з 5» (the decimal mark of the language)."""
    return tr.ngettext(
        "{n} answer, average rating {average} of 5",
        "{n} answers, average rating {average} of 5",
        answered,
    ).format(n=answered, average=format_decimal(average, format="0.0", locale=tr.language))


def report_text(config: Config, tr: Translator, report: Report, *, html: bool = False) -> str:
    """ "Проведено 11 заходів: 7 тренінгів, … Навчання пройшли 93 особи, серед яких: …",
    then one line per event held, then the planned ones apart. ``html`` escapes values
    for a Telegram message."""
    e = escape if html else str
    tz = config.library.timezone
    lines = [period_label(config, tr, report)]
    if report.program:
        lines.append(tr.gettext("Project: {program}").format(program=e(report.program.name)))
    lines.append("")
    if not report.held:
        lines.append(tr.gettext("No events were held in this period."))
    else:
        lines.append(totals_sentence(config, tr, report, html=html))
        lines.append(
            tr.gettext("Registered residents who came, each counted once: {n}.").format(
                n=report.distinct_people
            )
        )
        overall = report.feedback_overall
        if overall.average is not None:
            lines.append(
                tr.gettext("Answers to the question after events: {rated}.").format(
                    rated=rated(tr, overall.answered, overall.average)
                )
            )
        lines.append("")
        for event in report.events:
            day = tr.date(event.starts_at, tz)
            if event.marked:
                detail = tr.gettext("registered {registered}, came {came}, walk-ins {walk_ins}")
            else:
                detail = tr.gettext("registered {registered}, attendance not marked")
            detail = detail.format(
                registered=event.registered, came=event.came, walk_ins=event.walk_ins
            )
            answers = report.feedback.get(event.event_id)
            if answers is not None and answers.average is not None:
                detail += ", " + rated(tr, answers.answered, answers.average)
            lines.append(f"{day} — {e(event.title)}: {detail}")
    if report.planned:
        lines += ["", planned_heading(tr, report)]
        lines += [
            f"{tr.date(event.starts_at, tz)} — {e(event.title)}: {registered_so_far(tr, event)}"
            for event in report.planned
        ]
    return "\n".join(lines)


def report_csv(config: Config, tr: Translator, report: Report, *, delimiter: str = ",") -> bytes:
    """One row per event, held then planned, for a spreadsheet; UTF-8 with a BOM so Excel
    reads Cyrillic. ``;`` for a file a person double-clicks in a Ukrainian-locale Excel,
    ``,`` for programs."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(
        [
            tr.gettext("Date"),
            tr.gettext("Event"),
            tr.gettext("Kind"),
            tr.gettext("Registered"),
            tr.gettext("Came"),
            tr.gettext("Walk-ins"),
            tr.gettext("Attendance marked"),
            tr.gettext("Status"),
        ]
    )
    tz, lang = config.library.timezone, tr.language
    names = {kind.key: kind.name(lang) for kind in config.event_kinds}
    for event in report.events:
        writer.writerow(
            [
                tr.date(event.starts_at, tz),
                csv_safe(event.title),
                names.get(event.kind, event.kind),
                event.registered,
                event.came if event.marked else "",
                event.walk_ins if event.marked else "",
                tr.gettext("yes") if event.marked else tr.gettext("no"),
                tr.gettext("held"),
            ]
        )
    for event in report.planned:
        writer.writerow(
            [
                tr.date(event.starts_at, tz),
                csv_safe(event.title),
                names.get(event.kind, event.kind),
                event.registered,
                "",
                "",
                tr.gettext("no"),
                tr.gettext("planned"),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
