"""A CSV file sent to the bot: staff import events (all rows or none), residents get help."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from emulator import BotApiEmulator
from storage.database import Database
from storage.models import Event, Notification, Program
from tests.factories import LIBRARIAN, make_program

pytestmark = [pytest.mark.usefixtures("app"), pytest.mark.staff]
HEADER = "title,kind,starts_at,ends_at,place,capacity,audience,program,description"


def local(days: int) -> str:
    """A local time some days ahead, as a librarian writes it."""
    moment = datetime.now(UTC).astimezone(ZoneInfo("Europe/Kyiv")) + timedelta(days=days)
    return moment.strftime("%d.%m.%Y") + " 14:00"


async def titles(db: Database) -> list[str]:
    async with db.session() as session:
        return list((await session.scalars(select(Event.title).order_by(Event.id))).all())


async def test_staff_import_a_csv_and_see_the_new_ids(emu: BotApiEmulator, db: Database) -> None:
    data = (
        f"{HEADER}\n"
        f"Навчаємось вираховувати субсидію,training,{local(5)},,Читальна зала,20,пенсіонери,,\n"
        f'"Легальна зайнятість <для ВПО>",Семінар,{local(6)},,ЦРБ,,ВПО,,"Разом, із центром"\n'
    ).encode("utf-8-sig")  # as Excel saves «CSV UTF-8»
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_document(data, "заходи.csv")
    answer = await librarian.next_reply()

    async with db.session() as session:
        created = (await session.scalars(select(Event).order_by(Event.id))).all()
        queued = await session.scalar(select(func.count()).select_from(Notification))
    assert [e.title for e in created] == [
        "Навчаємось вираховувати субсидію",
        "Легальна зайнятість <для ВПО>",
    ]
    assert [e.kind for e in created] == ["training", "seminar"]
    assert queued == 0  # imported, not announced: as the command line does
    lines = answer.text.split("\n")
    assert lines[0] == "Імпортовано 2 заходи:"
    assert lines[1].startswith(f"№{created[0].id} · ") and lines[1].endswith(
        " · Навчаємось вираховувати субсидію"
    )
    assert lines[2] == f"https://t.me/{emu.bot_user['username']}?start=event_{created[0].id}"
    assert lines[3].endswith(" · Легальна зайнятість <для ВПО>")  # escaped in the HTML
    assert lines[-1] == (
        "Підписникам про них ще не повідомлено: розішліть кожен захід, коли він буде готовий."
    )
    (sent,) = [r for r in emu.requests_for("sendMessage") if "Імпортовано" in r.params["text"]]
    assert json.loads(sent.params["link_preview_options"]) == {"is_disabled": True}

    await librarian.send_document(data, "заходи.csv")  # the same file again
    again = (await librarian.next_reply()).text
    assert again.startswith("Нічого не імпортовано.")
    assert f"• рядок 2: такий захід уже є (номер {created[0].id})" in again
    assert len(await titles(db)) == 2


async def test_a_broken_file_imports_nothing_and_names_the_lines(
    emu: BotApiEmulator, db: Database
) -> None:
    data = (
        f"{HEADER}\n"
        f"Добрий рядок,training,{local(5)},,Читальна зала,,,,\n"
        f"Поганий час,training,32.01.2026 10:00,,Читальна зала,,,,\n"
        f"Без місця,party,{local(7)},,,,,,\n"
    ).encode()
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_document(data, "events.CSV")
    text = (await librarian.next_reply()).text
    assert text.split("\n") == [
        "Нічого не імпортовано. Будь ласка, виправте файл і надішліть його знову:",
        "• рядок 3, starts_at: не вдається прочитати «32.01.2026 10:00»; "
        "пишіть так: 2026-03-15 14:00 або 15.03.2026 14:00",
        "• рядок 4, place: не може бути порожнім",
        "• рядок 4, kind: невідомий вид заходу «party»; можливі: "
        "campaign, lecture, master_class, meeting, practical, seminar, training",
    ]
    assert await titles(db) == []


async def test_a_file_in_another_encoding_is_refused_with_a_hint(
    emu: BotApiEmulator, db: Database
) -> None:
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    data = f"{HEADER}\nТренінг,training,{local(5)},,Зала,,,,\n".encode("cp1251")
    await librarian.send_document(data, "events.csv")
    assert (await librarian.next_reply()).text.split("\n") == [
        "Нічого не імпортовано. Будь ласка, виправте файл і надішліть його знову:",
        "• рядок 1: файл не в кодуванні UTF-8; в Excel оберіть «Зберегти як» → "
        "«CSV UTF-8 (розділювач — кома)»",
    ]
    assert await titles(db) == []


async def test_large_and_non_csv_files_are_refused_before_downloading(
    emu: BotApiEmulator, db: Database
) -> None:
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN, language_code="en")
    row = f"Тренінг,training,{local(5)},,Зала,,,,\n"
    big = (HEADER + "\n" + row * (1024 * 1024 // len(row.encode()) + 1)).encode()
    assert len(big) > 1024 * 1024
    await librarian.send_document(big, "events.csv")
    assert (await librarian.next_reply()).text == (
        "The file is too large: at most 1 MB. Split it into several files."
    )
    await librarian.send_document(b"PK\x03\x04...", "events.xlsx", mime_type="application/zip")
    refusal = (await librarian.next_reply()).text
    assert refusal.startswith("I can only import events from a CSV file.")
    assert refusal.split("\n")[1] == (
        HEADER + ",reminders,report_label,report_title,partner,report_note,"
        "repeat_weeks,repeat_until"
    )
    assert emu.requests_for("getFile") == []
    assert await titles(db) == []


async def test_a_resident_sending_a_document_gets_the_help(
    emu: BotApiEmulator, db: Database
) -> None:
    resident = emu.add_user(first_name="Мешканка")
    await resident.send_document(f"{HEADER}\nX,training,{local(5)},,Зала,,,,\n".encode(), "a.csv")
    answer = await resident.next_reply()
    assert answer.text.startswith("Я розумію такі команди:")
    assert answer.buttons  # the main menu, as for any stray message
    assert emu.requests_for("getFile") == []
    assert await titles(db) == []


async def test_the_program_column_names_a_programme_and_a_typo_lists_the_known_ones(
    emu: BotApiEmulator, db: Database
) -> None:
    program_id = await make_program(db, "Поінформована громада", now=datetime.now(UTC))
    header = HEADER + ",report_label,report_title,partner,report_note"
    typo = (f"{header}\nСемінар,seminar,{local(5)},,ЦРБ,,ВПО,Поінформована грамада,,,,,\n").encode()
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_document(typo, "заходи.csv")
    refused = (await librarian.next_reply()).text
    assert refused.startswith("Нічого не імпортовано.")
    assert (
        "• рядок 2, program: немає програми «Поінформована грамада»; відомі: "
        "«Поінформована громада» (нову додайте через /newprogram" in refused
    ), refused
    async with db.session() as session:
        assert await session.scalar(select(func.count()).select_from(Program)) == 1

    good = (
        f"{header}\n"
        f"Працевлаштування переселенців,seminar,{local(6)},,ЦРБ,,ВПО,поінформована громада,,"
        ",,центром зайнятості населення,використання е-ресурсів для ВПО\n"
        f"Бібліотеки – центри підтримки,training,{local(7)},,ЦРБ,,,,,практикум-тренінг,,,\n"
    ).encode()
    await librarian.send_document(good, "заходи.csv")
    assert (await librarian.next_reply()).text.startswith("Імпортовано 2 заходи:")
    async with db.session() as session:
        seminar, practicum = (await session.scalars(select(Event).order_by(Event.id))).all()
    assert (seminar.program_id, seminar.partner, seminar.report_note) == (
        program_id,
        "центром зайнятості населення",
        "використання е-ресурсів для ВПО",
    )
    assert (practicum.program_id, practicum.report_label, practicum.report_title) == (
        None,
        "практикум-тренінг",
        None,
    )
