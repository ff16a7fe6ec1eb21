"""The staff's event forms as use cases: ``/newevent`` one question at a time, and editing
one field of an event. The answers live in the staff member's open question (see
``bot/services/dialogs.py``) until the event is stored."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Config
from bot.domain import event_form, event_import
from bot.domain.event_form import DONE, FormStep
from bot.services import dialogs, event_admin, places, programs
from bot.services.dialogs import Edit, Flow, NewEvent, Offered
from bot.services.event_admin import Changes, Updated
from storage.models import Event

Question = TypeVar("Question", NewEvent, Edit)


async def ask(
    session: AsyncSession, telegram_id: int, question: Question, *, now: datetime
) -> Question:
    """Store the question about to be asked; returns it with what it offers (the
    programmes, for the programme question)."""
    step = question.step if isinstance(question, NewEvent) else question.field
    offered: tuple[Offered, ...] = ()
    if step == FormStep.PROG:
        offered = tuple(Offered(i, n) for i, n in (await programs.names(session)).items())
    else:
        question = replace(question, new_program=None)
    question = replace(question, programs=offered)
    await dialogs.ask_staff(session, telegram_id, question, now=now)
    return question


async def create_typed_program(
    session: AsyncSession, telegram_id: int, *, now: datetime
) -> int | None:
    """Create the programme whose unknown name was typed under the programme question
    (the «➕ Create» button); its id, or None when no such name waits. A programme of
    that name made meanwhile (another librarian) is taken instead of a second one."""
    found = await dialogs.staff_input(session, telegram_id)
    if not isinstance(found, NewEvent | Edit) or found.new_program is None:
        return None
    existing = await programs.find(session, found.new_program)
    if existing is not None:
        return existing.id
    return (await programs.create(session, name=found.new_program, now=now)).id


async def create(
    session: AsyncSession,
    telegram_id: int,
    *,
    publish: bool,
    tz: ZoneInfo,
    now: datetime,
    config: Config | None = None,
    staff_branch: str | None = None,
) -> list[Event] | None:
    """Store the previewed event (every occurrence of a weekly one) and close the form;
    None when no preview is open (a second tap finds nothing). Raises InvalidInputError
    when its start has passed meanwhile.

    With ``config``, a place named as one of its ``[[places]]`` is that place, and the
    event belongs to its branch; a one-off place, to ``staff_branch`` (the creator's)."""
    found = await dialogs.staff_input(session, telegram_id)
    if not isinstance(found, NewEvent) or found.step != DONE:
        return None
    draft = event_form.draft(found.answers, tz)
    if config is not None:
        chosen = places.choose(config, draft.place, staff_branch=staff_branch)
        draft = replace(
            draft,
            place=chosen.place,
            place_key=chosen.place_key,
            branch_key=chosen.branch_key,
        )
    if draft.repeat is None:
        created = [await event_admin.create_event(session, draft, publish=publish, now=now)]
    else:
        drafts = event_import.occurrences(draft, tz)
        created = await event_admin.create_series(session, drafts, publish=publish, now=now)
    await dialogs.close_staff(session, telegram_id)
    return created


async def discard(session: AsyncSession, telegram_id: int) -> bool:
    """Drop the half-filled new event; False when there was none."""
    found = await dialogs.staff_input(session, telegram_id)
    if found is None or found.flow != Flow.NEW_EVENT:
        return False
    await dialogs.close_staff(session, telegram_id)
    return True


async def start_edit(
    session: AsyncSession, telegram_id: int, event_id: int, field: FormStep, *, now: datetime
) -> Edit | None:
    """Ask for a field's new value; None when a half-filled /newevent or /newprogram is
    open (one open question per person: it is not thrown away silently)."""
    found = await dialogs.staff_input(session, telegram_id)
    if found is not None and found.flow in (Flow.NEW_EVENT, Flow.NEW_PROGRAM):
        return None
    return await ask(session, telegram_id, Edit(event_id, field), now=now)


async def close_edit(session: AsyncSession, telegram_id: int, event_id: int) -> bool:
    """Drop the question about this event's field; False when none is open."""
    found = await dialogs.staff_input(session, telegram_id)
    if not isinstance(found, Edit) or found.event_id != event_id:
        return False
    await dialogs.close_staff(session, telegram_id)
    return True


async def apply_edit(
    session: AsyncSession,
    telegram_id: int,
    event_id: int,
    changes: Callable[[Event], Changes],
    *,
    default_reminders: Sequence[timedelta],
    now: datetime,
) -> tuple[Event, Updated]:
    """Change the event (``changes`` is given the event as it was) and close the question.

    Returns a copy of the event before the change, and the result."""
    event = await event_admin.get_event(session, event_id, lock=True)
    before = _snapshot(event)
    result = await event_admin.update_event(
        session, event_id, changes(event), default_reminders=default_reminders, now=now
    )
    await dialogs.close_staff(session, telegram_id)
    return before, result


def _snapshot(event: Event) -> Event:
    """A detached copy: the row itself is changed by the update."""
    copy = Event()
    for column in Event.__table__.columns:
        setattr(copy, column.key, getattr(event, column.key))
    return copy
