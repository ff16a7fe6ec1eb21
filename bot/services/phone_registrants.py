"""Residents who phone instead of tapping: staff write them down for an event, and call them.

Their seat is taken exactly as a Telegram registration's (``registration.register``, one
conditional UPDATE), so capacity holds across both kinds of sign-up. They have no
Telegram id and get no messages; the event's call list tells staff whom to phone.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import DomainError, InvalidInputError, RegistrationClosedError
from bot.domain.profile import clean_full_name, clean_phone
from bot.domain.rules import closed_reason
from bot.domain.signup import Step
from bot.services import dialogs, people
from bot.services.dialogs import AddVisitor, Flow
from bot.services.registration import Cancellation, Outcome, Promotion, cancel, register
from bot.services.registration import visible_event as open_event
from storage import phone_registrants
from storage.models import Event, Person
from storage.phone_registrants import Caller

__all__ = ["Caller"]


class NotPhonedError(DomainError):
    """The person is not someone staff wrote down (or their data is deleted): staff may not
    cancel or delete a Telegram resident's registration here."""


class StaleVisitorAnswerError(DomainError):
    """An answer to a question of this flow that is not open (an old button)."""


@dataclass(frozen=True)
class Written:
    """The person is written down: a seat or a place in line (``outcome``; its ``already``
    says they had one before, and nothing was taken)."""

    name: str
    outcome: Outcome
    known: bool = False  # their phone was written down before: the same person, their name


@dataclass(frozen=True)
class Unavailable:
    """The answers are complete, but the event can no longer be joined."""

    error: DomainError


@dataclass(frozen=True)
class CallList:
    event: Event
    callers: list[Caller]


async def start(
    session: AsyncSession, *, telegram_id: int, event_id: int, now: datetime
) -> AddVisitor | None:
    """Ask for the name of a resident who phoned; None while a half-filled /newevent or
    /newprogram is open (one open question per person: a draft is not thrown away silently)."""
    event = await open_event(session, event_id)
    if reason := closed_reason(event.status, event.starts_at, now):
        raise RegistrationClosedError(reason)
    found = await dialogs.staff_input(session, telegram_id)
    if found is not None and found.flow in (Flow.NEW_EVENT, Flow.NEW_PROGRAM):
        return None
    question = AddVisitor(Step.NAME, event_id)
    await dialogs.ask_staff(session, telegram_id, question, now=now)
    return question


async def current(session: AsyncSession, telegram_id: int) -> AddVisitor | None:
    found = await dialogs.staff_input(session, telegram_id)
    return found if isinstance(found, AddVisitor) else None


async def answer(
    session: AsyncSession,
    *,
    telegram_id: int,
    event_id: int,
    step: Step,
    value: str | None,
    categories: Collection[str],
    default_reminders: Sequence[timedelta],
    now: datetime,
) -> AddVisitor | Written | Unavailable:
    """Apply the answer to ``step`` (None skips the phone): the next question, or the
    person written down with a seat or a place in line.

    Raises InvalidInputError for an answer to ask again (the same checks as a resident's
    own sign-up) and StaleVisitorAnswerError when that question is not open.
    """
    found = await current(session, telegram_id)
    if found is None or found.step != step or found.event_id != event_id:
        raise StaleVisitorAnswerError(step)
    if step == Step.NAME:
        question = replace(found, step=Step.CATEGORY, name=clean_full_name(value or ""))
    elif step == Step.CATEGORY:
        if value not in categories:
            raise StaleVisitorAnswerError(step)
        question = replace(found, step=Step.PHONE, category=value)
    else:
        phone = clean_phone(value) if value is not None else None
        return await _write_down(
            session, telegram_id, found, phone, default_reminders=default_reminders, now=now
        )
    await dialogs.ask_staff(session, telegram_id, question, now=now)
    return question


