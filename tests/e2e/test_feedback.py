"""The question after an event (issue 12), end to end: only those who came are asked, once,
through the outbox; a rating, a comment, «don't ask me again»; the report's figures and the
workbook's comments, with nobody's name."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update
from telegram.ext import Application

from bot import housekeeping
from bot.config import Config
from bot.exports.report_text import report_text
from bot.exports.report_xlsx import report_xlsx
from bot.i18n import Catalogs
from bot.services import registration, report
from emulator import BotApiEmulator
from emulator.users import SimUser
from storage import door
from storage.database import Database
from storage.models import Event, Feedback, Person, Registration
from tests.conftest import REMINDERS
from tests.e2e.conftest import Outbox, event_in
from tests.factories import make_person

pytestmark = pytest.mark.usefixtures("app")
UK = Catalogs().get("uk")


async def _resident(emu: BotApiEmulator, db: Database, name: str) -> tuple[SimUser, Person]:
    user = emu.add_user(first_name=name)
    await user.send_command("/start")
    await user.next_reply()
    return user, await make_person(
        db, user.user_id, now=datetime.now(UTC) - timedelta(days=2), name=name
    )


async def _registered(db: Database, event: Event, person: Person, *, came: bool | None) -> None:
    async with db.transaction() as session:
        await registration.register(
            session,
            event_id=event.id,
            person_id=person.id,
            default_reminders=REMINDERS,
            now=event.starts_at - timedelta(days=1),
        )
        await session.execute(
            update(Registration)
            .where(Registration.event_id == event.id, Registration.person_id == person.id)
            .values(attended=came)
        )


async def _ask(app: Application) -> int:  # type: ignore[type-arg]
    return await housekeeping.ask_for_feedback(app.bot_data["deps"])


async def test_those_who_came_are_asked_once_and_the_report_counts_the_answers(
    emu: BotApiEmulator,
    db: Database,
    app: Application,  # type: ignore[type-arg]
    outbox: Outbox,
    config: Config,
) -> None:
    event = await event_in(db, days=-3 / 24, title="Навчаємось вираховувати субсидію")  # ended
    came, _ = await _resident(emu, db, "Ганна Коваль")
    absent, _ = await _resident(emu, db, "Олег Бондар")
    walked_in, _ = await _resident(emu, db, "Марта Ткач")
    silent, _ = await _resident(emu, db, "Іван Мороз")
    async with db.session() as session:
        person = {p.telegram_id: p for p in (await session.execute(select(Person))).scalars()}
    await _registered(db, event, person[came.user_id], came=True)
    await _registered(db, event, person[absent.user_id], came=None)
    await _registered(db, event, person[silent.user_id], came=True)
    async with db.transaction() as session:
        await door.add_walk_in(
            session, event_id=event.id, person_id=person[walked_in.user_id].id, now=event.starts_at
        )
        await session.execute(
            update(Person).where(Person.id == person[silent.user_id].id).values(feedback_off=True)
        )

    assert await _ask(app) == 2
    await outbox.full_pass(app)
    question = await came.next_reply(timeout=10)
    assert question.text.startswith("Дякуємо, що прийшли на Навчаємось вираховувати субсидію")
    walk_question = await walked_in.next_reply(timeout=10)
    await absent.expect_silence(0.2)
    await silent.expect_silence(0.1)
    assert await _ask(app) == 0  # asked once

    await came.press(question, text="5")
    thanks = await came.next_reply()
    assert thanks.text.startswith(
        "Дякуємо! Ваша оцінка заходу «Навчаємось вираховувати субсидію»: 5 з 5."
    )
    await came.send_text("Дуже корисно, тепер сама подам заяву на субсидію")
    assert (await came.next_reply()).text.startswith("Дякуємо, бібліотека обов’язково прочитає.")
    await came.send_text("Ще щось?")  # no question open: the help, not a second comment
    assert "Дякуємо, бібліотека" not in (await came.next_reply()).text

    await walked_in.press(walk_question, text="4")
    await walked_in.next_reply()
    await walked_in.press(walk_question, text="Більше не питати")
    assert (await walked_in.next_reply()).text == "Гаразд: більше не питатиму про заходи."

    # Someone who did not come cannot answer with a forged button.
    await absent.send_command("/start")
    greeting = await absent.next_reply()
    query = await absent.press_raw(greeting.message_id, f"fbr:{event.id}:1")
    await absent.callback_answer(query)
    async with db.session() as session:
        ratings = sorted((await session.execute(select(Feedback.rating))).scalars())
    assert ratings == [4, 5]

    async with db.session() as session:
        built = await report.build(
            session,
            start=event.starts_at - timedelta(days=1),
            end=event.starts_at + timedelta(days=1),
            now=datetime.now(UTC),
        )
    assert built.feedback_overall.answered == 2 and built.feedback_overall.average == 4.5
    text = report_text(config, UK, built)
    assert "Відгуки після заходів: 2 відповіді, середня оцінка 4,5 з 5." in text
    book = load_workbook(io.BytesIO(report_xlsx(config, UK, built)))
    assert "Відгуки" in book.sheetnames
    cells = [c for sheet in book for row in sheet.iter_rows(values_only=True) for c in row]
    assert "Дуже корисно, тепер сама подам заяву на субсидію" in cells
    for name in ("Ганна Коваль", "Марта Ткач", "Олег Бондар"):
        assert name not in cells  # anonymous in every export
