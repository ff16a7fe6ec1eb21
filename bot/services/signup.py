"""The first registration: name, category, phone, consent; then one tap forever after."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import DomainError, RegistrationClosedError
from bot.domain.profile import clean_full_name, clean_phone
from bot.domain.rules import closed_reason
from bot.domain.signup import Step, next_step
from bot.services import catalog, dialogs
from bot.services import series as series_service
from bot.services.catalog import EventView
from bot.services.dialogs import SignUp, SignUpAnswers
from bot.services.registration import Outcome, register, visible_event
from bot.services.series import SeriesOutcome
from storage import people
from storage.models import Event, Person


class StaleAnswerError(DomainError):
    """An answer to a question that is no longer being asked (an old button)."""


@dataclass(frozen=True)
class Declined:
    """The person declined the processing of their data; nothing was registered."""


@dataclass(frozen=True)
class Ask:
    """The next question to put to the person."""

    step: Step
    event_id: int
    person: Person


@dataclass(frozen=True)
class SeriesDone:
    """The questions are answered and «Sign up for all» went through each week."""

    outcomes: list[SeriesOutcome]


@dataclass(frozen=True)
class Unavailable:
    """The questions are answered, but the event can no longer be joined."""

    error: DomainError


async def begin(
    session: AsyncSession,
    *,
    telegram_id: int,
    event_id: int,
    default_reminders: Sequence[timedelta],
    now: datetime,
    person_id: int | None = None,
    series: bool = False,
    in_dialog: bool = True,
) -> Ask | Outcome | SeriesDone | Unavailable:
    """Register at once if the profile is complete, otherwise start asking.

    ``person_id``, when the caller has looked the person up already, saves a look-up;
    ``series``: register for every week of the event's series from it on (raises
    EventNotFoundError for an event on its own); ``in_dialog`` False, when the caller
    knows no question is open for the person, saves closing one."""
    # Someone known is held first (see people.get): a /forget in another process either
    # went before, and they are a newcomer now, or waits until this registration is made.
    known = await _known(session, telegram_id, person_id, lock=True)
    if series:
        event = await series_service.series_event(session, event_id)
    else:
        # Locked now, as the registration needs it: read once for both.
        event = await visible_event(session, event_id, lock=True)
    # Asking a newcomer for their name only to refuse them afterwards would be cruel.
    if reason := closed_reason(event.status, event.starts_at, now):
        raise RegistrationClosedError(reason)
    person = known or await people.ensure(session, telegram_id, now=now)
    return await _advance(
        session,
        person,
        SignUpAnswers(event_id, series=series),
        default_reminders=default_reminders,
        now=now,
        event=None if series else event,
        in_dialog=in_dialog,
    )


async def tap(
    session: AsyncSession,
    *,
    telegram_id: int,
    person_id: int | None,
    event_id: int,
    default_reminders: Sequence[timedelta],
    now: datetime,
    in_dialog: bool = True,
) -> tuple[Ask | Outcome | SeriesDone | Unavailable, EventView | None]:
    """«Sign up» on an event's card: :func:`begin`, and the card as it is now when that
    registered the person (to redraw it without another transaction)."""
    result = await begin(
        session,
        telegram_id=telegram_id,
        event_id=event_id,
        default_reminders=default_reminders,
        now=now,
        person_id=person_id,
        in_dialog=in_dialog,
    )
    if not isinstance(result, Outcome):
        return result, None
    return result, await catalog.view_after(session, result, now=now)


async def current(session: AsyncSession, telegram_id: int, *, lock: bool = False) -> SignUp | None:
    """The question the person is being asked, if any (``lock``: see dialogs.signup)."""
    return await dialogs.signup(session, telegram_id, lock=lock)


async def answer(
    session: AsyncSession,
    *,
    telegram_id: int,
    step: Step,
    value: str | None,
    categories: Collection[str],
    default_reminders: Sequence[timedelta],
    now: datetime,
    person_id: int | None = None,
) -> Ask | Outcome | SeriesDone | Declined | Unavailable:
    """Apply the answer to ``step`` (None skips the phone) and go on (``person_id``: as
    for :func:`begin`).

    Raises InvalidInputError for an answer to ask again and StaleAnswerError when
    that question is not open (an old button).
    """
    # The person, then their question, held (see people.get): with several bot processes
    # an answer and a /forget take turns, and an answer never writes into a row /forget
    # has emptied (the question is gone then).
    person = await _person(session, telegram_id, person_id, now=now, lock=True)
    found = await current(session, telegram_id, lock=True)
    if found is None or found.step != step:
        raise StaleAnswerError(step)
    answers = found.answers
    # Someone who has not agreed yet: their answers wait in the dialog, not in their profile.
    profile = person.consent_at is not None
    if step == Step.NAME:
        name = clean_full_name(value or "")
        if profile:
            person.full_name = name
        else:
            answers = replace(answers, name=name)
    elif step == Step.CATEGORY:
        if value not in categories:
            raise StaleAnswerError(step)
        if profile:
            person.category = value
        else:
            answers = replace(answers, category=value)
    elif step == Step.PHONE:
        phone = clean_phone(value) if value is not None else None
        if profile:
            person.phone = phone or person.phone
        else:
            answers = replace(answers, phone=phone or answers.phone)
        answers = replace(answers, phone_done=True)
    elif step == Step.CONSENT:
        if value != "yes":
            # Without consent nothing of theirs is kept: the answers go with the dialog
            # (and a profile an older version filled before asking is emptied).
            await dialogs.close_signup(session, telegram_id)
            if not profile:
                person.full_name = person.phone = person.category = None
            return Declined()
        person.full_name = answers.name or person.full_name
        person.category = answers.category or person.category
        person.phone = answers.phone or person.phone
        person.consent_at = now
    return await _advance(session, person, answers, default_reminders=default_reminders, now=now)


async def _known(
    session: AsyncSession, telegram_id: int, person_id: int | None, *, lock: bool
) -> Person | None:
    """The row the caller looked up already (``person_id``: the session holds it, so no
    statement unless ``lock``), if it is still this Telegram account's."""
    person = await people.get(session, person_id, lock=lock) if person_id is not None else None
    return person if person is not None and person.telegram_id == telegram_id else None


