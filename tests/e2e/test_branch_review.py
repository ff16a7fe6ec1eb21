"""Branch staff and the messages the bot sends them by itself: found by the review of
places and branches (issue 12). Names and phones of another branch's event never reach
a branch's staff member, whoever wrote the person down first."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from telegram.ext import Application

from bot.config import Config
from bot.services import registration, summary
from emulator import BotApiEmulator
from storage import phone_registrants
from storage.database import Database
from storage.models import Event, Notification, Person, Registration, Subscription
from tests.conftest import REMINDERS
from tests.e2e.conftest import Outbox, Updates
from tests.e2e.test_branch_staff import add_staff, branch_events, opened
from tests.e2e.test_phone_seats import _card, _write_down
from tests.factories import LIBRARIAN, make_event, make_person
from tests.places import CENTRAL, VERBIVKA, with_two_branches

pytestmark = [pytest.mark.usefixtures("app"), pytest.mark.staff]
CENTRAL_STAFF = 5300
VERBIVKA_STAFF = 5100


@pytest.fixture
def bot_config(bot_config: Config) -> Config:
    return with_two_branches(bot_config)


async def test_another_branchs_call_list_never_goes_to_who_first_wrote_the_caller_down(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
    outbox: Outbox,
    updates: Updates,
) -> None:
    """Марія phoned the central library once (its staff member wrote her down), then the
    Verbivka branch, whose staff member wrote her down again: the same person. The day
    before the Verbivka event its call list — names and phones — does not go to the
    central library's staff member, who is refused that event's buttons."""
    deps = app.bot_data["deps"]
    tz = deps.config.library.timezone
    now = datetime.now(UTC)
    day = now.astimezone(tz).date()
    noon = datetime.combine(day + timedelta(days=1), time(12, 0), tzinfo=tz)
    earlier = await make_event(db, now=now, starts_in=timedelta(days=5), title="У центрі")
    village = await make_event(db, now=now, starts_in=noon - now, capacity=5, title="У селі")
    async with db.transaction() as session:
        for event_id, branch in ((earlier.id, CENTRAL), (village.id, VERBIVKA)):
            row = await session.get(Event, event_id)
            assert row is not None
            row.branch_key = branch
        maria = await phone_registrants.add_person(
            session,
            name="Марія Коваль",
            category="library_users",
            phone="+380501112233",
            added_by=CENTRAL_STAFF,
            now=now,
        )
        await registration.register(
            session,
            event_id=earlier.id,
            person_id=maria.id,
            default_reminders=REMINDERS,
            now=now,
        )
    await add_staff(db, CENTRAL_STAFF, CENTRAL)
    await add_staff(db, VERBIVKA_STAFF, VERBIVKA)
    central, _ = await opened(emu, CENTRAL_STAFF, "Центральна")
    village_staff, _ = await opened(emu, VERBIVKA_STAFF, "Вербівчанка")
    written = await _write_down(
        village_staff, await _card(village_staff, village), "Марія Коваль", "+380501112233"
    )
    assert written.text.startswith("✅")
    await updates.idle(app, emu)
    village_staff.skip_pending()

    async with db.transaction() as session:
        await summary.queue_calls(session, day=day, tz=tz, admins=(LIBRARIAN,), now=now)
    await outbox.full_pass(app)
    told = [action.message.text for action in central.skip_pending()]
    assert not any("Марія" in (text or "") for text in told), told
    async with db.session() as session:
        statuses = await session.execute(
            select(Notification.status).where(
                Notification.kind == "calls", Notification.event_id == village.id
            )
        )
    assert "sent" not in set(statuses.scalars())


async def test_a_subscriber_of_a_branch_since_removed_hears_of_every_branch_as_the_screen_says(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
    updates: Updates,
) -> None:
    """Олена chose the Zhytnyky branch only; the library then took it out of the
    configuration. Her subscriptions screen marks no branch, which it says means every
    branch («Усі філії» marked), and so it is: she hears of the central library's event."""
    resident = emu.add_user(first_name="Олена", language_code="uk")
    person = await make_person(db, resident.id, now=datetime.now(UTC) - timedelta(days=1))
    async with db.transaction() as session:
        session.add(
            Subscription(
                person_id=person.id,
                kinds="",
                audiences="",
                branches="zhytnyky",
                created_at=datetime.now(UTC),
            )
        )
    await resident.send_command("/subscribe")
    screen = await resident.next_reply()
    assert "✅ 🏢 Усі філії" in screen.button_texts

    event = await make_event(
        db, now=datetime.now(UTC), starts_in=timedelta(days=3), title="Субсидії в центрі"
    )
    async with db.transaction() as session:
        row = await session.get(Event, event.id)
        assert row is not None
        row.branch_key = CENTRAL
    admin, menu = await opened(emu, LIBRARIAN, "Бібліотекарка")
    await admin.press_raw(menu, f"sean:{event.id}")
    await updates.idle(app, emu)
    told = [action.message.text or "" for action in admin.skip_pending()]
    assert not any("Жоден підписник" in text for text in told), told
    async with db.session() as session:
        queued = await session.execute(
            select(Notification.person_id).where(
                Notification.event_id == event.id, Notification.kind == "announcement"
            )
        )
    assert list(queued.scalars()) == [person.id]


