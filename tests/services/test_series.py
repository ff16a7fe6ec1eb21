"""A weekly series against a real database: the CSV import stores the occurrences under
one series id, and «Sign up for all» registers at each as a tap on its card would."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.domain.event_form import EventAnswers, FormStep
from bot.domain.event_import import EventDraft, EventImportError
from bot.domain.status import EventStatus
from bot.services import dialogs, event_forms, series
from bot.services.dialogs import NewEvent
from bot.services.importer import import_csv
from bot.services.registration import register
from bot.services.series import NoProfileError, SeriesResult
from storage import events
from storage.database import Database
from storage.models import Event
from tests.conftest import REMINDERS
from tests.factories import make_person

KYIV = ZoneInfo("Europe/Kyiv")
HEADER = "title,kind,starts_at,ends_at,place,capacity,repeat_weeks,repeat_until"


async def test_the_import_stores_each_series_under_its_own_id_in_the_files_order(
    db: Database, now: datetime
) -> None:
    data = (
        HEADER + "\n"
        "Англійська,training,2026-03-23 14:00,2026-03-23 15:30,Зала,8,3,\n"
        "Разова,training,2026-03-24 10:00,,Зала,,,\n"
        "Шахи,training,25.03.2026 16:00,,Зала,,,01.04.2026\n"
    ).encode()
    async with db.transaction() as session:
        created = await import_csv(session, data, kinds={"training": "training"}, tz=KYIV, now=now)
    titles = [e.title for e in created]
    assert titles == ["Англійська"] * 3 + ["Разова"] + ["Шахи"] * 2
    async with db.session() as session:
        stored = (await session.execute(select(Event).order_by(Event.id))).scalars().all()
    by_title: dict[str, set[int | None]] = {}
    for event in stored:
        by_title.setdefault(event.title, set()).add(event.series_id)
    english = [e for e in stored if e.title == "Англійська"]
    assert by_title["Англійська"] == {english[0].id}
    assert by_title["Разова"] == {None}
    assert len(by_title["Шахи"]) == 1 and by_title["Шахи"] != by_title["Англійська"]
    assert [e.starts_at.astimezone(KYIV).strftime("%d.%m %H:%M") for e in english] == [
        "23.03 14:00",
        "30.03 14:00",  # after the clocks went forward on 29 March
        "06.04 14:00",
    ]
    # Importing it again: the same events are there, week by week.
    with pytest.raises(EventImportError) as caught:
        async with db.transaction() as session:
            await import_csv(session, data, kinds={"training": "training"}, tz=KYIV, now=now)
    assert {(p.row, p.code) for p in caught.value.problems} == {
        (2, "duplicate"),
        (3, "duplicate"),
        (4, "duplicate"),
    }


async def make_series(db: Database, now: datetime, capacities: list[int]) -> list[Event]:
    drafts = [
        EventDraft(
            title="Англійська",
            kind="training",
            starts_at=now + timedelta(days=1, weeks=n),
            ends_at=None,
            place="Зала",
            capacity=capacity,
        )
        for n, capacity in enumerate(capacities)
    ]
    async with db.transaction() as session:
        return await events.add_many(session, drafts, now=now, series=True)


async def test_sign_up_for_all_waits_where_full_and_confirms_elsewhere(
    db: Database, now: datetime
) -> None:
    weeks = await make_series(db, now, [3, 1, 3])
    resident = await make_person(db, 11, now=now)
    other = await make_person(db, 12, now=now)
    async with db.transaction() as session:
        await register(
            session, event_id=weeks[1].id, person_id=other.id, default_reminders=(), now=now
        )
        assert await series.open_count(session, weeks[0], person_id=resident.id, now=now) == 3
        # From the second week on, two are left; the last week alone offers nothing.
        assert await series.open_count(session, weeks[1], person_id=resident.id, now=now) == 2
        assert await series.open_count(session, weeks[2], person_id=resident.id, now=now) == 0
    async with db.transaction() as session:
        outcomes = await series.register_all(
            session, event_id=weeks[0].id, telegram_id=11, default_reminders=REMINDERS, now=now
        )
    assert [(o.event.id, o.result, o.position) for o in outcomes] == [
        (weeks[0].id, SeriesResult.CONFIRMED, None),
        (weeks[1].id, SeriesResult.WAITING, 1),
        (weeks[2].id, SeriesResult.CONFIRMED, None),
    ]
    async with db.transaction() as session:
        again = await series.register_all(
            session, event_id=weeks[0].id, telegram_id=11, default_reminders=REMINDERS, now=now
        )
        assert await series.open_count(session, weeks[0], person_id=resident.id, now=now) == 0
    assert [o.result for o in again] == [SeriesResult.ALREADY] * 3


async def test_a_started_or_cancelled_week_is_closed_and_skipped(
    db: Database, now: datetime
) -> None:
    weeks = await make_series(db, now, [3, 3, 3])
    await make_person(db, 21, now=now)
    async with db.transaction() as session:
        cancelled = await session.get(Event, weeks[1].id)
        assert cancelled is not None
        cancelled.status = EventStatus.CANCELLED
    later = now + timedelta(days=2)  # the first week has started
    async with db.transaction() as session:
        outcomes = await series.register_all(
            session, event_id=weeks[0].id, telegram_id=21, default_reminders=REMINDERS, now=later
        )
    assert [(o.event.id, o.result) for o in outcomes] == [
        (weeks[0].id, SeriesResult.CLOSED),
        (weeks[2].id, SeriesResult.CONFIRMED),
    ]


async def test_someone_without_a_profile_is_sent_to_the_sign_up(
    db: Database, now: datetime
) -> None:
    weeks = await make_series(db, now, [3, 3])
    await make_person(db, 31, now=now, name=None)
    async with db.transaction() as session:
        # Offered to them as to anyone: the sign-up's questions come first (see e2e).
        assert await series.open_count(session, weeks[0], person_id=None, now=now) == 2
        with pytest.raises(NoProfileError):
            await series.register_all(
                session, event_id=weeks[0].id, telegram_id=31, default_reminders=(), now=now
            )
        with pytest.raises(NoProfileError):  # not even a person yet
            await series.register_all(
                session, event_id=weeks[0].id, telegram_id=32, default_reminders=(), now=now
            )


async def test_newevent_stores_a_series_at_the_same_local_time_across_the_clock_change(
    db: Database, now: datetime
) -> None:
    answers = EventAnswers(
        title="Англійська",
        kind="training",
        day=date(2026, 3, 23),
        start=time(14, 0),
        minutes=60,
        repeat="3",
        place="Зала",
        capacity=10,
        audience="",
        program=None,
        description="",
        reminders=None,
    )
    await make_person(db, 41, now=now)
    async with db.transaction() as session:
        await dialogs.ask_staff(session, 41, NewEvent(FormStep.DONE, answers), now=now)
    async with db.transaction() as session:
        created = await event_forms.create(session, 41, publish=True, tz=KYIV, now=now)
    assert created is not None and len(created) == 3
    assert [e.starts_at.astimezone(KYIV).strftime("%d.%m %H:%M") for e in created] == [
        "23.03 14:00",
        "30.03 14:00",
        "06.04 14:00",
    ]
    assert {e.series_id for e in created} == {created[0].id}
    assert {e.status for e in created} == {EventStatus.PUBLISHED}
    async with db.transaction() as session:  # the form is closed: a second tap finds nothing
        assert await event_forms.create(session, 41, publish=True, tz=KYIV, now=now) is None
