"""The printable sign-in sheet (реєстраційний лист) of an event: what goes on it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import EventNotFoundError
from bot.domain.status import EventStatus
from bot.services.event_admin import EventCancelledError
from storage import sign_in
from storage.sign_in import SheetEvent, SheetPerson

__all__ = ["SheetEvent", "SheetPerson", "SignInSheet", "sheet"]


@dataclass(frozen=True)
class SignInSheet:
    event: SheetEvent
    people: list[SheetPerson]  # confirmed seats, in registration order


async def sheet(session: AsyncSession, *, event_id: int) -> SignInSheet:
    """The sheet's facts; a cancelled event has none to print (drafts print blank lines)."""
    event = await sign_in.sheet_event(session, event_id)
    if event is None:
        raise EventNotFoundError(event_id)
    if event.status == EventStatus.CANCELLED:
        raise EventCancelledError(event_id)
    return SignInSheet(event, await sign_in.seated(session, event_id))