async def test_a_branch_imports_the_training_another_branch_holds_at_the_same_hour(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
    updates: Updates,
) -> None:
    """The district's programme runs «Легальна зайнятість» at 14:00 in the central library
    and in Verbivka: the Verbivka file is not refused as a duplicate of the central
    library's event (nor told its number); the same file twice still is."""
    header = "title,kind,starts_at,ends_at,place,capacity,audience,program,description"
    day = (datetime.now(UTC).astimezone(ZoneInfo("Europe/Kyiv")) + timedelta(days=5)).strftime(
        "%d.%m.%Y"
    )
    admin, _ = await opened(emu, LIBRARIAN, "Бібліотекарка")
    await admin.send_document(
        f"{header}\nЛегальна зайнятість,training,{day} 14:00,,hall,20,,,\n".encode(), "центр.csv"
    )
    assert (await admin.next_reply()).text.startswith("Імпортовано 1 захід")
    await add_staff(db, VERBIVKA_STAFF, VERBIVKA)
    member, _ = await opened(emu, VERBIVKA_STAFF, "Вербівчанка")
    village = f"{header}\nЛегальна зайнятість,training,{day} 14:00,,club,20,,,\n".encode()
    await member.send_document(village, "вербівка.csv")
    answer = (await member.next_reply()).text
    assert answer.startswith("Імпортовано 1 захід"), answer
    async with db.session() as session:
        rows = (await session.execute(select(Event.branch_key).order_by(Event.id))).scalars()
        assert list(rows) == [CENTRAL, VERBIVKA]
    await member.send_document(village, "вербівка.csv")  # the same file again
    assert (await member.next_reply()).text.startswith("Нічого не імпортовано.")
    await updates.idle(app, emu)


async def test_a_forged_forget_of_another_branchs_caller_under_ones_own_event_is_refused(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
    updates: Updates,
) -> None:
    """«Видалити дані» carries the event and the person: a Verbivka staff member's own
    event with the number of someone the central library wrote down does not erase her."""
    central = await branch_events(db, CENTRAL, "в центрі", 911)
    own = await branch_events(db, VERBIVKA, "у Вербівці", 912)
    await add_staff(db, VERBIVKA_STAFF, VERBIVKA)
    member, menu = await opened(emu, VERBIVKA_STAFF, "Вербівчанка")
    for forged in ("pfq", "pfx"):
        query = await member.press_raw(menu, f"{forged}:{own['AHEAD']}:{central['PHONED']}")
        answer = (await member.callback_answer(query))["text"]
        assert answer != "Ім’я та телефон видалено."
    await updates.idle(app, emu)
    async with db.session() as session:
        row = await session.get(Person, central["PHONED"])
        taken = await session.execute(
            select(Registration.status).where(Registration.person_id == central["PHONED"])
        )
    assert row is not None and (row.full_name, row.phone) == ("Марія в центрі", "+380501112233")
    assert list(taken.scalars()) == ["confirmed"]  # her seat at the central event kept
