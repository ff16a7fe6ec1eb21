"""Residents who phone, against a real database: seats through the same conditional update,
no messages for them, the call list, cancelling and deleting their data."""

from __future__ import annotations

import asyncio
import zlib
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from bot.domain.errors import InvalidInputError
from bot.domain.event_form import FormStep
from bot.domain.interests import Interests
from bot.domain.program_form import ProgramAnswers, ProgramStep
from bot.domain.signup import Step
from bot.domain.status import NotificationKind, RegistrationStatus
from bot.services import (
    announcements,
    attendance,
    dialogs,
    event_admin,
    phone_registrants,
    registration,
    report,
    staff_events,
)
from bot.services.dialogs import AddVisitor, NewEvent, NewProgram
from bot.services.event_admin import Changes
from bot.services.phone_registrants import NotPhonedError, StaleVisitorAnswerError, Written
from storage import subscriptions
from storage.database import Database
from storage.models import Notification, Person, Registration
from tests.conftest import REMINDERS
from tests.factories import LIBRARIAN, make_event, make_person

CONFIRMED = RegistrationStatus.CONFIRMED
WAITING = RegistrationStatus.WAITING
CATEGORIES = ("library_users", "ngo_activists")
PHONES = {"Марія Коваль": "+380501112233", "Іван Сидоренко": "+380501112234"}


def phone_of(name: str) -> str:
    """Each name its own phone (the same phone is the same person)."""
    return PHONES.get(name, "+38050" + str(zlib.crc32(name.encode()) % 10**7).zfill(7))


async def write_down(
    db: Database,
    event_id: int,
    name: str,
    now: datetime,
    *,
    phone: str | None = "",
    staff_id: int = LIBRARIAN,
) -> Written:
    """The whole «➕» flow, each answer in its own transaction as the bot runs it."""
    async with db.transaction() as session:
        await phone_registrants.start(session, telegram_id=staff_id, event_id=event_id, now=now)
    result: object = None
    if phone == "":
        phone = phone_of(name)
    for step, value in ((Step.NAME, name), (Step.CATEGORY, CATEGORIES[0]), (Step.PHONE, phone)):
        async with db.transaction() as session:
            result = await phone_registrants.answer(
                session,
                telegram_id=staff_id,
                event_id=event_id,
                step=step,
                value=value,
                categories=CATEGORIES,
                default_reminders=REMINDERS,
                now=now,
            )
    assert isinstance(result, Written)
    return result


async def register(db: Database, event_id: int, person_id: int, now: datetime) -> Any:
    async with db.transaction() as session:
        return await registration.register(
            session, event_id=event_id, person_id=person_id, now=now, default_reminders=REMINDERS
        )


async def outbox_people(db: Database) -> list[int]:
    async with db.session() as session:
        return list((await session.execute(select(Notification.person_id))).scalars())


async def test_phone_seats_and_telegram_taps_share_the_capacity(
    db: Database, now: datetime
) -> None:
    """5 seats, 3 taken by phone, then 6 residents tap at the same moment: 2 get a seat."""
    event = await make_event(db, now=now, capacity=5)
    for name in ("Марія Коваль", "Іван Сидоренко", "Ганна Шевчук"):
        assert (await write_down(db, event.id, name, now)).outcome.status == CONFIRMED
    residents = [await make_person(db, 500 + i, now=now) for i in range(6)]
    results = await asyncio.gather(*(register(db, event.id, p.id, now) for p in residents))
    assert sorted(r.status for r in results) == [CONFIRMED] * 2 + [WAITING] * 4
    late = await write_down(db, event.id, "Петро Мельник", now)
    assert (late.outcome.status, late.outcome.position) == (WAITING, 5)
    async with db.session() as session:
        figures = await staff_events.card(session, event_id=event.id)
    assert (figures.figures.registered, figures.figures.waiting) == (5, 5)


async def test_a_person_written_down_gets_no_message_of_any_kind(
    db: Database, now: datetime
) -> None:
    event = await make_event(db, now=now, capacity=1)
    resident = await make_person(db, 501, now=now)
    await register(db, event.id, resident.id, now)  # has the seat, gets reminders
    phoned = (await write_down(db, event.id, "Марія Коваль", now)).outcome.person_id
    other = await make_event(db, now=now, capacity=5, title="Інший захід")
    phoned_too = (await write_down(db, other.id, "Іван Сидоренко", now)).outcome.person_id
    # A seat freed: the person who phoned is promoted (no promotion notice, no reminders).
    async with db.transaction() as session:
        cancelled = await registration.cancel(
            session, event_id=event.id, person_id=resident.id, now=now, default_reminders=REMINDERS
        )
    assert cancelled.promoted is not None and cancelled.promoted.person.id == phoned
    async with db.transaction() as session:
        # Moved (registrants are told), announced, and cancelled (registrants are told).
        await event_admin.update_event(
            session,
            other.id,
            Changes(place="Актова зала"),
            default_reminders=REMINDERS,
            now=now,
        )
        await subscriptions.put(session, person_id=resident.id, interests=Interests(), now=now)
        await announcements.announce(session, event_id=other.id, now=now)
        await event_admin.cancel_event(session, event.id, now=now)
    queued = await outbox_people(db)
    assert resident.id in queued
    assert phoned not in queued and phoned_too not in queued


