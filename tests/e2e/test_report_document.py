"""/report with a programme: the DOCX arrives as a document; planned events apart; an
unknown programme and a broken template get a polite answer."""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from docx import Document

from bot.config import Config, DocumentsConfig
from bot.exports.report_docx import default_template
from bot.services import attendance, registration
from emulator import BotApiEmulator
from storage.database import Database
from tests.conftest import REMINDERS
from tests.e2e.conftest import event_in
from tests.factories import LIBRARIAN, make_person
from tests.services.test_report import make_program, set_program

pytestmark = [pytest.mark.usefixtures("app"), pytest.mark.staff]
NAME = "Поінформована громада – демократична країна"


@pytest.fixture
def config(config: Config, tmp_path: Path) -> Config:
    """The library's own template in the config's folder (each test writes it)."""
    return dataclasses.replace(
        config,
        library=dataclasses.replace(config.library, name_genitive="Волочиської ЦРБ"),
        documents=DocumentsConfig(report_template=tmp_path / "звіт.docx"),
    )


async def programme(db: Database) -> None:
    """One held event with a person who came, one next week with a registration."""
    program_id = await make_program(
        db, NAME, frame="що реалізується за сприяння програми «Бібліоміст»"
    )
    held = await event_in(db, days=-1 / 24, capacity=None, title="Навчаємось вираховувати субсидію")
    planned = await event_in(db, days=7, capacity=None, title="Легальна зайнятість")
    person = await make_person(db, 42, now=held.created_at)
    for event in (held, planned):
        await set_program(db, event.id, program_id)
        async with db.transaction() as session:
            await registration.register(
                session,
                event_id=event.id,
                person_id=person.id,
                default_reminders=REMINDERS,
                now=held.created_at - timedelta(hours=2),
            )
    async with db.transaction() as session:
        await attendance.everyone_came(session, event_id=held.id)


def year() -> int:
    return datetime.now(UTC).astimezone(ZoneInfo("Europe/Kyiv")).year


async def test_the_report_document_arrives_with_planned_events_apart(
    emu: BotApiEmulator, db: Database, config: Config
) -> None:
    assert config.documents.report_template is not None
    config.documents.report_template.write_bytes(default_template())  # as `report template` does
    await programme(db)
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_command(f"/report {year()} поінформована громада – демократична країна")
    text = (await librarian.next_reply()).text
    assert f"Проєкт: {NAME}" in text
    assert "Проведено 1 захід: 1 тренінг. Навчання пройшла 1 особа" in text
    assert "Заплановано (ще не відбулися, у підсумки не входять): 1 захід" in text
    assert "Легальна зайнятість: записалися досі: 1" in text
    for _ in range(3):  # the chart, the workbook, the CSV
        await librarian.next_reply()
    document = (await librarian.next_reply()).document
    assert document is not None and document.file_name.endswith(".docx")
    texts = [p.text for p in Document(io.BytesIO(document.data)).paragraphs]
    assert texts[:3] == ["Звіт", "Волочиської ЦРБ за проектом", f"«{NAME}»"]
    assert (
        f"За час реалізації проекту «{NAME}», що реалізується за сприяння програми "
        "«Бібліоміст», проведено:" in texts
    )
    assert "тренінг «Навчаємось вираховувати субсидію»." in texts
    assert any(t.endswith("— тренінг «Легальна зайнятість» (записалися досі: 1).") for t in texts)


async def test_an_unknown_programme_gets_the_known_ones(emu: BotApiEmulator, db: Database) -> None:
    await make_program(db, NAME)
    await make_program(db, "Цифрова грамотність")
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_command(f"/report {year()} Поінформована")
    assert (await librarian.next_reply()).text == (
        f"Програми «Поінформована» немає. Відомі програми: «{NAME}», «Цифрова грамотність»."
    )


async def test_a_broken_template_still_sends_the_text_and_files(
    emu: BotApiEmulator, db: Database, config: Config
) -> None:
    assert config.documents.report_template is not None
    config.documents.report_template.write_text("не документ")
    await programme(db)
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_command(f"/report {year()}")
    text = (await librarian.next_reply()).text
    assert "Проведено 1 захід" in text
    chart, workbook, table = [await librarian.next_reply() for _ in range(3)]
    assert chart.photo is not None
    assert workbook.document is not None and table.document is not None
    note = (await librarian.next_reply()).text
    assert note.startswith("Документ звіту не створено: report template ")
    assert note.endswith(
        "звіт.docx: not a DOCX document (save it in Word or LibreOffice as .docx). "
        "Текст та інші файли — вище."
    )
    assert "\n" not in note
