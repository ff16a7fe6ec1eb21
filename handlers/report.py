"""``/report`` (staff only): the project report as text, with the chart, workbook and CSV."""

from __future__ import annotations

import asyncio

from bot.domain.period import parse_period
from bot.exports.report_text import report_csv, report_file_name, report_text
from bot.services import report
from handlers import render
from handlers.common import Reply, today


async def cmd_report(reply: Reply) -> None:
    """``/report``, ``/report 2026``, ``/report 2026-03``, ``/report FROM TO [project]``."""
    # Drawing and workbook libraries are loaded on the first /report, not at start-up.
    from bot.exports.report_chart import report_chart  # noqa: PLC0415
    from bot.exports.report_xlsx import report_xlsx  # noqa: PLC0415

    d = reply.deps
    try:
        period = parse_period(" ".join(reply.args), tz=d.config.library.timezone, today=today(d))
    except ValueError:
        await reply.send(render.report_usage(reply.tr))
        return
    result = await reply.read(
        report.build, start=period.start, end=period.end, program=period.program
    )
    for part in render.split_message(report_text(d.config, reply.tr, result, html=True)):
        await reply.send(part)
    # Drawing and zipping take a moment for a long year: off the event loop.
    chart = await asyncio.to_thread(report_chart, d.config, reply.tr, result)
    workbook = await asyncio.to_thread(report_xlsx, d.config, reply.tr, result)
    await reply.send_picture(chart, report_file_name(d.config, result, "png"))
    for data, extension in ((workbook, "xlsx"), (report_csv(d.config, reply.tr, result), "csv")):
        await reply.send_file(data, report_file_name(d.config, result, extension))