async def test_every_promotion_is_noted_and_the_phoned_ones_are_on_the_call_list(
    db: Database, now: datetime
) -> None:
    event = await make_event(db, now=now, capacity=1)
    holder = await make_person(db, 501, now=now)
    await register(db, event.id, holder.id, now)
    phoned = (await write_down(db, event.id, "Марія Коваль", now)).outcome.person_id
    resident = await make_person(db, 502, now=now)
    await register(db, event.id, resident.id, now)
    later = now + timedelta(hours=1)
    async with db.transaction() as session:
        await registration.cancel(
            session, event_id=event.id, person_id=holder.id, now=later, default_reminders=REMINDERS
        )
    async with db.session() as session:
        found = await phone_registrants.call_list(session, event_id=event.id)
    (caller,) = found.callers
    assert (caller.person_id, caller.name, caller.phone) == (
        phoned,
        "Марія Коваль",
        "+380501112233",
    )
    assert caller.status == CONFIRMED and caller.promoted_at == later and caller.to_tell

    # Staff cancel her registration: the resident next in line is promoted, told in Telegram.
    async with db.transaction() as session:
        result = await phone_registrants.cancel_registration(
            session, event_id=event.id, person_id=phoned, default_reminders=REMINDERS, now=later
        )
    assert result.promoted is not None and result.promoted.person.id == resident.id
    async with db.session() as session:
        promoted_at = (
            await session.execute(
                select(Registration.promoted_at).where(Registration.person_id == resident.id)
            )
        ).scalar_one()
        kinds = (
            await session.execute(
                select(Notification.kind).where(Notification.person_id == resident.id)
            )
        ).scalars()
        assert (await phone_registrants.call_list(session, event_id=event.id)).callers == []
    assert promoted_at == later
    assert NotificationKind.PROMOTED in set(kinds)


async def test_told_is_noted_once_and_only_for_someone_promoted(
    db: Database, now: datetime
) -> None:
    event = await make_event(db, now=now, capacity=1)
    holder = await make_person(db, 501, now=now)
    await register(db, event.id, holder.id, now)
    phoned = (await write_down(db, event.id, "Марія Коваль", now)).outcome.person_id
    async with db.transaction() as session:
        assert not await phone_registrants.told(
            session, event_id=event.id, person_id=phoned, now=now
        )
        await registration.cancel(
            session, event_id=event.id, person_id=holder.id, now=now, default_reminders=REMINDERS
        )
    async with db.transaction() as session:
        assert await phone_registrants.told(session, event_id=event.id, person_id=phoned, now=now)
    async with db.transaction() as session:
        assert not await phone_registrants.told(
            session, event_id=event.id, person_id=phoned, now=now
        )
        (caller,) = (await phone_registrants.call_list(session, event_id=event.id)).callers
    assert caller.told_at == now and not caller.to_tell


async def test_staff_cannot_cancel_or_forget_a_telegram_resident_here(
    db: Database, now: datetime
) -> None:
    event = await make_event(db, now=now, capacity=3)
    resident = await make_person(db, 501, now=now)
    await register(db, event.id, resident.id, now)
    with pytest.raises(NotPhonedError):
        async with db.transaction() as session:
            await phone_registrants.cancel_registration(
                session,
                event_id=event.id,
                person_id=resident.id,
                default_reminders=REMINDERS,
                now=now,
            )
    with pytest.raises(NotPhonedError):
        async with db.transaction() as session:
            await phone_registrants.forget(
                session, person_id=resident.id, default_reminders=REMINDERS, now=now
            )
    async with db.session() as session:
        person = await session.get(Person, resident.id)
        assert person is not None and person.full_name == "Олена Петренко"


