"""/report in Telegram: for staff only, in correct Ukrainian, within Telegram's limits."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from openpyxl import load_workbook
from PIL import Image

from bot.services import attendance, registration
from emulator import BotApiEmulator
from handlers.render import split_message
from storage.database import Database
from tests.conftest import REMINDERS
from tests.e2e.conftest import event_in
from tests.factories import LIBRARIAN, make_person

pytestmark = [pytest.mark.usefixtures("app"), pytest.mark.staff]


async def test_staff_get_the_report_and_residents_do_not(emu: BotApiEmulator, db: Database) -> None:
    event = await event_in(db, days=-0.0, capacity=None, title="Легальна зайнятість <для ВПО>")
    person = await make_person(db, 42, now=event.created_at)
    async with db.transaction() as session:
        await registration.register(
            session,
            event_id=event.id,
            person_id=person.id,
            default_reminders=REMINDERS,
            now=event.created_at - timedelta(hours=1),
        )
        await attendance.everyone_came(session, event_id=event.id)
    year = datetime.now(UTC).astimezone(ZoneInfo("Europe/Kyiv")).year

    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_command(f"/report {year}")
    text = (await librarian.next_reply()).text
    assert (
        "Проведено 1 захід: 1 тренінг. Навчання пройшла 1 особа, серед яких: користувачі бібліотеки — 1."
        in text
    )
    assert "Легальна зайнятість <для ВПО>: записалися 1, прийшли 1, без реєстрації 0" in text
    stem = f"report_{year}-01-01_{year}-12-31"
    chart = (await librarian.next_reply()).photo
    assert chart is not None and chart.file_name == f"{stem}.png"
    image = Image.open(io.BytesIO(chart.data))
    assert (image.format, image.size) == ("PNG", (1200, 700))
    workbook = (await librarian.next_reply()).document
    assert workbook is not None and workbook.file_name == f"{stem}.xlsx"
    book = load_workbook(io.BytesIO(workbook.data))
    assert [c.value for c in book["Заходи"][2]][1:] == [
        "Легальна зайнятість <для ВПО>",
        "Тренінг",
        None,
        "Читальна зала",
        1,
        1,
        0,
        1,
        "так",
    ]
    assert [c.value for c in book["Відвідування"][2]][2:5] == [0, 1, 0]  # a library user came
    attachment = (await librarian.next_reply()).document
    assert attachment is not None and attachment.file_name == f"{stem}.csv"
    # For a person: «;», as a Ukrainian-locale Excel expects on a double-click.
    rows = list(csv.reader(io.StringIO(attachment.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Дата",
        "Захід",
        "Вид",
        "Записалися",
        "Прийшли",
        "Без реєстрації",
        "Відвідування позначено",
        "Статус",
    ]
    assert rows[1][1:] == [
        "Легальна зайнятість <для ВПО>",
        "Тренінг",
        "1",
        "1",
        "0",
        "так",
        "проведено",
    ]
    document = (await librarian.next_reply()).document
    assert document is not None and document.file_name == f"{stem}.docx"
    texts = [p.text for p in Document(io.BytesIO(document.data)).paragraphs]
    assert "тренінг «Легальна зайнятість <для ВПО>»." in texts

    await librarian.send_command("/report вчора")
    assert (await librarian.next_reply()).text.startswith("Не вдалося прочитати період. Приклади:")

    resident = emu.add_user(first_name="Мешканка")
    await resident.send_command("/report")
    assert (await resident.next_reply()).text == "Ця команда — для працівників бібліотеки."


def test_long_reports_are_cut_at_line_ends() -> None:
    lines = [f"{i:04d} " + "т" * 195 for i in range(60)]
    parts = split_message("\n".join(lines))
    assert all(len(p) <= 4000 for p in parts) and len(parts) == 4  # 19 lines of 201 characters fit
    assert "\n".join(parts).split("\n") == lines


async def test_staff_mark_attendance_and_walk_ins_and_residents_cannot(
    emu: BotApiEmulator, db: Database
) -> None:
    from sqlalchemy import select

    from storage.models import Registration, WalkIn

    event = await event_in(db, days=1, capacity=None, title="Електронні послуги")
    people = []
    for i, name in enumerate(["Андрій Бондар", "Віра Гнатюк", "Ганна Дорош"]):
        person = await make_person(db, 900 + i, now=event.created_at, name=name)
        async with db.transaction() as session:
            await registration.register(
                session,
                event_id=event.id,
                person_id=person.id,
                default_reminders=REMINDERS,
                now=event.created_at,
            )
        people.append(person)

    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_command(f"/attendance {event.id}")
    sheet = await librarian.next_reply()
    assert "Прийшли: 0 із 3 записаних; без реєстрації: 0." in sheet.text
    assert [row[0].text for row in sheet.buttons[:3]] == [
        "⬜ Андрій Бондар",
        "⬜ Віра Гнатюк",
        "⬜ Ганна Дорош",
    ]
    await librarian.press(sheet, text="⬜ Віра Гнатюк")
    sheet = await librarian.next_reply()
    assert sheet.buttons[1][0].text == "✅ Віра Гнатюк"
    await librarian.press(sheet, text="Усі записані прийшли")
    sheet = await librarian.next_reply()
    assert "Прийшли: 3 із 3 записаних" in sheet.text
    await librarian.press(sheet, text="✅ Андрій Бондар")  # he did not come after all
    sheet = await librarian.next_reply()
    plus = f"wk:{event.id}:idp:+"
    for _ in range(2):
        await librarian.press(sheet, callback_data=plus)
        sheet = await librarian.next_reply()
    await librarian.press(sheet, callback_data=f"wk:{event.id}:idp:-")
    sheet = await librarian.next_reply()
    assert "Прийшли: 2 із 3 записаних; без реєстрації: 1." in sheet.text
    async with db.session() as session:
        marks = dict(
            (await session.execute(select(Registration.person_id, Registration.attended))).all()
        )
        walk_ins = (await session.execute(select(WalkIn.category, WalkIn.count))).all()
    assert marks == {people[0].id: False, people[1].id: True, people[2].id: True}
    assert walk_ins == [("idp", 1)]

    resident = emu.add_user(first_name="Мешканка")
    await resident.send_command(f"/attendance {event.id}")
    assert (await resident.next_reply()).text == "Ця команда — для працівників бібліотеки."
    await resident.send_command("/start")
    menu = await resident.next_reply()
    for forged in (
        f"att:{event.id}:{people[0].id}:0",
        f"atall:{event.id}",
        plus,
        f"atp:{event.id}:0",
    ):
        query = await resident.press_raw(menu.message_id, forged)
        assert (await resident.callback_answer(query))[
            "text"
        ] == "Ця команда — для працівників бібліотеки."
    async with db.session() as session:
        assert (
            dict(
                (await session.execute(select(Registration.person_id, Registration.attended))).all()
            )
            == marks
        )
