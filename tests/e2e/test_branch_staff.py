"""Staff of a branch, end to end: they manage their branch's events and are refused every
other one exactly as a resident is refused a staff button (forged buttons and typed
commands too); administrators and staff of the whole library manage everything. The
branch is given in /staff or by an invitation for a branch.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from telegram.ext import Application

from bot.config import Config
from bot.services import registration, staff
from emulator import BotApiEmulator, SimUser
from storage import phone_registrants
from storage.database import Database
from storage.models import Event, Program, Registration, StaffMember
from tests.conftest import REMINDERS
from tests.e2e.conftest import Updates, event_in
from tests.e2e.test_staff_access import BUTTONS, snapshot
from tests.factories import LIBRARIAN, make_person
from tests.places import CENTRAL, VERBIVKA, with_two_branches

pytestmark = pytest.mark.staff
STAFF_ONLY = "Ця команда — для працівників бібліотеки."
VERBIVKA_STAFF = 5100  # staff of the Verbivka branch
COLLEAGUE = 5200  # staff of the whole library
# Every staff button that acts on an event (test_staff_access.py keeps the list complete),
# and the door code's two, which that module leaves to tests/e2e/test_door_check_in.py.
EVENT_BUTTONS = {
    name: data for name, data in BUTTONS.items() if "{EVENT}" in data or "{AHEAD}" in data
} | {"sdc": "sdc:{EVENT}", "sdn": "sdn:{AHEAD}"}
COMMANDS = ["/attendance {EVENT}", "/attendance {AHEAD}"]


@pytest.fixture
def bot_config(bot_config: Config) -> Config:
    return with_two_branches(bot_config)


async def branch_events(
    db: Database, branch: str | None, tag: str, first_id: int
) -> dict[str, int]:
    """A branch's event that began a moment ago with a registrant (for attendance), and one
    in two days with someone staff wrote down by phone: the ids the button samples name."""
    event = await event_in(db, days=-0.1, title=f"Тренінг {tag}")
    ahead = await event_in(db, days=2, title=f"Субсидії {tag}")
    person = await make_person(db, first_id, now=event.created_at, name=f"Олена {tag}")
    async with db.transaction() as session:
        await session.execute(
            update(Event).where(Event.id.in_((event.id, ahead.id))).values(branch_key=branch)
        )
        await registration.register(
            session,
            event_id=event.id,
            person_id=person.id,
            default_reminders=REMINDERS,
            now=event.starts_at - timedelta(hours=1),
        )
        phoned = await phone_registrants.add_person(
            session,
            name=f"Марія {tag}",
            category="library_users",
            phone="+380501112233",
            added_by=LIBRARIAN,
            now=datetime.now(UTC),
        )
        await registration.register(
            session,
            event_id=ahead.id,
            person_id=phoned.id,
            default_reminders=REMINDERS,
            now=datetime.now(UTC),
        )
    return {"EVENT": event.id, "PERSON": person.id, "AHEAD": ahead.id, "PHONED": phoned.id}


async def add_staff(db: Database, telegram_id: int, branch: str | None) -> None:
    async with db.transaction() as session:
        session.add(
            StaffMember(
                telegram_id=telegram_id,
                name="Працівниця",
                added_by=LIBRARIAN,
                added_at=datetime.now(UTC),
                branch_key=branch,
            )
        )


async def opened(emu: BotApiEmulator, user_id: int, name: str) -> tuple[SimUser, int]:
    """Someone who opened the bot, and the message id of its greeting (to press under)."""
    user = emu.add_user(first_name=name, user_id=user_id)
    await user.send_command("/start")
    return user, (await user.next_reply()).message_id


async def answers(user: SimUser, message_id: int, ids: dict[str, int]) -> dict[str, str | None]:
    """Press every event button for these events: each pop-up's text (None: no pop-up)."""
    found: dict[str, str | None] = {}
    for name, data in EVENT_BUTTONS.items():
        query = await user.press_raw(message_id, data.format(**ids))
        found[name] = (await user.callback_answer(query, timeout=30))["text"]
    return found


