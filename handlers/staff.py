"""Staff commands. For now the administrators named in the configuration are the staff."""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.ext import ContextTypes

from bot.domain.period import parse_period
from bot.report_text import report_csv, report_text
from bot.services import report
from handlers import render
from handlers.common import Reply, reply_for

MESSAGE_LIMIT = 4000  # under Telegram's 4096, with room for markup


def is_staff(reply: Reply) -> bool:
    return reply.user.id in reply.deps.config.staff.admins


async def cmd_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/report``, ``/report 2026``, ``/report 2026-03``, ``/report FROM TO [project]``."""
    reply = await reply_for(update, context)
    if not is_staff(reply):
        await reply.send(render.staff_only(reply.tr))
        return
    d = reply.deps
    tz = d.config.library.timezone
    try:
        period = parse_period(
            " ".join(context.args or []), tz=tz, today=d.now().astimezone(tz).date()
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
    await context.bot.send_document(
        reply.chat_id,
        InputFile(report_csv(d.config, reply.tr, result), filename="report.csv", attach=True),
    )


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