async def _person(
    session: AsyncSession, telegram_id: int, person_id: int | None, *, now: datetime, lock: bool
) -> Person:
    """The person answering (:func:`_known`), else found or created by Telegram id."""
    known = await _known(session, telegram_id, person_id, lock=lock)
    return known or await people.ensure(session, telegram_id, now=now)


async def _advance(
    session: AsyncSession,
    person: Person,
    answers: SignUpAnswers,
    *,
    default_reminders: Sequence[timedelta],
    now: datetime,
    event: Event | None = None,
    in_dialog: bool = True,
) -> Ask | Outcome | SeriesDone | Unavailable:
    """The next question, or the registration once none is left (``event``: the event
    the answers are for, read and locked already; ``in_dialog`` False: no question is
    open to close)."""
    assert person.telegram_id is not None
    step = next_step(
        has_name=bool(person.full_name or answers.name),
        has_category=bool(person.category or answers.category),
        phone_done=bool(person.phone) or answers.phone_done or person.consent_at is not None,
        has_consent=person.consent_at is not None,
    )
    event_id = answers.event_id
    if step is None:
        if in_dialog:
            await dialogs.close_signup(session, person.telegram_id)
        try:
            if answers.series:
                event = await series_service.series_event(session, event_id)
                outcomes = await series_service.register_person(
                    session,
                    event,
                    person_id=person.id,
                    default_reminders=default_reminders,
                    now=now,
                )
                return SeriesDone(outcomes)
            return await register(
                session,
                event_id=event_id,
                person_id=person.id,
                default_reminders=default_reminders,
                now=now,
                event=event,
            )
        except DomainError as exc:
            # Keep the answers (they are committed); only this event is out of reach.
            return Unavailable(exc)
    await dialogs.ask_signup(session, person.telegram_id, SignUp(step, answers), now=now)
    return Ask(step, event_id, person)
