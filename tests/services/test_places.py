"""Places (issue 12): how an event's place reads, choosing a configured place by key or
name, and the CSV import and edits keying places, on a real database."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from bot.config import Config
from bot.domain.event_import import EventImportError
from bot.exports.report_xlsx import report_xlsx
from bot.i18n import Catalogs
from bot.services import event_admin, places, registration
from bot.services.importer import import_csv
from bot.services.places import Chosen, Where, where
from storage.database import Database
from storage.models import Event, Notification
from tests.conftest import REMINDERS
from tests.factories import make_event, make_person
from tests.places import READING_ROOM, VERBIVKA_CLUB, with_places
from tests.services.test_report import YEAR_START
from tests.services.test_report_files import build as build_report

KYIV = ZoneInfo("Europe/Kyiv")
HEADER = "title,kind,starts_at,ends_at,place,capacity,audience,program,description,reminders"


def _event(place: str, place_key: str | None) -> Event:
    return Event(place=place, place_key=place_key)


def test_a_configured_place_reads_in_the_readers_language_with_its_address(
    config: Config,
) -> None:
    config = with_places(config)
    event = _event("Читальна зала ЦРБ", "reading_room")
    assert where(config, event, "uk") == Where(
        "Читальна зала ЦРБ", "вул. Шевченка, 12", 49.533, 26.953
    )
    english = where(config, event, "en")
    assert english.name == "Reading room, central library" and english.located
    assert english.line == "Reading room, central library, вул. Шевченка, 12"
    village = where(config, _event("Вербівка, бібліотека-філія", "verbivka_club"), "uk")
    assert village.address.startswith("с. Вербівка") and not village.located


def test_a_one_off_place_or_one_no_longer_configured_reads_as_it_was_made(
    config: Config,
) -> None:
    typed = where(with_places(config), _event("Актова зала, 2 поверх", None), "en")
    assert typed == Where("Актова зала, 2 поверх") and typed.line == "Актова зала, 2 поверх"
    assert not typed.located
    # The reading room was removed from the configuration: the text kept at creation.
    removed = where(config, _event("Читальна зала ЦРБ", "reading_room"), "en")
    assert removed == Where("Читальна зала ЦРБ")


@pytest.mark.parametrize(
    ("typed", "branch", "chosen"),
    [
        ("reading_room", None, Chosen("Читальна зала ЦРБ", "reading_room", "central")),
        (
            "  reading   ROOM, central library ",
            None,
            Chosen("Читальна зала ЦРБ", "reading_room", "central"),
        ),
        (
            "вербівка, бібліотека-філія",
            "verbivka",
            Chosen("Вербівка, бібліотека-філія", "verbivka_club", "verbivka"),
        ),
        ("Актова зала", None, Chosen("Актова зала", None, None)),
        ("Актова зала", "verbivka", Chosen("Актова зала", None, "verbivka")),
    ],
)
def test_a_place_is_chosen_by_key_or_any_name_else_kept_as_typed(
    config: Config, typed: str, branch: str | None, chosen: Chosen
) -> None:
    assert places.choose(with_places(config), typed, staff_branch=branch) == chosen


def test_branch_staff_are_offered_their_branchs_places_only(config: Config) -> None:
    config = with_places(config)
    assert places.offered(config, None) == (READING_ROOM, VERBIVKA_CLUB)
    assert places.offered(config, "verbivka") == (VERBIVKA_CLUB,)
    assert places.elsewhere(config, "Читальна зала ЦРБ", staff_branch="verbivka") == READING_ROOM
    assert places.elsewhere(config, "Читальна зала ЦРБ", staff_branch=None) is None
    assert places.elsewhere(config, "verbivka_club", staff_branch="verbivka") is None
    assert places.elsewhere(config, "Актова зала", staff_branch="verbivka") is None


async def test_the_import_keys_a_named_place_and_gives_a_one_off_the_importers_branch(
    db: Database, config: Config, now: datetime
) -> None:
    data = (
        HEADER + "\n"
        'Перше,training,2026-04-01 10:00,,"reading room, central library",,,,,\n'
        "Друге,training,2026-04-02 10:00,,verbivka_club,,,,,\n"
        "Третє,training,2026-04-03 10:00,,Клуб с. Вербівка,,,,,\n"
    )
    async with db.transaction() as session:
        created = await import_csv(
            session,
            data.encode(),
            kinds={"training": "training"},
            tz=KYIV,
            now=now,
            config=with_places(config),
        )
    assert [(e.place, e.place_key, e.branch_key) for e in created] == [
        ("Читальна зала ЦРБ", "reading_room", "central"),
        ("Вербівка, бібліотека-філія", "verbivka_club", "verbivka"),
        ("Клуб с. Вербівка", None, None),  # an administrator's: the whole library
    ]
    branch_staff = (HEADER + "\nЧетверте,training,2026-04-04 10:00,,Клуб,,,,,\n").encode()
    async with db.transaction() as session:
        (mine,) = await import_csv(
            session,
            branch_staff,
            kinds={"training": "training"},
            tz=KYIV,
            now=now,
            config=with_places(config),
            staff_branch="verbivka",
        )
    assert (mine.place_key, mine.branch_key) == (None, "verbivka")


async def test_branch_staff_cannot_import_another_branchs_place(
    db: Database, config: Config, now: datetime
) -> None:
    data = (HEADER + "\nПерше,training,2026-04-01 10:00,,reading_room,,,,,\n").encode()
    with pytest.raises(EventImportError) as caught:
        async with db.transaction() as session:
            await import_csv(
                session,
                data,
                kinds={"training": "training"},
                tz=KYIV,
                now=now,
                config=with_places(config),
                staff_branch="verbivka",
            )
    (problem,) = caught.value.problems
    assert (problem.row, problem.code, problem.column) == (2, "place_other_branch", "place")
    async with db.session() as session:
        assert (await session.execute(select(Event))).first() is None


async def test_without_places_the_import_keeps_the_text(db: Database, now: datetime) -> None:
    data = (HEADER + "\nПерше,training,2026-04-01 10:00,,reading_room,,,,,\n").encode()
    async with db.transaction() as session:
        (event,) = await import_csv(session, data, kinds={"training": "training"}, tz=KYIV, now=now)
    assert (event.place, event.place_key, event.branch_key) == ("reading_room", None, None)


async def test_a_new_place_brings_its_branch_and_registrants_hear_what_it_was(
    db: Database, config: Config, now: datetime
) -> None:
    config = with_places(config)
    event = await make_event(db, now=now)
    person = await make_person(db, 501, now=now)
    async with db.transaction() as session:
        await registration.register(
            session, event_id=event.id, person_id=person.id, default_reminders=REMINDERS, now=now
        )
    room = places.choose(config, "reading_room", staff_branch=None)
    async with db.transaction() as session:
        result = await event_admin.update_event(
            session,
            event.id,
            event_admin.Changes(
                place=room.place, place_key=room.place_key, branch_key=room.branch_key
            ),
            default_reminders=REMINDERS,
            now=now + timedelta(minutes=1),
        )
    assert result.notified == 1
    assert (result.event.place_key, result.event.branch_key) == ("reading_room", "central")
    # A one-off place again, chosen by a village branch's librarian: their branch now.
    typed = places.choose(config, "Клуб", staff_branch="verbivka")
    async with db.transaction() as session:
        result = await event_admin.update_event(
            session,
            event.id,
            event_admin.Changes(
                place=typed.place, place_key=typed.place_key, branch_key=typed.branch_key
            ),
            default_reminders=REMINDERS,
            now=now + timedelta(minutes=2),
        )
    assert (result.event.place, result.event.place_key, result.event.branch_key) == (
        "Клуб",
        None,
        "verbivka",
    )
    async with db.session() as session:
        payloads = (
            await session.execute(
                select(Notification.payload)
                .where(Notification.kind == "changed")
                .order_by(Notification.id)
            )
        ).scalars()
        told = [json.loads(p) for p in payloads]
    assert told == [
        {"place": "Читальна зала"},
        {"place": "Читальна зала ЦРБ", "place_key": "reading_room"},
    ]


async def test_the_report_workbook_names_the_configured_place(db: Database, config: Config) -> None:
    event = await make_event(db, now=YEAR_START, starts_in=timedelta(days=10))
    await make_event(db, now=YEAR_START, starts_in=timedelta(days=11), title="Деінде")
    async with db.transaction() as session:
        await session.execute(
            update(Event).where(Event.id == event.id).values(place_key="reading_room")
        )
    english = Catalogs().get("en")
    book = load_workbook(
        io.BytesIO(report_xlsx(with_places(config), english, await build_report(db)))
    )
    places_column = [row[4] for row in book["Events"].iter_rows(min_row=2, values_only=True)]
    assert places_column == ["Reading room, central library", "Читальна зала"]
