"""Open questions of staff flows (``/newevent``, editing a field), kept in the database so
a restart or a second process goes on from the same question.

The row's state is ``"<flow>:<step>"``; this module is the only one that reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage import staff as staff_storage


class Flow(StrEnum):
    NEW_EVENT = "ne"
    EDIT = "ed"


@dataclass(frozen=True)
class StaffInput:
    """The question a staff member was asked last, and the answers so far."""

    flow: Flow | None  # None: a flow of an older version of the bot
    step: str
    data: dict[str, Any]


def _decode(found: tuple[str, dict[str, Any]] | None) -> StaffInput | None:
    if found is None:
        return None
    prefix, _, step = found[0].partition(":")
    flow = Flow(prefix) if prefix in Flow.__members__.values() else None
    return StaffInput(flow, step, found[1])


async def staff_input(session: AsyncSession, telegram_id: int) -> StaffInput | None:
    """The staff member's open question, whatever was asked after it."""
    return _decode(await staff_storage.get_input(session, telegram_id))


async def input_for_text(session: AsyncSession, telegram_id: int) -> StaffInput | None:
    """The staff question typed text answers: none while a resident sign-up question was
    asked after it (a librarian who signs up in the middle of a draft answers that first)."""
    return _decode(await staff_storage.open_input(session, telegram_id))


async def ask_staff(
    session: AsyncSession,
    telegram_id: int,
    flow: Flow,
    step: str,
    data: dict[str, Any],
    *,
    now: datetime,
) -> None:
    """Remember the question just asked (it replaces any other)."""
    await staff_storage.put_input(session, telegram_id, f"{flow}:{step}", data, now=now)


async def close_staff(session: AsyncSession, telegram_id: int) -> StaffInput | None:
    """Drop the open question; returns what it was."""
    found = await staff_input(session, telegram_id)
    await staff_storage.clear_input(session, telegram_id)
    return found
