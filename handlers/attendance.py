"""Marking who came (staff only): registrants one by one or all at once, walk-ins by category."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.services import attendance
from handlers import callbacks, keyboards, render
from handlers.common import Reply

# ASCII digits only: str.isdigit() also takes "²" and "١", which int() then refuses or reads.
_EVENT_ID = re.compile(r"[0-9]{1,9}")


def event_id_argument(args: Sequence[str]) -> int | None:
    """The event's number in ``/attendance ID``; None for anything else."""
    if len(args) != 1 or not _EVENT_ID.fullmatch(args[0]):
        return None
    return int(args[0])


async def cmd_attendance(reply: Reply) -> None:
    """``/attendance ID``."""
    event_id = event_id_argument(reply.args)
    if event_id is None:
        await reply.send(render.attendance_usage(reply.tr))
        return
    await reply.check_branch(event_id)
    await show(reply, event_id, 0)


@callbacks.ATTENDANCE_PAGE.handles
async def show(reply: Reply, event_id: int, page: int) -> None:
    d = reply.deps
    sheet = await reply.read(attendance.sheet, event_id=event_id)
    await reply.show(
        render.attendance(d.config, reply.tr, sheet),
        keyboards.attendance(d.config, reply.tr, sheet, page),
    )


@callbacks.ATTENDED.handles
async def on_attended(reply: Reply, event_id: int, person_id: int, page: int) -> None:
    await reply.write(attendance.toggle, event_id=event_id, person_id=person_id)
    await show(reply, event_id, page)


@callbacks.EVERYONE_CAME.handles
async def on_everyone_came(reply: Reply, event_id: int) -> None:
    await reply.write(attendance.everyone_came, event_id=event_id)
    await show(reply, event_id, 0)


@callbacks.WALK_IN.handles
async def on_walk_in(reply: Reply, event_id: int, category: str, sign: str) -> None:
    if reply.deps.config.category(category) is None:
        await reply.refuse(render.not_available(reply.tr))
        return
    await reply.write(
        attendance.add_walk_ins,
        event_id=event_id,
        category=category,
        delta=1 if sign == "+" else -1,
    )
    await show(reply, event_id, 0)
