"""Programmes: created, listed with their events, found by name, changed a field at a time;
events tied to one; the import names them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.event_import import EventImportError
from bot.domain.program_form import ProgramAnswers, ProgramStep
from bot.services import event_admin, programs, staff_events
from bot.services.event_admin import Changes
from bot.services.importer import import_csv
from bot.services.programs import ProgramExistsError, ProgramNotFoundError, ProgramPeriodError
from storage import programs as program_storage
from storage.database import Database
from tests.conftest import REMINDERS
from tests.factories import make_event

KYIV = ZoneInfo("Europe/Kyiv")
HEADER = "title,kind,starts_at,ends_at,place,capacity,audience,program,description"


async def test_a_programme_keeps_every_field(db: Database, now: datetime) -> None:
    async with db.transaction() as session:
        created = await programs.create(
            session,
            name="  Поінформована   громада ",
            purpose="Проект створено для…\nДругий рядок",
            frame="що є частиною програми «…», реалізується за сприяння …",
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 11, 30),
            link="https://library.example/news",
            signer_position="Директор\nКЗ «Волочиська ЦРБ»",
            signer_name="Ірина ГАВРИЛЮК",
            now=now,
        )
    async with db.session() as session:
        found = await programs.get(session, created.id)
    assert found.name == "Поінформована громада"  # trimmed, inner spaces folded
    assert (found.starts_on, found.ends_on) == (date(2026, 3, 1), date(2026, 11, 30))
    assert found.signer_position == "Директор\nКЗ «Волочиська ЦРБ»"
    assert found.purpose.endswith("Другий рядок")


async def test_a_name_is_taken_once_whatever_its_case(db: Database, now: datetime) -> None:
    async with db.transaction() as session:
        await programs.create(session, name="Поінформована громада", now=now)
    with pytest.raises(ProgramExistsError) as caught:
        async with db.transaction() as session:
            await programs.create(session, name=" поінформована ГРОМАДА", now=now)
    assert caught.value.name == "Поінформована громада"
    async with db.session() as session:
        assert len(await programs.listing(session)) == 1


async def test_a_name_taken_after_the_check_is_refused_by_the_database(
    db: Database, now: datetime
) -> None:
    """Two librarians add the same name at once: both checks found none, the unique
    constraint lets one in, and the other's transaction goes on (a savepoint)."""
    async with db.transaction() as session:
        assert await program_storage.add(session, name="Цифрова грамотність", now=now)
    async with db.transaction() as session:
        assert await program_storage.add(session, name="Цифрова грамотність", now=now) is None
        assert await program_storage.add(session, name="Інша", now=now) is not None
    async with db.session() as session:
        assert sorted((await programs.names(session)).values()) == [
            "Інша",
            "Цифрова грамотність",
        ]


