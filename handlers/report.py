"""``/report`` (staff only): the project report as text, with the chart, workbook, CSV and
the report document (DOCX). With branches configured, administrators and staff of the
whole library choose a branch (or all); a branch's staff get their branch's report."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from html import escape

from bot.domain.period import Period, parse_period
from bot.exports.report_text import report_csv, report_file_name, report_text
from bot.i18n import Translator
from bot.services import report
from handlers import callbacks, render
from handlers import report_views as views
from handlers.access import Access, refusal
from handlers.common import Reply, today

# What a Ukrainian-locale Excel expects in a CSV file that is double-clicked.
PEOPLES_CSV_DELIMITER = ";"


async def cmd_report(reply: Reply) -> None:
    """``/report``, ``/report 2026``, ``/report 2026-03``, ``/report FROM TO [programme]``."""
    d = reply.deps
    try:
        period = parse_period(" ".join(reply.args), tz=d.config.library.timezone, today=today(d))
    except ValueError:
        await reply.send(render.report_usage(reply.tr))
        return
    if d.config.branches and reply.branch is None:
        # Everyone's report or one branch's: asked with buttons that carry the period and
        # the programme (by id), so the answer needs nothing remembered.
        await _ask_branch(reply, period)
        return
    await _report(reply, period, program_name=period.program, branch=reply.branch)


async def _ask_branch(reply: Reply, period: Period) -> None:
    d = reply.deps
    program_id = None
    if period.program is not None:
        try:
            program_id = await reply.read(report.find_program, period.program)
        except report.UnknownProgramError as exc:
            await reply.send(unknown_program(reply.tr, exc))
            return
    tz = d.config.library.timezone
    first = period.start.astimezone(tz).date()
    last = (period.end - timedelta(seconds=1)).astimezone(tz).date()
    label = reply.tr.gettext("Report for {start} – {end}").format(
        start=reply.tr.date(period.start, tz),
        end=reply.tr.date(period.end - timedelta(seconds=1), tz),
    )
    await reply.send(
        views.branch_question(reply.tr, label),
        views.branch_buttons(d.config, reply.tr, first, last, program_id),
    )


@callbacks.REPORT_BRANCH.handles
async def on_branch(reply: Reply, choice: str, first: str, last: str, program_id: int) -> None:
    """A branch (or all) chosen for the report /report was given."""
    d = reply.deps
    branch = None if choice == views.ALL_BRANCHES else choice
    if reply.branch is not None and branch != reply.branch:
        # A branch's staff never get these buttons: another branch, or all, is forged.
        await reply.refuse(refusal(reply.tr, Access.STAFF))
        return
    if branch is not None and d.config.branch(branch) is None:
        await reply.refuse(render.not_available(reply.tr))  # a branch no longer configured
        return
    try:
        period = parse_period(
            f"{_day(first)} {_day(last)}", tz=d.config.library.timezone, today=today(d)
        )
    except ValueError:
        await reply.refuse(render.not_available(reply.tr))
        return
    await reply.clear_buttons()
    await _report(reply, period, program_id=program_id or None, branch=branch)


def _day(digits: str) -> str:
    """``20261231`` -> ``2026-12-31``."""
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"


async def _report(
    reply: Reply,
    period: Period,
    *,
    program_name: str | None = None,
    program_id: int | None = None,
    branch: str | None,
) -> None:
    # Drawing, workbook and document libraries are loaded on the first /report, not at
    # start-up.
    from bot.exports.report_chart import report_chart  # noqa: PLC0415
    from bot.exports.report_docx import TemplateError, report_docx  # noqa: PLC0415
    from bot.exports.report_xlsx import report_xlsx  # noqa: PLC0415

    d = reply.deps
    try:
        result = await reply.read(
            report.build,
            start=period.start,
            end=period.end,
            now=d.now(),
            program_id=program_id,
            program_name=program_name,
            branch=branch,
            branches=[b.key for b in d.config.branches],
        )
    except report.UnknownProgramError as exc:
        await reply.send(unknown_program(reply.tr, exc))
        return
    except report.UnknownBranchError:
        # A branch's staff member whose branch was taken out of the configuration.
        await reply.refuse(refusal(reply.tr, Access.STAFF))
        return
    for part in render.split_message(report_text(d.config, reply.tr, result, html=True)):
        await reply.send(part)
    # Drawing and zipping take a moment for a long year: off the event loop.
    chart = await asyncio.to_thread(report_chart, d.config, reply.tr, result)
    workbook = await asyncio.to_thread(report_xlsx, d.config, reply.tr, result)
    table = report_csv(d.config, reply.tr, result, delimiter=PEOPLES_CSV_DELIMITER)
    await reply.send_picture(chart, report_file_name(d.config, result, "png"))
    for data, extension in ((workbook, "xlsx"), (table, "csv")):
        await reply.send_file(data, report_file_name(d.config, result, extension))
    try:
        document = await asyncio.to_thread(
            report_docx, d.config, reply.tr, result, d.config.documents.report_template
        )
    except TemplateError as exc:
        await reply.send(
            reply.tr.gettext(
                "The report document was not made: {problem}. The text and the other files "
                "are above."
            ).format(problem=escape(str(exc)))
        )
        return
    await reply.send_file(document, report_file_name(d.config, result, "docx"))


def unknown_program(tr: Translator, exc: report.UnknownProgramError) -> str:
    if not exc.known:
        return tr.gettext(
            "There is no programme called «{name}»; no programmes have been created yet."
        ).format(name=escape(exc.name))
    return tr.gettext("There is no programme called «{name}». Known programmes: {known}.").format(
        name=escape(exc.name), known=", ".join(f"«{escape(n)}»" for n in exc.known)
    )