async def test_deleting_a_phoned_persons_data_keeps_the_attendance_figures(
    db: Database, now: datetime
) -> None:
    past = await make_event(db, now=now, capacity=5, title="Минулий захід")
    ahead = await make_event(db, now=now, starts_in=timedelta(days=10), capacity=1)
    phoned = (await write_down(db, past.id, "Марія Коваль", now)).outcome.person_id
    async with db.transaction() as session:
        await registration.register(
            session, event_id=ahead.id, person_id=phoned, now=now, default_reminders=REMINDERS
        )
    resident = await make_person(db, 501, now=now)
    await register(db, ahead.id, resident.id, now)  # waiting for her seat
    after = past.starts_at + timedelta(hours=2)
    async with db.transaction() as session:
        await attendance.mark(session, event_id=past.id, person_id=phoned, came=True)
    async with db.session() as session:
        before = await report.build(session, start=now, end=after, now=after)
    (line,) = before.events
    assert (line.registered, line.came) == (1, 1)  # she counts as a registered person

    async with db.transaction() as session:
        promoted = await phone_registrants.forget(
            session, person_id=phoned, default_reminders=REMINDERS, now=after
        )
    assert [p.person.id for p in promoted] == [resident.id]
    async with db.session() as session:
        person = await session.get(Person, phoned)
        assert person is not None
        assert (person.full_name, person.phone, person.forgotten_at) == (None, None, after)
        assert await report.build(session, start=now, end=after, now=after) == before
        sheet = await attendance.sheet(session, event_id=past.id)
    assert [(a.name, a.attended) for a in sheet.attendees] == [("—", True)]
    with pytest.raises(NotPhonedError):  # gone: nothing more to delete or cancel
        async with db.transaction() as session:
            await phone_registrants.forget(
                session, person_id=phoned, default_reminders=REMINDERS, now=after
            )


async def test_bad_answers_are_refused_and_the_question_stays(db: Database, now: datetime) -> None:
    event = await make_event(db, now=now, capacity=5)
    async with db.transaction() as session:
        await phone_registrants.start(session, telegram_id=LIBRARIAN, event_id=event.id, now=now)

    async def answer(step: Step, value: str | None) -> object:
        async with db.transaction() as session:
            return await phone_registrants.answer(
                session,
                telegram_id=LIBRARIAN,
                event_id=event.id,
                step=step,
                value=value,
                categories=CATEGORIES,
                default_reminders=REMINDERS,
                now=now,
            )

    for bad in ("1", "a" * 101, "Марія\x00"):
        with pytest.raises(InvalidInputError):
            await answer(Step.NAME, bad)
    with pytest.raises(StaleVisitorAnswerError):
        await answer(Step.CATEGORY, CATEGORIES[0])  # not asked yet
    assert await answer(Step.NAME, "  Марія   Коваль ") == AddVisitor(
        Step.CATEGORY, event.id, name="Марія Коваль"
    )
    with pytest.raises(StaleVisitorAnswerError):
        await answer(Step.CATEGORY, "pensioners_from_mars")
    await answer(Step.CATEGORY, CATEGORIES[1])
    with pytest.raises(InvalidInputError):
        await answer(Step.PHONE, "дзвоніть увечері")
    result = await answer(Step.PHONE, None)  # skipped
    assert isinstance(result, Written) and result.outcome.status == CONFIRMED
    async with db.session() as session:
        person = await session.get(Person, result.outcome.person_id)
    assert person is not None
    assert (person.telegram_id, person.full_name, person.category, person.phone) == (
        None,
        "Марія Коваль",
        CATEGORIES[1],
        None,
    )
    assert (person.added_by, person.consent_at) == (LIBRARIAN, now)


async def test_a_visitor_left_half_written_down_is_purged_with_abandoned_sign_ups(
    db: Database, now: datetime
) -> None:
    event = await make_event(db, now=now, capacity=5)
    async with db.transaction() as session:
        await phone_registrants.start(session, telegram_id=LIBRARIAN, event_id=event.id, now=now)
        await phone_registrants.answer(
            session,
            telegram_id=LIBRARIAN,
            event_id=event.id,
            step=Step.NAME,
            value="Марія Коваль",
            categories=CATEGORIES,
            default_reminders=REMINDERS,
            now=now,
        )
        await dialogs.ask_staff(session, 778, NewEvent(FormStep.TITLE), now=now)
    async with db.transaction() as session:
        assert await dialogs.purge_abandoned_signups(session, before=now) == 0
        assert await dialogs.purge_abandoned_signups(session, before=now + timedelta(days=1)) == 1
    async with db.session() as session:
        assert await phone_registrants.current(session, LIBRARIAN) is None
        assert isinstance(await dialogs.staff_input(session, 778), NewEvent)  # a draft waits


@pytest.mark.parametrize(
    "draft",
    [NewEvent(FormStep.TITLE), NewProgram(ProgramStep.PURPOSE, ProgramAnswers(name="Цифра"))],
)
async def test_writing_down_keeps_a_half_filled_new_event_or_programme(
    db: Database, now: datetime, draft: NewEvent | NewProgram
) -> None:
    """«➕» while /newevent or /newprogram is half-filled asks nothing: the draft stays."""
    event = await make_event(db, now=now, capacity=5)
    async with db.transaction() as session:
        await dialogs.ask_staff(session, LIBRARIAN, draft, now=now)
    async with db.transaction() as session:
        started = await phone_registrants.start(
            session, telegram_id=LIBRARIAN, event_id=event.id, now=now
        )
    assert started is None
    async with db.session() as session:
        assert await dialogs.staff_input(session, LIBRARIAN) == draft