async def test_a_rename_to_a_name_taken_after_the_check_is_refused_politely(
    db: Database, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another librarian took the name after the check found it free: the unique
    constraint refuses the rename inside a savepoint, and the transaction goes on."""
    async with db.transaction() as session:
        first = await programs.create(session, name="Цифрова грамотність", now=now)
        second = await programs.create(session, name="Інша", now=now)

    async def found_free(*_args: object, **_kwargs: object) -> None:
        return None  # the check ran before the other librarian's insert

    monkeypatch.setattr(programs, "_check_free", found_free)
    async with db.transaction() as session:
        with pytest.raises(ProgramExistsError) as refused:
            await programs.edit(session, second.id, ProgramStep.NAME, first.name)
        assert refused.value.name == first.name
        assert await programs.names(session) == {first.id: first.name, second.id: "Інша"}
        renamed = await programs.edit(session, second.id, ProgramStep.LINK, "bibl.example")
        assert (renamed.name, renamed.link) == ("Інша", "bibl.example")


async def test_find_is_case_insensitive_and_trimmed(db: Database, now: datetime) -> None:
    async with db.transaction() as session:
        made = await programs.create(session, name="Поінформована громада", now=now)
        await programs.create(session, name="Цифрова грамотність", now=now)
    async with db.session() as session:
        found = await programs.find(session, "  ПОІНФОРМОВАНА  громада ")
        assert found is not None and found.id == made.id
        assert await programs.find(session, "Поінформована") is None


async def test_a_period_must_not_end_before_it_starts(db: Database, now: datetime) -> None:
    with pytest.raises(ProgramPeriodError):
        async with db.transaction() as session:
            await programs.create(
                session, name="P", starts_on=date(2026, 5, 1), ends_on=date(2026, 4, 1), now=now
            )
    async with db.transaction() as session:
        made = await programs.create(session, name="P", now=now)
    with pytest.raises(ProgramPeriodError):
        async with db.transaction() as session:
            await programs.edit(
                session, made.id, ProgramStep.PERIOD, (date(2026, 5, 1), date(2026, 4, 1))
            )


async def test_the_list_counts_each_programmes_events(db: Database, now: datetime) -> None:
    async with db.transaction() as session:
        first = await programs.create(session, name="Б програма", now=now)
        second = await programs.create(session, name="А програма", now=now)
        await programs.create(session, name="В порожня", now=now)
    ids = []
    for n in range(4):
        event = await make_event(db, now=now, starts_in=timedelta(days=n + 1), title=f"E{n}")
        ids.append(event.id)
    async with db.transaction() as session:
        for event_id, program in zip(ids, [first, first, second, None], strict=True):
            if program is not None:
                await event_admin.update_event(
                    session,
                    event_id,
                    Changes(program_id=program.id),
                    default_reminders=REMINDERS,
                    now=now,
                )
        await event_admin.cancel_event(session, ids[1], now=now)  # cancelled: not counted
    async with db.session() as session:
        listing = await programs.listing(session)
    assert [(s.program.name, s.events) for s in listing] == [
        ("А програма", 1),
        ("Б програма", 1),
        ("В порожня", 0),
    ]


async def test_editing_changes_one_field_and_clears_with_nothing(
    db: Database, now: datetime
) -> None:
    async with db.transaction() as session:
        made = await programs.create_from(
            session,
            ProgramAnswers(name="P", link="https://a", period=(date(2026, 1, 1), date(2026, 2, 1))),
            now=now,
        )
        other = await programs.create(session, name="Q", now=now)
    async with db.transaction() as session:
        await programs.edit(session, made.id, ProgramStep.SIGNER, "Ірина ГАВРИЛЮК")
        await programs.edit(session, made.id, ProgramStep.LINK, None)
        await programs.edit(session, made.id, ProgramStep.PERIOD, None)
        await programs.edit(session, made.id, ProgramStep.NAME, "p")  # its own name, recased
    async with db.session() as session:
        found = await programs.get(session, made.id)
    assert (found.name, found.signer_name, found.link) == ("p", "Ірина ГАВРИЛЮК", "")
    assert (found.starts_on, found.ends_on) == (None, None)
    with pytest.raises(ProgramExistsError):
        async with db.transaction() as session:
            await programs.edit(session, other.id, ProgramStep.NAME, "P")
    with pytest.raises(ProgramNotFoundError):
        async with db.session() as session:
            await programs.get(session, 999)


async def test_an_event_is_tied_to_one_programme_and_shows_its_name(
    db: Database, now: datetime
) -> None:
    async with db.transaction() as session:
        made = await programs.create(session, name="Поінформована громада", now=now)
    event = await make_event(db, now=now)
    async with db.transaction() as session:
        await event_admin.update_event(
            session, event.id, Changes(program_id=made.id), default_reminders=REMINDERS, now=now
        )
    async with db.session() as session:
        card = await staff_events.card(session, event_id=event.id)
        page = await staff_events.page(session, number=0, now=now)
    assert card.figures.event.program_id == made.id
    assert card.figures.program == "Поінформована громада"
    assert [f.program for f in page.items] == ["Поінформована громада"]
    with pytest.raises(ProgramNotFoundError):
        async with db.transaction() as session:
            await event_admin.update_event(
                session, event.id, Changes(program_id=999), default_reminders=REMINDERS, now=now
            )
    async with db.transaction() as session:
        await event_admin.update_event(
            session, event.id, Changes(no_program=True), default_reminders=REMINDERS, now=now
        )
    async with db.session() as session:
        card = await staff_events.card(session, event_id=event.id)
    assert (card.figures.event.program_id, card.figures.program) == (None, None)


async def test_the_report_lines_wording_is_set_and_cleared(db: Database, now: datetime) -> None:
    event = await make_event(db, now=now)
    async with db.transaction() as session:
        await event_admin.update_event(
            session,
            event.id,
            Changes(report_label="практикум-тренінг", partner="центром зайнятості населення"),
            default_reminders=REMINDERS,
            now=now,
        )
    async with db.transaction() as session:
        await event_admin.update_event(
            session, event.id, Changes(partner=""), default_reminders=REMINDERS, now=now
        )
    async with db.session() as session:
        found = await event_admin.get_event(session, event.id)
    assert (found.report_label, found.partner, found.report_title) == (
        "практикум-тренінг",
        None,
        None,
    )


async def test_the_import_names_a_known_programme_and_refuses_an_unknown_one(
    db: Database, now: datetime
) -> None:
    async with db.transaction() as session:
        made = await programs.create(session, name="Поінформована громада", now=now)
        await programs.create(session, name="Цифрова грамотність", now=now)
    good = (
        HEADER + ",report_label,partner\n"
        "Перше,training,2026-04-01 10:00,,Зала,,,поінформована громада ,,"
        "практикум-тренінг,центром зайнятості населення\n"
        "Друге,training,2026-04-02 10:00,,Зала,,,,,,\n"
    ).encode()
    async with db.transaction() as session:
        created = await import_csv(session, good, kinds={"training": "training"}, tz=KYIV, now=now)
    assert [e.program_id for e in created] == [made.id, None]
    assert (created[0].report_label, created[0].partner) == (
        "практикум-тренінг",
        "центром зайнятості населення",
    )
    typo = (HEADER + "\nТретє,training,2026-04-03 10:00,,Зала,,,Поінформованна громада,\n").encode()
    with pytest.raises(EventImportError) as caught:
        async with db.transaction() as session:
            await import_csv(session, typo, kinds={"training": "training"}, tz=KYIV, now=now)
    (problem,) = caught.value.problems
    assert (problem.row, problem.code, problem.column) == (2, "unknown_program", "program")
    assert problem.params["known"] == "«Поінформована громада», «Цифрова грамотність»"
    async with db.session() as session:
        # Nothing was stored, and the typo made no programme.
        assert len(await programs.listing(session)) == 2
