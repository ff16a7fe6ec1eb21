"""Every staff command and every staff button, as the bot registers them, is refused for
a resident: forged callback data included, and nothing changes in the database.

The lists are taken from the running application, so a new staff button without a
forged sample here fails ``test_every_staff_handler_has_a_sample``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.services import programs, registration, staff
from emulator import BotApiEmulator
from storage import phone_registrants
from storage.database import Database
from storage.models import (
    Event,
    Notification,
    Person,
    Program,
    Registration,
    StaffDialog,
    StaffInvite,
    StaffMember,
    WalkIn,
)
from tests.conftest import REMINDERS
from tests.e2e.conftest import Updates, event_in
from tests.factories import LIBRARIAN, make_person

pytestmark = pytest.mark.staff
COLLEAGUE = 778
RESIDENT = 4242
REFUSALS = {
    "Ця команда — для працівників бібліотеки.",
    "Це — для адміністраторів бібліотеки.",
}
STAFF_MODULES = {
    "handlers.attendance",
    "handlers.event_edit",
    "handlers.new_event",
    "handlers.phone_registrants",
    "handlers.programs",
    "handlers.report",
    "handlers.staff_admin",
    "handlers.staff_events",
    "handlers.summary",
}
# For everyone: /events gives residents their own list (tests/e2e/test_staff_events.py),
# /cancel gives them the help, as any unknown command does.
OPEN_TO_ALL = {"cancel", "events"}

# {EVENT}, {PERSON}, {STAFF} and {INVITE} are the ids of a real event, its registrant, a
# staff member and an invitation, so a refusal cannot be mistaken for "not found";
# {AHEAD} is an upcoming event and {PHONED} someone staff wrote down for it.
COMMANDS = [
    "/newevent",
    "/programs",
    "/newprogram",
    "/attendance {EVENT}",
    "/report",
    "/report 2026",
    "/staff",
    "/staff add {RESIDENT}",
    "/staff remove {STAFF}",
    "/summary",
]
BUTTONS = {
    "atp": "atp:{EVENT}:0",
    "att": "att:{EVENT}:{PERSON}:0",
    "atall": "atall:{EVENT}",
    "wk": "wk:{EVENT}:ngo_activists:+",
    "ne:step": "ne:kind:training",
    "ne:x": "ne:x",
    "sed": "sed:{EVENT}",
    "sef": "sef:{EVENT}:place",
    "eda": "eda:{EVENT}:cap:none",
    "edx": "edx:{EVENT}",
    "serw": "serw:{EVENT}",
    "pgs": "pgs",
    "pg": "pg:{PROGRAM}",
    "pg:new": "pg:new",
    "pgf": "pgf:{PROGRAM}:name",
    "pga": "pga:{PROGRAM}:link:clear",
    "np": "np:purpose:skip",
    "np:x": "np:x",
    "stf": "stf",
    "stf:inv": "stf:inv",
    "stf:add": "stf:add:{RESIDENT}",
    "stf:rm": "stf:rm:{STAFF}",
    "stf:rmy": "stf:rmy:{STAFF}",
    "stf:rv": "stf:rv:{INVITE}",
    "stf:br": "stf:br:{STAFF}",
    "stf:sb": "stf:sb:{STAFF}:*",
    "stf:ib": "stf:ib:*",
    "sevs": "sevs:0",
    "sev": "sev:{EVENT}",
    "sepb": "sepb:{EVENT}",
    "secq": "secq:{EVENT}",
    "secx": "secx:{EVENT}",
    "sean": "sean:{EVENT}",
    "serg:c": "serg:{EVENT}:c",
    "serg:x": "serg:{EVENT}:x",
    "sept": "sept:{EVENT}",
    "sesl": "sesl:{EVENT}",
    "sdq": "sdq:{EVENT}",
    "sdx": "sdx:{EVENT}",
    "pva": "pva:{AHEAD}",
    "pvc": "pvc:{AHEAD}:library_users",
    "pvs": "pvs:{AHEAD}",
    "pvx": "pvx:{AHEAD}",
    "pcl": "pcl:{AHEAD}",
    "pcp": "pcp:{AHEAD}:{PHONED}",
    "pct": "pct:{AHEAD}:{PHONED}",
    "pcq": "pcq:{AHEAD}:{PHONED}",
    "pcx": "pcx:{AHEAD}:{PHONED}",
    "pfq": "pfq:{AHEAD}:{PHONED}",
    "pfx": "pfx:{AHEAD}:{PHONED}",
    "sum": "sum:on",
    "suma": "suma:{EVENT}",
    "sumc": "sumc:{EVENT}",
    "rpb": "rpb:*:20260101:20261231:0",
}


def staff_handlers(app: Application) -> tuple[set[str], list[re.Pattern[str]]]:  # type: ignore[type-arg]
    commands: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for group in app.handlers.values():
        for handler in group:
            module = getattr(handler.callback, "__module__", "")
            if module not in STAFF_MODULES:
                continue
            if isinstance(handler, CommandHandler):
                commands |= set(handler.commands) - OPEN_TO_ALL
            elif isinstance(handler, CallbackQueryHandler):
                pattern = handler.pattern
                assert isinstance(pattern, re.Pattern), handler
                patterns.append(pattern)
    return commands, patterns


def test_every_staff_handler_has_a_sample(app: Application) -> None:  # type: ignore[type-arg]
    commands, patterns = staff_handlers(app)
    assert commands == {c.split()[0][1:] for c in COMMANDS}
    samples = [
        s.format(EVENT=1, PERSON=2, STAFF=3, RESIDENT=4, INVITE=5, PHONED=6, AHEAD=7, PROGRAM=8)
        for s in BUTTONS.values()
    ]
    for pattern in patterns:
        assert any(pattern.match(s) for s in samples), f"no forged sample for {pattern.pattern}"
    for sample in samples:
        assert any(p.match(sample) for p in patterns), f"{sample} matches no staff button"


async def snapshot(db: Database) -> dict[str, list[Any]]:
    """What a refused press must leave as it was."""
    tables = {
        "event": select(Event.id, Event.title, Event.status, Event.place, Event.capacity),
        "registration": select(Registration.id, Registration.status, Registration.attended),
        "walk_in": select(WalkIn.event_id, WalkIn.category, WalkIn.count),
        "staff": select(StaffMember.telegram_id),
        "person": select(
            Person.id, Person.full_name, Person.phone, Person.telegram_id, Person.morning_summary
        ),
        "invite": select(StaffInvite.token_hash),
        "dialog": select(StaffDialog.telegram_id, StaffDialog.state),
        "outbox": select(Notification.id, Notification.status),
        "program": select(Program.id, Program.name, Program.link),
    }
    async with db.session() as session:
        return {
            name: sorted(tuple(row) for row in (await session.execute(stmt)).all())
            for name, stmt in tables.items()
        }


async def test_a_resident_is_refused_every_staff_command_and_button(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
    updates: Updates,
) -> None:
    event = await event_in(db, days=-0.1, title="Тренінг для бібліотекарів")
    person = await make_person(db, 999, now=event.created_at, name="Олена Петренко")
    async with db.transaction() as session:
        await registration.register(
            session,
            event_id=event.id,
            person_id=person.id,
            default_reminders=REMINDERS,
            now=event.starts_at - timedelta(hours=1),
        )
        session.add(
            StaffMember(
                telegram_id=COLLEAGUE, name="Колега", added_by=LIBRARIAN, added_at=event.created_at
            )
        )
        link = await staff.invite(session, created_by=LIBRARIAN, now=datetime.now(UTC))
        program = await programs.create(
            session, name="Поінформована громада", link="https://a", now=datetime.now(UTC)
        )
    # Someone who phoned, written down by the librarian and promoted from the waiting list:
    # a resident may neither see, tell, cancel nor forget them.
    ahead = await event_in(db, days=2, capacity=1, title="Субсидії")
    async with db.transaction() as session:
        phoned = await phone_registrants.add_person(
            session,
            name="Марія Коваль",
            category="library_users",
            phone="+380501112233",
            added_by=LIBRARIAN,
            now=datetime.now(UTC),
        )
        for person_id in (person.id, phoned.id):
            await registration.register(
                session,
                event_id=ahead.id,
                person_id=person_id,
                default_reminders=REMINDERS,
                now=datetime.now(UTC),
            )
        await registration.cancel(
            session,
            event_id=ahead.id,
            person_id=person.id,
            default_reminders=REMINDERS,
            now=datetime.now(UTC),
        )
    ids = {
        "PROGRAM": program.id,
        "EVENT": event.id,
        "PERSON": person.id,
        "STAFF": COLLEAGUE,
        "RESIDENT": RESIDENT,
        "INVITE": link.id,
        "PHONED": phoned.id,
        "AHEAD": ahead.id,
    }
    resident = emu.add_user(first_name="Мешканець", user_id=RESIDENT)
    before = await snapshot(db)

    for command in COMMANDS:
        await resident.send_command(command.format(**ids))
        reply = await resident.next_reply()
        assert reply.text in REFUSALS, (command, reply.text)
        assert "Олена" not in reply.text and "Марія" not in reply.text

    await resident.send_command("/start")
    menu = await resident.next_reply()
    for name, data in BUTTONS.items():
        query = await resident.press_raw(menu.message_id, data.format(**ids))
        answer = await resident.callback_answer(query)
        assert answer["text"] in REFUSALS, (name, answer)
    await updates.idle(app, emu)
    # No message: a pop-up only, nobody's name shown (short: the bot is idle, all done).
    await resident.expect_silence(0.05)

    assert await snapshot(db) == before