async def typed(user: SimUser, ids: dict[str, int]) -> list[str]:
    replies = []
    for command in COMMANDS:
        await user.send_command(command.format(**ids))
        replies.append((await user.next_reply()).text)
    return replies


async def test_branch_staff_are_refused_other_branches_events_as_residents_are(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
    updates: Updates,
) -> None:
    central = await branch_events(db, CENTRAL, "в центрі", 901)
    everyone = await branch_events(db, None, "для всіх", 902)  # an admin's one-off place
    await add_staff(db, VERBIVKA_STAFF, VERBIVKA)
    member, menu = await opened(emu, VERBIVKA_STAFF, "Вербівчанка")
    before = await snapshot(db)

    for ids in (central, everyone):
        assert await answers(member, menu, ids) == dict.fromkeys(EVENT_BUTTONS, STAFF_ONLY)
        assert await typed(member, ids) == [STAFF_ONLY] * len(COMMANDS)
    await updates.idle(app, emu)
    # Refused with a pop-up only: no card, no file, nobody's name.
    await member.expect_silence(0.05)
    assert await snapshot(db) == before


async def test_branch_staff_manage_their_own_branchs_events(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
    updates: Updates,
) -> None:
    own = await branch_events(db, VERBIVKA, "у Вербівці", 903)
    await add_staff(db, VERBIVKA_STAFF, VERBIVKA)
    member, menu = await opened(emu, VERBIVKA_STAFF, "Вербівчанка")

    # The card, the registrants' file, a mark of attendance, the door code: done.
    await member.press_raw(menu, f"sev:{own['EVENT']}")
    assert "Тренінг у Вербівці" in (await member.next_reply()).text
    await member.press_raw(menu, f"serg:{own['EVENT']}:c")
    registrants = await member.next_reply()
    assert registrants.document is not None
    assert "Олена у Вербівці" in registrants.document.data.decode("utf-8-sig")
    await member.press_raw(menu, f"att:{own['EVENT']}:{own['PERSON']}:0")
    assert "Прийшли: 1 із 1 записаних" in (await member.next_reply()).text
    async with db.session() as session:
        came = select(Registration.attended).where(Registration.event_id == own["EVENT"])
        assert (await session.execute(came)).scalar_one() is True
    await member.press_raw(menu, f"sdc:{own['AHEAD']}")
    assert (await member.next_reply()).document is not None
    assert (await typed(member, own))[0] != STAFF_ONLY
    await updates.idle(app, emu)
    member.skip_pending()

    # And every other event button and command: none is refused.
    refused = {n: a for n, a in (await answers(member, menu, own)).items() if a == STAFF_ONLY}
    assert refused == {}
    assert STAFF_ONLY not in await typed(member, own)
    await updates.idle(app, emu)


async def test_administrators_and_library_staff_manage_every_branch(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
    updates: Updates,
) -> None:
    central = await branch_events(db, CENTRAL, "в центрі", 904)
    everyone = await branch_events(db, None, "для всіх", 905)
    own = await branch_events(db, VERBIVKA, "у Вербівці", 906)
    await add_staff(db, COLLEAGUE, None)
    admin, _ = await opened(emu, LIBRARIAN, "Бібліотекарка")
    colleague, _ = await opened(emu, COLLEAGUE, "Колега")
    for user in (admin, colleague):
        for ids, title in ((central, "в центрі"), (everyone, "для всіх"), (own, "у Вербівці")):
            await user.send_command(f"/attendance {ids['EVENT']}")
            assert f"Тренінг {title}" in (await user.next_reply()).text
        await user.send_command("/events")
        listing = (await user.next_reply()).text
        assert all(f"Субсидії {t}" in listing for t in ("в центрі", "для всіх", "у Вербівці"))
    await updates.idle(app, emu)


