"""Marking who came (staff only): registrants one by one or all at once, walk-ins by category."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.domain.errors import DomainError
from bot.services import attendance
from handlers import keyboards, render
from handlers.common import Reply
from handlers.staff import staff_reply


async def cmd_attendance(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/attendance ID``."""
    if (reply := await staff_reply(update, context)) is None:
        return
    args = context.args or []
    if len(args) != 1 or not args[0].isdigit() or len(args[0]) > 9:
        await reply.send(render.attendance_usage(reply.tr))
        return
    await _show(reply, int(args[0]), page=0)


async def on_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if (reply := await staff_reply(update, context)) is None:
        return
    assert context.match is not None
    await _show(reply, int(context.match.group(1)), page=int(context.match.group(2)))


async def on_attended(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if (reply := await staff_reply(update, context)) is None:
        return
    assert context.match is not None
    event_id, person_id, page = (int(g) for g in context.match.groups())
    try:
        async with reply.deps.db.transaction() as session:
            await attendance.toggle(session, event_id=event_id, person_id=person_id)
    except DomainError as exc:
        await reply.refuse(render.error(reply.tr, exc))
        return
    await _show(reply, event_id, page=page)


async def on_everyone_came(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if (reply := await staff_reply(update, context)) is None:
        return
    assert context.match is not None
    event_id = int(context.match.group(1))
    try:
        async with reply.deps.db.transaction() as session:
            await attendance.everyone_came(session, event_id=event_id)
    except DomainError as exc:
        await reply.refuse(render.error(reply.tr, exc))
        return
    await _show(reply, event_id, page=0)


async def on_walk_in(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if (reply := await staff_reply(update, context)) is None:
        return
    assert context.match is not None
    event_id, category, sign = (
        int(context.match.group(1)),
        context.match.group(2),
        context.match.group(3),
    )
    if reply.deps.config.category(category) is None:
        await reply.refuse(render.not_available(reply.tr))
        return
    try:
        async with reply.deps.db.transaction() as session:
            await attendance.add_walk_ins(
                session, event_id=event_id, category=category, delta=1 if sign == "+" else -1
            )
    except DomainError as exc:
        await reply.refuse(render.error(reply.tr, exc))
        return
    await _show(reply, event_id, page=0)


async def _show(reply: Reply, event_id: int, *, page: int) -> None:
    d = reply.deps
    try:
        async with d.db.session() as session:
            sheet = await attendance.sheet(session, event_id=event_id)
    except DomainError as exc:
        await reply.refuse(render.error(reply.tr, exc))
        return
    await reply.show(
        render.attendance(d.config, reply.tr, sheet),
        keyboards.attendance(d.config, reply.tr, sheet, page),
    )
