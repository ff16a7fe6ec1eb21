"""The project report reproduces the seed report's figures, counted in SQL."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config import Config
from bot.exports.report_text import report_text
from bot.i18n import Catalogs
from bot.services import attendance, registration, report
from storage.database import Database
from storage.models import Event, Program
from tests.conftest import REMINDERS
from tests.factories import make_event, make_person
from tests.services.test_staff_events import statements

PROGRAM = "Поінформована громада"
KINDS = ["training"] * 7 + ["seminar"] * 2 + ["practical", "campaign"]
CAME = [9, 9, 9, 8, 8, 8, 8, 9, 9, 8, 3]  # the information campaign also had 5 walk-ins
CATEGORIES = ["library_specialists", "library_users", "government", "ngo_activists"]
YEAR_START = datetime(2026, 1, 1, tzinfo=ZoneInfo("Europe/Kyiv"))  # as /report 2026 gives it
YEAR_END = YEAR_START.replace(year=2027)


async def make_program(db: Database, name: str = PROGRAM, **details: object) -> int:
    """A programme row, as the programmes' screens would write it; its id."""
    async with db.transaction() as session:
        row = Program(name=name, created_at=YEAR_START - timedelta(days=60), **details)
        session.add(row)
        await session.flush()
        return row.id


async def set_program(db: Database, event_id: int, program_id: int | None) -> None:
    async with db.transaction() as session:
        row = await session.get(Event, event_id)
        assert row is not None
        row.program_id = program_id


async def seed(db: Database) -> tuple[Counter[str], set[int]]:
    """The programme of the seed report: 11 events, 93 attendances (88 registered + 5 walk-ins)."""
    created = YEAR_START - timedelta(days=30)
    program_id = await make_program(db)
    people = [await make_person(db, 500 + i, now=created) for i in range(40)]
    for i, person in enumerate(people):
        async with db.transaction() as session:
            row = await session.get(type(person), person.id)
            assert row is not None
            row.category = CATEGORIES[i % 4]
    expected: Counter[str] = Counter()
    attendees: set[int] = set()
    cursor = 0
    for n, (kind, came) in enumerate(zip(KINDS, CAME, strict=True)):
        event = await make_event(
            db,
            now=created,
            starts_in=timedelta(days=40 + 20 * n),
            kind=kind,
            capacity=None,
            title=f"Захід {n + 1}",
        )
        await set_program(db, event.id, program_id)
        for _ in range(came + 1):  # one more registers than comes
            person = people[cursor % len(people)]
            cursor += 1
            async with db.transaction() as session:
                await registration.register(
                    session,
                    event_id=event.id,
                    person_id=person.id,
                    default_reminders=REMINDERS,
                    now=created,
                )
        async with db.transaction() as session:
            await attendance.everyone_came(session, event_id=event.id)
            await attendance.mark(session, event_id=event.id, person_id=person.id, came=False)
        for back in range(came):
            p = people[(cursor - 2 - back) % len(people)]
            expected[CATEGORIES[people.index(p) % 4]] += 1
            attendees.add(p.id)
        if kind == "campaign":
            async with db.transaction() as session:
                await attendance.add_walk_ins(
                    session, event_id=event.id, category="ngo_activists", delta=6
                )
                await attendance.add_walk_ins(
                    session, event_id=event.id, category="ngo_activists", delta=-1
                )
            expected["ngo_activists"] += 5
    return expected, attendees


async def test_the_seed_reports_figures_in_correct_ukrainian(db: Database, config: Config) -> None:
    expected, attendees = await seed(db)
    # Outside the report: another year, a cancelled event, another project (not marked).
    await make_event(
        db, now=YEAR_START + timedelta(days=400), kind="training", title="Наступного року"
    )
    cancelled = await make_event(
        db, now=YEAR_START, starts_in=timedelta(days=5), title="Скасований"
    )
    async with db.transaction() as session:
        row = await session.get(Event, cancelled.id)
        assert row is not None
        row.status = "cancelled"
    other = await make_event(db, now=YEAR_START, starts_in=timedelta(days=6), title="Інший проєкт")

    async with db.session() as session:
        with statements(db) as seen:
            result = await report.build(
                session,
                start=YEAR_START,
                end=YEAR_END,
                now=YEAR_END,
                program_name=PROGRAM.upper(),  # any letter case
            )
        everything = await report.build(session, start=YEAR_START, end=YEAR_END, now=YEAR_END)
    # The programme by name, the events, attendance (registered, walk-ins), people once,
    # the programme's details, the feedback's figures and comments: the totals are sums
    # of the per-event counts, not queries.
    assert len(seen) == 8
    assert (result.held, result.trained) == (11, 93)
    assert result.by_kind == {"training": 7, "seminar": 2, "practical": 1, "campaign": 1}
    assert sum(result.by_kind_category.values()) == 93
    assert {k for k, _ in result.by_kind_category} == set(result.by_kind)
    assert result.trained_by_category == dict(expected)
    assert result.distinct_people == len(attendees)

    text = report_text(config, Catalogs().get("uk"), result)
    labels = {
        "library_specialists": "бібліотечні фахівці",
        "library_users": "користувачі бібліотеки",
        "government": "представники влади",
        "ngo_activists": "активісти громадських організацій",
    }
    assert (
        "Проведено 11 заходів: 7 тренінгів, 2 семінари, 1 практичне заняття, 1 інформаційну акцію."
        in text
    )
    assert (
        "Навчання пройшли 93 особи, серед яких: "
        + ", ".join(f"{labels[c]} — {expected[c]}" for c in CATEGORIES)
        + "."
    ) in text
    assert f"Зареєстрованих учасників, кожного враховано один раз: {len(attendees)}." in text
    assert text.startswith("Звіт за 01.01.2026 – 31.12.2026\nПроєкт: Поінформована громада\n")
    assert ": записалися 4, прийшли 3, без реєстрації 5" in text  # the campaign's line

    assert everything.held == 12
    unmarked = [line for line in everything.events if line.event_id == other.id]
    assert len(unmarked) == 1 and not unmarked[0].marked
    assert "Інший проєкт: записалися 0, відвідування не позначено" in report_text(
        config, Catalogs().get("uk"), everything
    )
    english = report_text(config, Catalogs().get("en"), result)
    assert (
        "11 events were held: 7 trainings, 2 seminars, 1 practical session, 1 information campaign. 93 people were trained, among them: library specialists"
        in english
    )