async def test_the_staff_list_of_events_shows_only_their_branchs(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
) -> None:
    await branch_events(db, CENTRAL, "в центрі", 907)
    await branch_events(db, None, "для всіх", 908)
    await branch_events(db, VERBIVKA, "у Вербівці", 909)
    await add_staff(db, VERBIVKA_STAFF, VERBIVKA)
    member, _ = await opened(emu, VERBIVKA_STAFF, "Вербівчанка")
    await member.send_command("/events")
    listing = await member.next_reply()
    assert "Тренінг у Вербівці" in listing.text and "Субсидії у Вербівці" in listing.text
    assert "центрі" not in listing.text and "для всіх" not in listing.text
    assert len([b for b in listing.button_texts if "Вербівці" in b]) == 2
    assert not [b for b in listing.button_texts if "центрі" in b or "для всіх" in b]


async def test_programmes_are_refused_to_branch_staff(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
) -> None:
    await add_staff(db, VERBIVKA_STAFF, VERBIVKA)
    await add_staff(db, COLLEAGUE, None)
    member, menu = await opened(emu, VERBIVKA_STAFF, "Вербівчанка")
    for command in ("/programs", "/newprogram"):
        await member.send_command(command)
        assert (await member.next_reply()).text == STAFF_ONLY
    for data in ("pgs", "pg:new"):
        query = await member.press_raw(menu, data)
        assert (await member.callback_answer(query))["text"] == STAFF_ONLY
    colleague, _ = await opened(emu, COLLEAGUE, "Колега")
    await colleague.send_command("/programs")
    assert (await colleague.next_reply()).text != STAFF_ONLY


def chat_menu(emu: BotApiEmulator, user: SimUser) -> list[str]:
    """The commands in the user's chat menu."""
    return [c["command"] for c in emu.commands({"type": "chat", "chat_id": user.id})]


async def branch_of(db: Database, telegram_id: int) -> str | None:
    async with db.session() as session:
        member = await session.get(StaffMember, telegram_id)
        assert member is not None
        return member.branch_key


async def test_an_invitation_for_a_branch_makes_staff_of_that_branch(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
) -> None:
    await branch_events(db, CENTRAL, "в центрі", 910)
    await branch_events(db, VERBIVKA, "у Вербівці", 911)
    admin, _ = await opened(emu, LIBRARIAN, "Бібліотекарка")
    await admin.send_command("/staff")
    screen = await admin.next_reply()
    await admin.press(screen, text="🔗 Створити посилання-запрошення")
    question = await admin.next_reply()
    assert question.button_texts == [
        "🏠 Центральна бібліотека",
        "🏠 Вербівська бібліотека",
        "🏛 Уся бібліотека",
        "Скасувати",
    ]
    await admin.press(question, text="🏠 Вербівська бібліотека")
    invitation = (await admin.next_reply()).text
    assert "Вербівська бібліотека" in invitation
    payload = invitation.split("?start=")[1].split()[0]

    newcomer, _ = await opened(emu, VERBIVKA_STAFF, "Новенька")
    await newcomer.send_command(f"/start {payload}")
    welcome = (await newcomer.next_reply()).text
    assert welcome.startswith("Вітаємо серед працівників")
    assert "/newevent" in welcome and "/programs" not in welcome
    assert "newevent" in chat_menu(emu, newcomer) and "programs" not in chat_menu(emu, newcomer)
    assert await branch_of(db, VERBIVKA_STAFF) == VERBIVKA
    await newcomer.send_command("/events")
    listing = (await newcomer.next_reply()).text
    assert "у Вербівці" in listing and "центрі" not in listing

    await admin.send_command("/staff")
    listed = (await admin.next_reply()).text
    assert "🏠 Вербівська бібліотека:\n👤 Новенька (id 5100)" in listed


