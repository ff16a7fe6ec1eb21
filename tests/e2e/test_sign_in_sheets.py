"""The sign-in sheet from the event's staff card, end to end: the real bot, the emulator."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import docx
import pytest
from pypdf import PdfReader
from telegram.ext import Application

from bot.services import registration
from emulator import BotApiEmulator
from storage.database import Database
from storage.models import Event, Person
from tests.conftest import REMINDERS
from tests.e2e.conftest import Updates, event_in
from tests.factories import LIBRARIAN, make_person

pytestmark = [pytest.mark.usefixtures("app"), pytest.mark.staff]
KYIV = ZoneInfo("Europe/Kyiv")


async def _seat(db: Database, event: Event, person: Person) -> None:
    async with db.transaction() as session:
        await registration.register(
            session,
            event_id=event.id,
            person_id=person.id,
            default_reminders=REMINDERS,
            now=datetime.now(UTC),
        )


async def test_staff_get_the_sheet_as_docx_and_pdf_from_the_card(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, days=2, title="Цифрова грамотність")
    await _seat(db, event, await make_person(db, 901, now=event.created_at, name="Андрій Бондар"))
    async with db.transaction() as session:
        phoned = Person(
            full_name="Ганна Дорош",
            category="idp",
            phone="+380501112233",
            created_at=event.created_at,
            added_by=LIBRARIAN,
        )
        session.add(phoned)
    await _seat(db, event, phoned)
    await _seat(db, event, await make_person(db, 902, now=event.created_at, name="Віра Гнатюк"))

    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_command("/events")
    listing = await librarian.next_reply()
    await librarian.press(listing, callback_data=f"sev:{event.id}")
    card = await librarian.next_reply()
    assert card.find_button("Реєстраційний лист").callback_data == f"sesl:{event.id}"
    await librarian.press(card, text="🖨 Реєстраційний лист")
    first, second = await librarian.next_reply(), await librarian.next_reply()

    day = event.starts_at.astimezone(KYIV).date().isoformat()
    assert first.document is not None and second.document is not None
    assert first.document.file_name == f"sign-in_{event.id}_{day}.docx"
    assert second.document.file_name == f"sign-in_{event.id}_{day}.pdf"
    assert first.text.startswith(
        "Реєстраційний лист заходу «Цифрова грамотність»: 3 записані особи, "
        "10 порожніх рядків для тих, хто прийде без запису."
    )
    document = docx.Document(io.BytesIO(first.document.data))
    assert "Захід: Цифрова грамотність" in [p.text for p in document.paragraphs]
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["№", "ПІБ", "Категорія", "Підпис"]
    assert [r[1] for r in rows[1:4]] == ["Андрій Бондар", "Ганна Дорош", "Віра Гнатюк"]
    assert rows[2][2] == "Внутрішньо переміщені особи\n(без Telegram)"
    assert len(rows) == 1 + 3 + 10

    pdf = PdfReader(io.BytesIO(second.document.data))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "РЕЄСТРАЦІЙНИЙ ЛИСТ" in text
    assert text.index("Андрій Бондар") < text.index("Ганна Дорош") < text.index("Віра Гнатюк")
    assert "(без Telegram)" in text and "+380501112233" not in text


async def test_the_sheet_is_for_staff_only_and_not_for_a_cancelled_event(
    emu: BotApiEmulator,
    db: Database,
    app: Application,  # type: ignore[type-arg]
    updates: Updates,
) -> None:
    event = await event_in(db, days=2, title="Субсидії")
    cancelled = await event_in(db, days=3, title="Скасований", status="cancelled")
    draft = await event_in(db, days=3, title="Чернетка", status="draft")
    resident = emu.add_user(first_name="Мешканка")
    await resident.send_command("/start")
    menu = await resident.next_reply()
    query = await resident.press_raw(menu.message_id, f"sesl:{event.id}")
    assert (await resident.callback_answer(query))["text"] == (
        "Ця команда — для працівників бібліотеки."
    )

    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await librarian.send_command("/events")
    listing = await librarian.next_reply()
    await librarian.press(listing, callback_data=f"sev:{draft.id}")
    card = await librarian.next_reply()
    assert "Реєстраційний лист" not in " ".join(card.button_texts)  # published events only
    for forged, answer in (
        (f"sesl:{cancelled.id}", "Цей захід скасовано."),
        (f"sesl:{event.id + 1000}", "Такого заходу не знайдено."),
    ):
        query = await librarian.press_raw(card.message_id, forged)
        assert (await librarian.callback_answer(query))["text"] == answer
    await updates.idle(app, emu)
    await resident.expect_silence(0.1)  # short: the bot is idle
    await librarian.expect_silence(0.1)
