"""Odd input that used to crash a handler (issue 9, item 6): each gets a hint, not the
internal-error apology."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import select

from emulator import BotApiEmulator
from storage.database import Database
from storage.models import Event
from tests.e2e.conftest import event_in
from tests.e2e.test_staff_import import HEADER, local, titles
from tests.factories import LIBRARIAN

pytestmark = [pytest.mark.usefixtures("app"), pytest.mark.staff]
PERIOD_USAGE = "Не вдалося прочитати період. Приклади:"


async def test_a_csv_with_old_mac_line_ends_is_imported(emu: BotApiEmulator, db: Database) -> None:
    data = (
        f"{HEADER}\r"
        f"Тренінг перший,training,{local(5)},,Читальна зала,,,,\r"
        f'Тренінг другий,training,{local(6)},,Зала,,,,"Два\rрядки"\r'
    ).encode()
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_document(data, "events.csv")
    assert (await librarian.next_reply()).text.startswith("Імпортовано 2 заходи:")
    assert await titles(db) == ["Тренінг перший", "Тренінг другий"]
    async with db.session() as session:
        description = await session.scalar(select(Event.description).order_by(Event.id.desc()))
    assert description == "Два\nрядки"


async def test_a_csv_whose_first_line_cannot_be_read_names_the_problem(
    emu: BotApiEmulator, db: Database
) -> None:
    # An unclosed quote on the first line swallows the file into one huge cell.
    data = ('"title,kind,starts_at,place\n' + "x" * 200_000 + "\n").encode()
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_document(data, "events.csv")
    assert (await librarian.next_reply()).text.split("\n") == [
        "Нічого не імпортовано. Будь ласка, виправте файл і надішліть його знову:",
        "• рядок 1: не вдається прочитати рядок: не закрито лапки або клітинка надто довга",
    ]
    assert await titles(db) == []


async def test_control_characters_in_a_csv_cell_are_refused(
    emu: BotApiEmulator, db: Database
) -> None:
    data = f"{HEADER}\nBad\x01Title,training,{local(5)},,Зала,,,,\n".encode()
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_document(data, "events.csv")
    assert (await librarian.next_reply()).text.split("\n")[1] == (
        "• рядок 2, title: містить невидимі керівні символи; наберіть текст заново"
    )
    assert await titles(db) == []


async def test_a_title_with_control_characters_gets_a_hint(
    emu: BotApiEmulator, db: Database
) -> None:
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_command("/newevent")
    await librarian.next_reply()  # what /newevent asks
    await librarian.next_reply()  # the first question
    await librarian.send_text("Bad\x01Title")
    again = await librarian.next_reply()
    assert "невидимі керівні символи" in again.text
    assert "Як називається захід?" in again.text  # the same question, asked again


async def test_registrants_xlsx_opens_whatever_the_title_holds(
    emu: BotApiEmulator, db: Database
) -> None:
    """A title stored before control characters were refused still gives a workbook."""
    event = await event_in(db, days=1, title="Bad\x01Title")
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_command("/start")
    menu = await librarian.next_reply()
    await librarian.press_raw(menu.message_id, f"serg:{event.id}:x")
    sent = await librarian.next_reply()
    assert sent.document is not None
    workbook = openpyxl.load_workbook(io.BytesIO(sent.document.data))
    assert workbook.properties.title == "BadTitle"


@pytest.mark.parametrize(
    "args", ["31.12.9999 31.12.9999", "0001-01", "01.01.0001 02.01.0001", "0001", "9999-12"]
)
async def test_a_period_beyond_the_calendar_gets_the_usage(
    emu: BotApiEmulator, db: Database, args: str
) -> None:
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_command(f"/report {args}")
    assert (await librarian.next_reply()).text.startswith(PERIOD_USAGE)


async def test_a_period_covering_the_whole_calendar_is_reported(
    emu: BotApiEmulator, db: Database
) -> None:
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_command("/report 01.01.0002 30.12.9999")
    assert (await librarian.next_reply()).text.startswith("Звіт за ")
    assert (await librarian.next_reply()).photo is not None  # the chart
    workbook = (await librarian.next_reply()).document
    assert workbook is not None and workbook.file_name == "report_0002-01-01_9999-12-30.xlsx"
    assert (await librarian.next_reply()).document is not None  # the CSV
    document = (await librarian.next_reply()).document  # the report document
    assert document is not None and document.file_name == "report_0002-01-01_9999-12-30.docx"


@pytest.mark.parametrize("args", ["²", "١٢", "12²", "+12", " "])
async def test_attendance_with_a_number_that_is_not_ascii_digits_gets_the_usage(
    emu: BotApiEmulator, db: Database, args: str
) -> None:
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_command(f"/attendance {args}")
    assert (await librarian.next_reply()).text == "Напишіть номер заходу: /attendance 12"