async def test_changing_a_members_branch_takes_effect_at_their_next_update(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
) -> None:
    central = await branch_events(db, CENTRAL, "в центрі", 912)
    await add_staff(db, VERBIVKA_STAFF, None)
    member, menu = await opened(emu, VERBIVKA_STAFF, "Працівниця")
    # Asked to rename an event of the centre while still staff of the whole library...
    await member.press_raw(menu, f"sef:{central['EVENT']}:title")
    while "Як називається захід?" not in (await member.next_reply()).text:
        pass  # the pressed message's buttons taken off first

    admin, _ = await opened(emu, LIBRARIAN, "Бібліотекарка")
    await admin.send_command("/staff")
    screen = await admin.next_reply()
    assert "🏛 Уся бібліотека:\n👤 Працівниця (id 5100)" in screen.text
    assert screen.buttons[0][1].text == "🏠 Уся бібліотека"
    await admin.press(screen, callback_data=f"stf:br:{VERBIVKA_STAFF}")
    question = await admin.next_reply()
    await admin.press(question, text="🏠 Вербівська бібліотека")
    changed = await admin.next_reply()
    assert "тепер керує лише заходами «Вербівська бібліотека»" in changed.text
    assert "🏠 Вербівська бібліотека:\n👤 Працівниця (id 5100)" in changed.text
    assert await branch_of(db, VERBIVKA_STAFF) == VERBIVKA
    assert "programs" not in chat_menu(emu, member)

    # ...the answer typed after the change is refused, and so is the card.
    await member.send_text("Нова назва")
    assert (await member.next_reply()).text == STAFF_ONLY
    query = await member.press_raw(menu, f"sev:{central['EVENT']}")
    assert (await member.callback_answer(query))["text"] == STAFF_ONLY
    async with db.session() as session:
        event = await session.get(Event, central["EVENT"])
        assert event is not None and event.title == "Тренінг в центрі"

    # Back to the whole library: the card opens again at once.
    await admin.press(changed, callback_data=f"stf:br:{VERBIVKA_STAFF}")
    question = await admin.next_reply()
    await admin.press(question, text="🏛 Уся бібліотека")
    assert "тепер керує заходами всієї бібліотеки" in (await admin.next_reply()).text
    assert await branch_of(db, VERBIVKA_STAFF) is None
    assert "programs" in chat_menu(emu, member)
    await member.press_raw(menu, f"sev:{central['EVENT']}")
    assert "Тренінг в центрі" in (await member.next_reply()).text


async def test_branch_staff_put_events_in_programmes_but_do_not_create_them(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
    updates: Updates,
) -> None:
    own = await branch_events(db, VERBIVKA, "у Вербівці", 913)
    await add_staff(db, VERBIVKA_STAFF, VERBIVKA)
    member, menu = await opened(emu, VERBIVKA_STAFF, "Вербівчанка")
    await member.press_raw(menu, f"sef:{own['AHEAD']}:prog")
    while "програм" not in (question := await member.next_reply()).text:
        pass
    await member.send_text("Зовсім нова програма")
    asked = await member.next_reply()
    assert "Програми «Зовсім нова програма» немає" in asked.text
    assert not [b for b in asked.button_texts if b.startswith("➕")]
    query = await member.press_raw(question.message_id, f"eda:{own['AHEAD']}:prog:new")
    assert (await member.callback_answer(query))["text"] == STAFF_ONLY
    await updates.idle(app, emu)
    async with db.session() as session:
        assert (await session.execute(select(func.count()).select_from(Program))).scalar() == 0


async def test_a_visitors_name_asked_before_the_branch_was_given_is_refused(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
) -> None:
    central = await branch_events(db, CENTRAL, "в центрі", 914)
    await add_staff(db, VERBIVKA_STAFF, None)
    member, menu = await opened(emu, VERBIVKA_STAFF, "Працівниця")
    await member.press_raw(menu, f"pva:{central['AHEAD']}")
    while "ім" not in (await member.next_reply()).text:  # «Як звати …?»
        pass
    async with db.transaction() as session:
        await staff.set_branch(
            session,
            telegram_id=VERBIVKA_STAFF,
            branch=VERBIVKA,
            branches=(CENTRAL, VERBIVKA),
            admins=(LIBRARIAN,),
        )
    before = await snapshot(db)
    await member.send_text("Петро Мельник")
    assert (await member.next_reply()).text == STAFF_ONLY
    assert await snapshot(db) == before
