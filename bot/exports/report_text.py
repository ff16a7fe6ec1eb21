"""The report as text, in the words of a grant report, in the reader's language."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from bot.config import Config
from bot.domain.plural import count_phrase
from bot.exports.spreadsheet import csv_safe
from bot.i18n import Translator
from bot.services.report import BranchFigures, EventLine, Report


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
    """``report_2026-01-01_2026-12-31.xlsx``: the period in the name, ASCII only; a
    report of one branch ends with its key (``…_2026-12-31_verbivka.xlsx``)."""
    tz = config.library.timezone
    first = report.start.astimezone(tz).date().isoformat()
    last = _last_day(report, tz).date().isoformat()
    branch = f"_{report.branch}" if report.branch else ""
    return f"report_{first}_{last}{branch}.{extension}"


def branch_label(config: Config, tr: Translator, key: str | None) -> str:
    """A branch's name in the reader's language; «Бібліотека загалом» for events of no
    branch; the key of a branch no longer configured."""
    if key is None:
        return tr.gettext("Library-wide")
    branch = config.branch(key)
    return branch.name(tr.language) if branch else key


def branch_heading(config: Config, tr: Translator, report: Report) -> str:
    """«Філія: Вербівська сільська бібліотека» for a report of one branch, else ""."""
    if report.branch is None:
        return ""
    return tr.gettext("Branch: {branch}").format(branch=branch_label(config, tr, report.branch))


def _last_day(report: Report, tz: ZoneInfo) -> datetime:
    return (report.end - timedelta(seconds=1)).astimezone(tz)


def in_config_order(configured: Sequence[str], present: Iterable[str]) -> list[str]:
    """Configured keys first, in their order, then keys no longer configured, sorted."""
    return [*configured, *sorted(set(present) - set(configured))]


def totals_sentence(config: Config, tr: Translator, report: Report, *, html: bool = False) -> str:
    """ "Проведено 11 заходів: 7 тренінгів, … Навчання пройшли 93 особи, серед яких: …"."""
    e = escape if html else str
    held = tr.ngettext("{n} event was held", "{n} events were held", report.held)
    summary = held.format(n=report.held) + ": " + _kinds(config, tr, report.by_kind, e) + "."

    trained = tr.ngettext("{n} person was trained", "{n} people were trained", report.trained)
    summary += " " + trained.format(n=report.trained)
    categories = _categories(config, tr, report.trained_by_category, e)
    summary += (", " + tr.gettext("among them:") + " " + categories + ".") if categories else "."
    return summary


def _kinds(config: Config, tr: Translator, by_kind: dict[str, int], e: Callable[[str], str]) -> str:
    """ "7 тренінгів, 2 семінари": kinds in the configuration's order, zeros left out."""
    lang = tr.language
    known = {kind.key for kind in config.event_kinds}
    kinds = [
        e(count_phrase(n, kind.counted[lang], lang))
        for kind in config.event_kinds
        if (n := by_kind.get(kind.key))
    ]
    kinds += [f"{n} {e(key)}" for key, n in sorted(by_kind.items()) if key not in known]
    return ", ".join(kinds)


def _categories(
    config: Config, tr: Translator, by_category: dict[str, int], e: Callable[[str], str]
) -> str:
    """ "бібліотечні фахівці — 24, …": categories in the configuration's order, zeros left
    out."""
    labels = {
        c.key: e(_lower_first(c.label(tr.language))) for c in config.categories
    }  # configured text, escaped too
    return ", ".join(
        f"{labels.get(key, e(key))} — {n}"
        for key in [*labels, *sorted(set(by_category) - set(labels))]
        if (n := by_category.get(key))
    )


def branches_heading(tr: Translator) -> str:
    return tr.gettext("By branch:")


def branch_sentence(
    config: Config, tr: Translator, row: BranchFigures, *, html: bool = False
) -> str:
    """ "Вербівська сільська бібліотека: проведено 3 заходи (2 тренінги, 1 семінар); навчання
    пройшли 25 осіб (бібліотечні фахівці — 10, …)."."""
    e = escape if html else str
    name = e(branch_label(config, tr, row.key))
    if not row.held:
        return tr.gettext("{branch}: no events were held.").format(branch=name)
    events = tr.ngettext("{n} event held", "{n} events held", row.held).format(n=row.held)
    people = tr.ngettext("{n} person trained", "{n} people trained", row.trained).format(
        n=row.trained
    )
    categories = _categories(config, tr, row.by_category, e)
    if categories:
        people += f" ({categories})"
    return f"{name}: {events} ({_kinds(config, tr, row.by_kind, e)}); {people}."


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
    ).format(n=answered, average=tr.decimal(average, 1))


def report_text(config: Config, tr: Translator, report: Report, *, html: bool = False) -> str:
    """ "Проведено 11 заходів: 7 тренінгів, … Навчання пройшли 93 особи, серед яких: …",
    then one line per event held, then the planned ones apart. ``html`` escapes values
    for a Telegram message."""
    e = escape if html else str
    tz = config.library.timezone
    lines = [period_label(config, tr, report)]
    if report.program:
        lines.append(tr.gettext("Project: {program}").format(program=e(report.program.name)))
    if report.branch:
        lines.append(e(branch_heading(config, tr, report)))
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
        if report.branches:
            lines += ["", branches_heading(tr)]
            lines += [branch_sentence(config, tr, row, html=html) for row in report.branches]
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
    ``,`` for programs. A report of all branches, when branches are configured, adds the
    events' branch as the last column (to total by branch in the spreadsheet)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    by_branch = bool(report.branches)
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
        + ([tr.gettext("Branch")] if by_branch else [])
    )
    tz, lang = config.library.timezone, tr.language
    names = {kind.key: kind.name(lang) for kind in config.event_kinds}

    def branch(event: EventLine) -> list[str]:
        return [csv_safe(branch_label(config, tr, event.branch_key))] if by_branch else []

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
                *branch(event),
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
                *branch(event),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
