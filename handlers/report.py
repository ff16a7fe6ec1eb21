"""``/report`` (staff only): the project report as text, with the chart, workbook, CSV and
the report document (DOCX)."""

from __future__ import annotations

import asyncio
from html import escape

from bot.domain.period import parse_period
from bot.exports.report_text import report_csv, report_file_name, report_text
from bot.i18n import Translator
from bot.services import report
from handlers import render
from handlers.common import Reply, today

# What a Ukrainian-locale Excel expects in a CSV file that is double-clicked.
PEOPLES_CSV_DELIMITER = ";"


async def cmd_report(reply: Reply) -> None:
    """``/report``, ``/report 2026``, ``/report 2026-03``, ``/report FROM TO [programme]``."""
    # Drawing, workbook and document libraries are loaded on the first /report, not at
    # start-up.
    from bot.exports.report_chart import report_chart  # noqa: PLC0415
    from bot.exports.report_docx import TemplateError, report_docx  # noqa: PLC0415
    from bot.exports.report_xlsx import report_xlsx  # noqa: PLC0415

    d = reply.deps
    try:
        period = parse_period(" ".join(reply.args), tz=d.config.library.timezone, today=today(d))
    except ValueError:
        await reply.send(render.report_usage(reply.tr))
        return
    try:
        result = await reply.read(
            report.build,
            start=period.start,
            end=period.end,
            now=d.now(),
            program_name=period.program,
        )
    except report.UnknownProgramError as exc:
        await reply.send(unknown_program(reply.tr, exc))
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