async def test_someone_who_phones_again_is_the_same_person_with_one_seat_per_event(
    db: Database, now: datetime
) -> None:
    """The same phone: one person for every event (counted once in the report), the name
    first written down kept; a second librarian writing down the same call takes no seat."""
    first = await make_event(db, now=now, capacity=5)
    second = await make_event(db, now=now, capacity=5, title="Інший захід")
    one = await write_down(db, first.id, "Марія Коваль", now)
    assert not one.known
    again = await write_down(db, second.id, "Маша Коваль", now, phone="+380 50 111 22 33")
    assert again.known and again.name == "Марія Коваль"
    assert again.outcome.person_id == one.outcome.person_id
    assert (again.outcome.status, again.outcome.already) == (CONFIRMED, False)
    twice = await write_down(db, first.id, "Марія Коваль", now, staff_id=LIBRARIAN + 1)
    assert (twice.outcome.already, twice.outcome.person_id) == (True, one.outcome.person_id)
    async with db.session() as session:
        people = (await session.execute(select(Person.full_name))).scalars().all()
        seats = await staff_events.card(session, event_id=first.id)
    assert people == ["Марія Коваль"]
    assert seats.figures.registered == 1
    # Without a phone nobody can be told apart: each is written down as new.
    assert not (await write_down(db, first.id, "Марія Коваль", now, phone=None)).known


async def test_someone_who_phones_again_while_waiting_is_told_their_place(
    db: Database, now: datetime
) -> None:
    event = await make_event(db, now=now, capacity=1)
    await write_down(db, event.id, "Іван Сидоренко", now)
    waiting = await write_down(db, event.id, "Марія Коваль", now)
    again = await write_down(db, event.id, "Марія Коваль", now)
    assert (again.outcome.status, again.outcome.position, again.outcome.already) == (
        WAITING,
        1,
        True,
    )
    assert again.outcome.person_id == waiting.outcome.person_id


async def _locked_waiters(db: Database) -> int:
    """PostgreSQL sessions of this database waiting for a lock."""
    async with db.session() as session:
        stmt = text(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return int((await session.execute(stmt)).scalar_one())


async def test_two_librarians_writing_down_the_same_caller_at_once_make_one_person(
    db: Database, now: datetime
) -> None:
    """Two librarians each take the same caller's phone for a different event, and both
    press «enter» at the same moment: one person, with a seat at each event."""
    events = [await make_event(db, now=now, capacity=5, title=f"Захід {n}") for n in (1, 2)]
    staff = (LIBRARIAN, LIBRARIAN + 1)
    pairs = list(zip(staff, events, strict=True))
    for staff_id, event in pairs:
        async with db.transaction() as session:
            await phone_registrants.start(session, telegram_id=staff_id, event_id=event.id, now=now)
        for step, value in ((Step.NAME, "Марія Коваль"), (Step.CATEGORY, CATEGORIES[0])):
            async with db.transaction() as session:
                await phone_registrants.answer(
                    session,
                    telegram_id=staff_id,
                    event_id=event.id,
                    step=step,
                    value=value,
                    categories=CATEGORIES,
                    default_reminders=REMINDERS,
                    now=now,
                )

    async def phone(staff_id: int, event_id: int) -> object:
        async with db.transaction() as session:
            return await phone_registrants.answer(
                session,
                telegram_id=staff_id,
                event_id=event_id,
                step=Step.PHONE,
                value="050 111 22 33",
                categories=CATEGORIES,
                default_reminders=REMINDERS,
                now=now,
            )

    if db.is_sqlite:  # one writer at a time: both transactions still start together
        results = await asyncio.gather(*(phone(s, e.id) for s, e in pairs))
    else:
        # A third session lets nobody add people for a moment: without a lock on the
        # phone, each looks it up, finds nobody, and waits to add the person; with it, the
        # second waits for the phone before looking. Both waiting, the third lets go.
        async with db.transaction() as blocker:
            await blocker.execute(text("LOCK TABLE person IN SHARE MODE"))
            tasks = [asyncio.create_task(phone(s, e.id)) for s, e in pairs]
            async with asyncio.timeout(10):
                while await _locked_waiters(db) < 2:
                    await asyncio.sleep(0.01)
        results = await asyncio.gather(*tasks)

    written = [r for r in results if isinstance(r, Written)]
    assert len(written) == 2
    assert sorted(w.known for w in written) == [False, True]
    assert len({w.outcome.person_id for w in written}) == 1
    assert [w.outcome.status for w in written] == [CONFIRMED, CONFIRMED]
    async with db.session() as session:
        people = (await session.execute(select(Person.phone))).scalars().all()
    assert people == ["+380501112233"]
