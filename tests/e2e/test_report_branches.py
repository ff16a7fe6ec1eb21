"""/report with branches configured: an administrator picks a branch (or all) with
buttons; a branch's staff member gets their branch's report only, and a forged choice of
another branch (or all) is refused as a resident would be."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from docx import Document
from openpyxl import load_workbook
from telegram.ext import Application

from bot.config import Config
from emulator import BotApiEmulator
from emulator.messages import SimMessage
from emulator.users import SimUser
from storage.database import Database
from storage.models import StaffMember
from tests.e2e.conftest import Updates
from tests.factories import LIBRARIAN
from tests.seed_branches import seed, with_branches

pytestmark = [pytest.mark.usefixtures("app"), pytest.mark.staff]

BRANCH_STAFF = 7788
REFUSAL = "Ця команда — для працівників бібліотеки."
# The bot counts on the real clock: the events are seeded around it.
NOW = datetime.now(UTC)
FIRST, LAST = NOW - timedelta(days=100), NOW + timedelta(days=30)
PERIOD = f"{FIRST:%d.%m.%Y} {LAST:%d.%m.%Y}"
DAYS = f"{FIRST:%Y%m%d}:{LAST:%Y%m%d}"


@pytest.fixture
def bot_config(bot_config: Config) -> Config:
    return with_branches(bot_config)


async def files(user: SimUser) -> dict[str, bytes]:
    """The chart and the three files that follow the report's text, by extension."""
    found: dict[str, bytes] = {}
    while len(found) < 4:
        message = await user.next_reply()
        attachment = message.document or message.photo
        if attachment is not None and attachment.file_name is not None:
            found[attachment.file_name.rsplit(".", 1)[1]] = attachment.data
    return found


async def report_text(user: SimUser) -> str:
    message = await user.next_reply()
    return message.text


async def test_an_administrator_picks_a_branch_or_all(emu: BotApiEmulator, db: Database) -> None:
    await seed(db, now=NOW)
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)

    await librarian.send_command(f"/report {PERIOD}")
    question = await librarian.next_reply()
    assert question.text.endswith(": за яку філію?")
    assert question.button_texts == [
        "Центральна бібліотека",
        "Вербівська сільська бібліотека",
        "Житниківська бібліотека",
        "Усі філії",
    ]
    await librarian.press(question, "Вербівська сільська бібліотека")
    cleared: SimMessage = await librarian.next_reply()  # the question, its buttons gone
    assert cleared.message_id == question.message_id and cleared.buttons == []
    text = await report_text(librarian)
    assert "Філія: Вербівська сільська бібліотека" in text
    assert "Проведено 2 заходи: 2 тренінги. Навчання пройшли 3 особи" in text
    assert "Центральна" not in text
    village = await files(librarian)
    assert set(village) == {"png", "xlsx", "csv", "docx"}
    book = load_workbook(io.BytesIO(village["xlsx"]))
    assert "Філії" not in book.sheetnames
    assert book["Підсумки"].cell(2, 1).value == "Філія: Вербівська сільська бібліотека"

    await librarian.send_command(f"/report {PERIOD}")
    question = await librarian.next_reply()
    await librarian.press(question, "Усі філії")
    await librarian.next_reply()  # the buttons taken off
    text = await report_text(librarian)
    assert "Проведено 5 заходів" in text
    assert "За філіями:\nЦентральна бібліотека: проведено 2 заходи" in text
    everyone = await files(librarian)
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(everyone["xlsx"]))["Філії"]]
    assert [row[0] for row in rows] == [
        "Філія",
        "Центральна бібліотека",
        "Вербівська сільська бібліотека",
        "Житниківська бібліотека",
        "Бібліотека загалом",
        "Усього",
    ]
    (table,) = Document(io.BytesIO(everyone["docx"])).tables
    assert table.rows[-1].cells[0].text == "Усього"

    # A button of a branch no longer configured, or of a day that does not exist: a pop-up.
    for stale in (f"rpb:nowhere:{DAYS}:0", "rpb:*:20261399:20261231:0"):
        query = await librarian.press_raw(question.message_id, stale)
        answer = await librarian.callback_answer(query)
        assert answer["text"] == "Ця кнопка вже не діє.", stale
    await librarian.expect_silence(0.3)


async def test_a_branch_staff_member_gets_their_branch_only_and_a_forged_choice_is_refused(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
    updates: Updates,
) -> None:
    await seed(db, now=NOW)
    async with db.transaction() as session:
        session.add(
            StaffMember(
                telegram_id=BRANCH_STAFF,
                name="Бібліотекарка центральної",
                added_by=LIBRARIAN,
                added_at=NOW,
                branch_key="central",
            )
        )
    colleague = emu.add_user(first_name="Колега", user_id=BRANCH_STAFF)

    await colleague.send_command(f"/report {PERIOD}")
    text = await report_text(colleague)  # no question: their branch's report at once
    assert "Філія: Центральна бібліотека" in text
    assert "Проведено 2 заходи: 1 тренінг, 1 семінар." in text
    assert "За філіями" not in text and "Вербівська" not in text
    central = await files(colleague)
    assert "Філії" not in load_workbook(io.BytesIO(central["xlsx"])).sheetnames

    for forged in (f"rpb:*:{DAYS}:0", f"rpb:verbivka:{DAYS}:0"):
        query = await colleague.press_raw(colleague.messages[-1].message_id, forged)
        answer = await colleague.callback_answer(query)
        assert answer["text"] == REFUSAL, forged
    await updates.idle(app, emu)
    await colleague.expect_silence(0.05)  # a pop-up only: no report of another branch
