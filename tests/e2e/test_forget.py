"""/forget through the real bot: what it removes, in the tables and on disk."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from emulator import BotApiEmulator, SimUser
from storage import staff as staff_storage
from storage.database import Database
from storage.models import Person, StaffDialog
from tests.conftest import TEST_DB
from tests.e2e.conftest import event_in
from tests.e2e.test_new_event import answer, start_flow

pytestmark = pytest.mark.usefixtures("app")

NAME = "Северина Кривошиєнко"
PHONE = "+380671357924"
STAFF_NAME = "Богдана Стефанишин"
MEMBER = 4242  # a staff member added by an administrator, not an administrator


def files_of(db: Database) -> list[Path]:
    """The SQLite database file and its write-ahead log, as they are on disk now."""
    database = make_url(db.url).database
    assert database is not None
    main = Path(database)
    return [main, main.with_name(main.name + "-wal")]


def on_disk(db: Database, *texts: str) -> list[str]:
    """Which of the texts the database's files hold, byte for byte (UTF-8)."""
    found = []
    for path in files_of(db):
        raw = path.read_bytes() if path.exists() else b""
        found += [f"{text} in {path.name}" for text in texts if text.encode() in raw]
    return found


async def confirm_forget(user: SimUser) -> str:
    await user.send_command("/forget")
    confirm = await user.next_reply()
    await user.press(confirm, text="Так, видалити мої дані")
    return (await user.next_reply()).text


@pytest.mark.skipif(TEST_DB != "sqlite", reason="reads SQLite's files")
async def test_forget_leaves_no_name_or_phone_in_the_database_or_its_log_file(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db)
    user = emu.add_user(first_name="Оля", language_code="uk")
    await user.send_command(f"/start event_{event.id}")
    await user.press(await user.next_reply(), text="Записатися")
    await user.next_reply()
    await user.send_text(NAME)
    await user.press(await user.next_reply(), text="Користувачі бібліотеки")
    await user.next_reply()
    await user.send_contact(phone_number=PHONE)
    await user.next_reply()
    await user.press(await user.next_reply(), text="Погоджуюся")
    assert (await user.next_reply()).text.startswith("✅ Ви записані!")
    # The test reads the right files: the data is there before /forget.
    assert on_disk(db, NAME, PHONE[1:])

    assert "ваші дані видалено" in await confirm_forget(user)

    assert on_disk(db, NAME, PHONE[1:]) == []
    async with db.session() as session:
        person = (await session.execute(select(Person))).scalar_one()
    assert (person.full_name, person.phone, person.telegram_id) == (None, None, None)


@pytest.mark.staff
async def test_a_staff_members_forget_takes_their_name_and_draft_but_not_their_access(
    emu: BotApiEmulator, db: Database
) -> None:
    async with db.transaction() as session:
        await staff_storage.add_member(
            session, telegram_id=MEMBER, name=STAFF_NAME, added_by=777, now=datetime.now(UTC)
        )
    member = emu.add_user(first_name="Богдана", user_id=MEMBER, language_code="uk")
    await start_flow(member)
    await answer(member, "Чернетка Богдани Стефанишин", "Який це вид заходу?")

    await member.send_command("/forget")
    confirm = await member.next_reply()
    assert "доступ працівника" in confirm.text
    await member.press(confirm, text="Так, видалити мої дані")
    done = await member.next_reply()
    assert "ваші дані видалено" in done.text
    assert "адміністратор" in done.text

    async with db.session() as session:
        kept = await staff_storage.member(session, MEMBER)
        drafts = (await session.execute(select(StaffDialog))).scalars().all()
    assert kept is not None and kept.name == ""
    assert drafts == []
    if TEST_DB == "sqlite":
        assert on_disk(db, STAFF_NAME, "Чернетка Богдани") == []
    # Still staff: removing access is an administrator's decision.
    await start_flow(member)
