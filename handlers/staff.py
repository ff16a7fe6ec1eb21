"""Staff access, and staff commands: administrators come from the configuration, staff
members from the ``staff_member`` table (added by administrators in Telegram)."""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update
from telegram.ext import ContextTypes

from bot.domain.period import parse_period
from bot.exports.report_chart import report_chart
from bot.exports.report_text import report_csv, report_file_name, report_text
from bot.exports.report_xlsx import report_xlsx
from bot.services import report
from handlers import render
from handlers.common import Reply, reply_for, today
from storage import staff as staff_storage

MESSAGE_LIMIT = 4000  # under Telegram's 4096, with room for markup


def is_admin(reply: Reply) -> bool:
    return reply.user.id in reply.deps.config.staff.admins


async def is_staff(reply: Reply) -> bool:
    if is_admin(reply):
        return True
    async with reply.deps.db.session() as session:
        return await staff_storage.is_member(session, reply.user.id)


async def staff_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Reply | None:
    """The reply for a staff member; anyone else is refused (forged buttons included)."""
    reply = await reply_for(update, context)
    if await is_staff(reply):
        return reply
    await reply.refuse(render.staff_only(reply.tr))
    return None


async def admin_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Reply | None:
    """The reply for an administrator (``staff.admins``); anyone else is refused."""
    reply = await reply_for(update, context)
    if is_admin(reply):
        return reply
    await reply.refuse(reply.tr.gettext("This is for the library's administrators."))
    return None


async def cmd_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/report``, ``/report 2026``, ``/report 2026-03``, ``/report FROM TO [project]``."""
    if (reply := await staff_reply(update, context)) is None:
        return
    d = reply.deps
    try:
        period = parse_period(
            " ".join(context.args or []), tz=d.config.library.timezone, today=today(d)
        )
    except ValueError:
        await reply.send(render.report_usage(reply.tr))
        return
    async with d.db.session() as session:
        result = await report.build(
            session, start=period.start, end=period.end, program=period.program
        )
    for part in split_message(report_text(d.config, reply.tr, result, html=True)):
        await reply.send(part)
    # Drawing and zipping take a moment for a long year: off the event loop.
    chart = await asyncio.to_thread(report_chart, d.config, reply.tr, result)
    workbook = await asyncio.to_thread(report_xlsx, d.config, reply.tr, result)
    await context.bot.send_photo(
        reply.chat_id, InputFile(chart, filename=report_file_name(d.config, result, "png"))
    )
    for data, extension in ((workbook, "xlsx"), (report_csv(d.config, reply.tr, result), "csv")):
        name = report_file_name(d.config, result, extension)
        await context.bot.send_document(reply.chat_id, InputFile(data, filename=name, attach=True))


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Cut a long text at line ends into messages Telegram accepts (report lines are
    short: an event's title is at most 200 characters)."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        if current and len(current) + 1 + len(line) > limit:
            parts.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current.strip():
        parts.append(current)
    return parts
