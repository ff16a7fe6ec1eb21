"""The first-registration questions, /forget, paging — against a real database."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import InvalidInputError
from bot.domain.signup import Step
from bot.domain.status import RegistrationStatus
from bot.services import catalog, people, registration, signup, visitors
from storage.database import Database
from storage.models import Dialog, Event, Person, Registration
from tests.conftest import REMINDERS
from tests.factories import make_event, make_person
from tests.services.test_staff_events import statements

CATEGORIES = ["library_users", "idp"]


async def answer(db: Database, tg: int, step: Step, value: str | None, now: datetime) -> object:
    async with db.transaction() as session:
        return await signup.answer(
            session,
            telegram_id=tg,
            step=step,
            value=value,
            categories=CATEGORIES,
            now=now,
            default_reminders=REMINDERS,
        )


async def test_a_newcomer_is_asked_name_category_phone_consent_then_registered(
    db: Database, now: datetime
) -> None:
    event = await make_event(db, now=now)
    async with db.transaction() as session:
        first = await signup.begin(
            session, telegram_id=7, event_id=event.id, now=now, default_reminders=REMINDERS
        )
    assert isinstance(first, signup.Ask) and first.step == Step.NAME
    steps = []
    for step, value in [
        (Step.NAME, "  Іван   <b>&  Петренко "),
        (Step.CATEGORY, "idp"),
        (Step.PHONE, "+38 (050) 123-45-67"),
    ]:
        result = await answer(db, 7, step, value, now)
        assert isinstance(result, signup.Ask)
        steps.append(result.step)
    assert steps == [Step.CATEGORY, Step.PHONE, Step.CONSENT]
    done = await answer(db, 7, Step.CONSENT, "yes", now)
    assert isinstance(done, registration.Outcome) and done.status == RegistrationStatus.CONFIRMED
    async with db.session() as session:
        person = (await session.execute(select(Person).where(Person.telegram_id == 7))).scalar_one()
        assert (person.full_name, person.category, person.phone) == (
            "Іван <b>& Петренко",
            "idp",
            "+380501234567",
        )
        assert (await session.execute(select(Dialog))).first() is None

    # The next registration takes one tap.
    other = await make_event(db, now=now, title="Легальна зайнятість")
    async with db.transaction() as session:
        again = await signup.begin(
            session, telegram_id=7, event_id=other.id, now=now, default_reminders=REMINDERS
        )
    assert isinstance(again, registration.Outcome) and again.status == RegistrationStatus.CONFIRMED


async def test_the_phone_can_be_skipped(db: Database, now: datetime) -> None:
    event = await make_event(db, now=now)
    async with db.transaction() as session:
        await signup.begin(
            session, telegram_id=8, event_id=event.id, now=now, default_reminders=REMINDERS
        )
    await answer(db, 8, Step.NAME, "Оксана Коваль", now)
    await answer(db, 8, Step.CATEGORY, "library_users", now)
    result = await answer(db, 8, Step.PHONE, None, now)
    assert isinstance(result, signup.Ask) and result.step == Step.CONSENT


@pytest.mark.parametrize(
    ("step", "value", "error"),
    [
        (Step.NAME, "", InvalidInputError),
        (Step.NAME, "x" * 101, InvalidInputError),
        (Step.NAME, "123", InvalidInputError),
        (Step.CATEGORY, "admin", signup.StaleAnswerError),
        (Step.PHONE, "call me", signup.StaleAnswerError),  # phone is not the open question
        (Step.CONSENT, "yes", signup.StaleAnswerError),
    ],
)
async def test_bad_or_stale_answers_are_refused_and_nothing_moves(
    db: Database, now: datetime, step: Step, value: str, error: type[Exception]
) -> None:
    event = await make_event(db, now=now)
    async with db.transaction() as session:
        await signup.begin(
            session, telegram_id=9, event_id=event.id, now=now, default_reminders=REMINDERS
        )
    if step == Step.CATEGORY:
        await answer(db, 9, Step.NAME, "Марія Іваненко", now)
    with pytest.raises(error):
        await answer(db, 9, step, value, now)
    async with db.session() as session:
        current = await signup.current(session, 9)
    assert current is not None and current.step == (
        Step.CATEGORY if step == Step.CATEGORY else Step.NAME
    )


async def test_declining_consent_registers_nothing_and_ends_the_questions(
    db: Database, now: datetime
) -> None:
    event = await make_event(db, now=now)
    async with db.transaction() as session:
        await signup.begin(
            session, telegram_id=10, event_id=event.id, now=now, default_reminders=REMINDERS
        )
    await answer(db, 10, Step.NAME, "Петро Сидоренко", now)
    await answer(db, 10, Step.CATEGORY, "idp", now)
    await answer(db, 10, Step.PHONE, "+380501112233", now)
    assert isinstance(await answer(db, 10, Step.CONSENT, "no", now), signup.Declined)
    async with db.session() as session:
        assert (await session.execute(select(Registration))).first() is None
        assert await signup.current(session, 10) is None
        person = (await session.execute(select(Person))).scalar_one()
    # nothing personal is kept without consent
    assert (person.full_name, person.phone, person.category) == (None, None, None)


async def test_forget_deletes_personal_data_and_frees_future_seats(
    db: Database, now: datetime
) -> None:
    past = await make_event(
        db, now=now - timedelta(days=10), starts_in=timedelta(days=1), capacity=5
    )
    future = await make_event(db, now=now, capacity=1)
    me = await make_person(db, 11, now=now)
    waiting = await make_person(db, 12, now=now)
    async with db.transaction() as session:
        await registration.register(
            session,
            event_id=past.id,
            person_id=me.id,
            now=now - timedelta(days=10),
            default_reminders=REMINDERS,
        )
        await registration.register(
            session, event_id=future.id, person_id=me.id, now=now, default_reminders=REMINDERS
        )
        await registration.register(
            session, event_id=future.id, person_id=waiting.id, now=now, default_reminders=REMINDERS
        )
        me_row = await session.get(Person, me.id)
        assert me_row is not None
        me_row.phone = "+380501234567"
    async with db.transaction() as session:
        promoted = await people.forget(session, 11, now=now, default_reminders=REMINDERS)
    assert [p.person.id for p in promoted] == [waiting.id]
    async with db.session() as session:
        row = await session.get(Person, me.id)
        assert row is not None
        assert (row.telegram_id, row.full_name, row.phone, row.consent_at) == (
            None,
            None,
            None,
            None,
        )
        statuses = dict(
            (
                await session.execute(
                    select(Registration.event_id, Registration.status).where(
                        Registration.person_id == me.id
                    )
                )
            ).all()
        )
    # the past registration stays (anonymised, for the report); the future one is gone
    assert statuses == {
        past.id: RegistrationStatus.CONFIRMED,
        future.id: RegistrationStatus.CANCELLED,
    }


async def test_upcoming_events_are_paged_soonest_first(db: Database, now: datetime) -> None:
    for i in range(catalog.PAGE_SIZE + 2):
        await make_event(db, now=now, starts_in=timedelta(days=10 - i), title=f"Подія {i}")
    await make_event(db, now=now, starts_in=timedelta(days=-1), title="Минула")
    await make_event(db, now=now, status="draft", title="Чернетка")
    async with db.session() as session:
        first = await catalog.upcoming_page(session, page=0, now=now)
        last = await catalog.upcoming_page(session, page=99, now=now)
    assert first.pages == 2 and len(first.events) == catalog.PAGE_SIZE
    starts = [e.starts_at for e in first.events]
    assert starts == sorted(starts)
    assert last.page == 1 and len(last.events) == 2
    titles = {e.title for e in first.events + last.events}  # type: ignore[operator]
    assert "Минула" not in titles and "Чернетка" not in titles


async def test_forget_racing_a_promotion_keeps_the_seat_count_true(
    db: Database, now: datetime
) -> None:
    """/forget read the person as waiting; before it cancels, a cancellation promotes them.
    The freed seat must go on to the next person, not vanish."""
    if db.is_sqlite:
        pytest.skip("SQLite writers hold the database lock: this interleaving cannot happen")
    event = await make_event(db, now=now, capacity=1)
    holder, me, next_one = [await make_person(db, 40 + i, now=now) for i in range(3)]
    for p in (holder, me, next_one):
        async with db.transaction() as session:
            await registration.register(
                session, event_id=event.id, person_id=p.id, now=now, default_reminders=REMINDERS
            )
    async with db.transaction() as forgetting:
        # /forget has already looked at the person's registrations (and holds them) ...
        seen = await registrations_of(forgetting, me.id, now)
        # ... when the holder cancels and the person is promoted.
        async with db.transaction() as other:
            result = await registration.cancel(
                other, event_id=event.id, person_id=holder.id, now=now, default_reminders=REMINDERS
            )
        assert result.promoted is not None and result.promoted.person.id == me.id
        promoted = await people.forget(forgetting, 41, now=now, default_reminders=REMINDERS)
        del seen
    assert [p.person.id for p in promoted] == [next_one.id]
    async with db.session() as session:
        confirmed = (
            (
                await session.execute(
                    select(Registration.person_id).where(
                        Registration.status == RegistrationStatus.CONFIRMED
                    )
                )
            )
            .scalars()
            .all()
        )
        seats = (await session.execute(select(Event.seats_taken))).scalar_one()
    assert (confirmed, seats) == ([next_one.id], 1)


async def registrations_of(session: object, person_id: int, now: datetime) -> object:
    from storage import registrations

    return await registrations.upcoming_for_person(session, person_id, now=now)  # type: ignore[arg-type]


async def test_a_newcomer_cannot_start_signing_up_for_a_closed_event(
    db: Database, now: datetime
) -> None:
    from bot.domain.errors import RegistrationClosedError

    event = await make_event(db, now=now, starts_in=timedelta(hours=-1))
    with pytest.raises(RegistrationClosedError):
        async with db.transaction() as session:
            await signup.begin(
                session, telegram_id=99, event_id=event.id, now=now, default_reminders=REMINDERS
            )
    async with db.session() as session:
        assert (await session.execute(select(Dialog))).first() is None
        assert (await session.execute(select(Person))).first() is None


async def test_consent_after_the_event_started_keeps_the_profile_and_says_why(
    db: Database, now: datetime
) -> None:
    event = await make_event(db, now=now, starts_in=timedelta(minutes=30))
    async with db.transaction() as session:
        await signup.begin(
            session, telegram_id=98, event_id=event.id, now=now, default_reminders=REMINDERS
        )
    await answer(db, 98, Step.NAME, "Лідія Бойко", now)
    await answer(db, 98, Step.CATEGORY, "idp", now)
    await answer(db, 98, Step.PHONE, None, now)
    result = await answer(db, 98, Step.CONSENT, "yes", now + timedelta(hours=1))
    assert isinstance(result, signup.Unavailable)
    async with db.session() as session:
        person = (await session.execute(select(Person))).scalar_one()
        assert person.consent_at is not None and person.full_name == "Лідія Бойко"
        assert await signup.current(session, 98) is None


async def test_importing_the_same_event_twice_is_refused(db: Database, now: datetime) -> None:
    from zoneinfo import ZoneInfo

    from bot.domain.event_import import EventImportError
    from bot.services.importer import import_csv

    data = (
        "title,kind,starts_at,ends_at,place,capacity,audience,program,description\n"
        "Нове,training,2026-04-01 10:00,,Зала,,,,\n"
        "Друге,training,2026-04-02 10:00,,Зала,,,,\n"
        "Третє,training,2026-04-03 10:00,,Зала,,,,\n"
    ).encode()
    tz = ZoneInfo("Europe/Kyiv")
    async with db.transaction() as session:
        first = await import_csv(session, data, kinds={"training": "training"}, tz=tz, now=now)
        first[2].status = "cancelled"  # a cancelled event may be imported again
    with pytest.raises(EventImportError) as info:
        async with db.transaction() as session:
            with statements(db) as seen:
                await import_csv(session, data, kinds={"training": "training"}, tz=tz, now=now)
    assert len(seen) == 1  # the whole file is checked in one statement, not one per row
    assert [(p.row, p.code, p.params["id"]) for p in info.value.problems] == [
        (2, "duplicate", first[0].id),
        (3, "duplicate", first[1].id),
    ]


async def test_an_answer_and_a_forget_in_two_processes_take_turns(
    db: Database, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two bot processes (PostgreSQL): one takes the consent answer, with the person's row
    its update's look-up loaded, while the other runs /forget. The answer must not write
    the name, phone and consent into the row /forget has just emptied."""
    if db.is_sqlite:
        pytest.skip("SQLite writers hold the database lock: this interleaving cannot happen")
    event = await make_event(db, now=now)
    async with db.transaction() as session:
        await signup.begin(
            session, telegram_id=77, event_id=event.id, now=now, default_reminders=REMINDERS
        )
    for step, value in [(Step.NAME, "Олена Коваль"), (Step.CATEGORY, "idp")]:
        await answer(db, 77, step, value, now)
    await answer(db, 77, Step.PHONE, "+380501112233", now)

    async def forget_elsewhere() -> None:
        async with db.transaction() as session:
            await people.forget(session, 77, now=now, default_reminders=REMINDERS)

    read_question = signup.current
    forgetting: list[asyncio.Task[None]] = []

    async def question_then_forget(session: AsyncSession, telegram_id: int, **kw: bool) -> object:
        found = await read_question(session, telegram_id, **kw)
        forgetting.append(asyncio.create_task(forget_elsewhere()))
        await asyncio.sleep(0.3)  # the other process commits now, unless it has to wait
        return found

    unit = db.unit()
    try:
        visitor = await unit.read(visitors.identify, 77)
        monkeypatch.setattr(signup, "current", question_then_forget)
        result = await unit.write(
            signup.answer,
            telegram_id=77,
            step=Step.CONSENT,
            value="yes",
            categories=CATEGORIES,
            default_reminders=REMINDERS,
            now=now,
            person_id=visitor.person_id,
        )
    finally:
        await unit.close()
    await asyncio.gather(*forgetting)
    assert isinstance(result, registration.Outcome)  # the answer went first; /forget after
    async with db.session() as session:
        rows = (await session.execute(select(Person))).scalars().all()
        left = [(p.full_name, p.phone, p.consent_at is not None, p.telegram_id) for p in rows]
        dialogs = (await session.execute(select(Dialog))).all()
    assert left == [(None, None, False, None)]
    assert dialogs == []


async def test_a_card_counts_the_waiting_list_only_when_it_shows_it(
    db: Database, now: datetime
) -> None:
    """The card says how many wait only when no seat is left; with seats left it says
    how many are free, and the waiting list is not counted."""
    full = await make_event(db, now=now, capacity=1)
    roomy = await make_event(db, now=now, title="Легальна зайнятість", capacity=10)
    for i in range(3):
        person = await make_person(db, 600 + i, now=now)
        async with db.transaction() as session:
            await registration.register(
                session, event_id=full.id, person_id=person.id, now=now, default_reminders=REMINDERS
            )
    async with db.session() as session:
        with statements(db) as seen:
            view = await catalog.event_view(session, event_id=full.id, person_id=None, now=now)
        assert (view.seats_left, view.waiting) == (0, 2)
        assert any("count(" in s for s in seen)
        with statements(db) as seen:
            view = await catalog.event_view(session, event_id=roomy.id, person_id=None, now=now)
        assert (view.seats_left, view.waiting) == (10, 0)
        assert not any("count(" in s for s in seen)