async def _write_down(
    session: AsyncSession,
    telegram_id: int,
    answers: AddVisitor,
    phone: str | None,
    *,
    default_reminders: Sequence[timedelta],
    now: datetime,
) -> Written | Unavailable:
    await dialogs.close_staff(session, telegram_id)
    if answers.name is None or answers.category is None:
        raise InvalidInputError("name_short")  # cannot happen: the steps go in order
    # Checked before the person is stored, with the event held: nobody is written down for
    # an event that began or was cancelled meanwhile.
    event = await open_event(session, answers.event_id, lock=True)
    if reason := closed_reason(event.status, event.starts_at, now):
        return Unavailable(RegistrationClosedError(reason))
    # Someone who phones again (for another event, or a second librarian writing down the
    # same call) is the same person: counted once in the report, one seat per event.
    person = None
    if phone is not None:
        await phone_registrants.hold_phone(session, phone)  # two staff at once: one person
        person = await phone_registrants.by_phone(session, phone)
    known = person is not None
    if person is None:
        person = await phone_registrants.add_person(
            session,
            name=answers.name,
            category=answers.category,
            phone=phone,
            added_by=telegram_id,
            now=now,
        )
    elif not person.full_name:
        person.full_name = answers.name
    outcome = await register(
        session,
        event_id=answers.event_id,
        person_id=person.id,
        default_reminders=default_reminders,
        now=now,
    )
    return Written(person.full_name or answers.name, outcome, known=known)


async def stop(session: AsyncSession, telegram_id: int, event_id: int) -> bool:
    """Drop the question about a resident who phoned; False when none is open."""
    found = await current(session, telegram_id)
    if found is None or found.event_id != event_id:
        return False
    await dialogs.close_staff(session, telegram_id)
    return True


async def call_list(session: AsyncSession, *, event_id: int) -> CallList:
    """Who is registered for the event without Telegram, with their phones (staff only)."""
    event = await open_event(session, event_id)
    return CallList(event, await phone_registrants.callers(session, event_id))


async def caller(session: AsyncSession, *, event_id: int, person_id: int) -> tuple[Event, Caller]:
    """One person of the event's call list."""
    found = await call_list(session, event_id=event_id)
    for entry in found.callers:
        if entry.person_id == person_id:
            return found.event, entry
    raise NotPhonedError(person_id)


async def told(session: AsyncSession, *, event_id: int, person_id: int, now: datetime) -> bool:
    """Staff phoned someone promoted from the waiting list; False if nobody was to be told."""
    await _phoned(session, person_id)
    return await phone_registrants.mark_told(
        session, event_id=event_id, person_id=person_id, now=now
    )


async def cancel_registration(
    session: AsyncSession,
    *,
    event_id: int,
    person_id: int,
    default_reminders: Sequence[timedelta],
    now: datetime,
) -> Cancellation:
    """They phoned to say they will not come: the seat goes to the first in line, who is
    told in Telegram (or appears on the call list, without Telegram)."""
    await _phoned(session, person_id)
    return await cancel(
        session,
        event_id=event_id,
        person_id=person_id,
        default_reminders=default_reminders,
        now=now,
    )


async def forget(
    session: AsyncSession,
    *,
    person_id: int,
    default_reminders: Sequence[timedelta],
    now: datetime,
    event_id: int | None = None,
) -> list[Promotion]:
    """Delete the name and phone of someone staff wrote down, as /forget does for a
    resident: future registrations are cancelled (the waiting list moves up), past
    attendance stays without a name, so the report's figures do not change. With
    ``event_id`` (the call list it is asked from), only someone on that list
    (NotPhonedError otherwise): a button names an event its presser manages, not the
    person's."""
    if event_id is not None:
        await caller(session, event_id=event_id, person_id=person_id)
    person = await _phoned(session, person_id)
    return await people.erase(session, person, default_reminders=default_reminders, now=now)


async def _phoned(session: AsyncSession, person_id: int) -> Person:
    person = await phone_registrants.phoned_person(session, person_id)
    if person is None:
        raise NotPhonedError(person_id)
    return person
