"""Forged buttons, stale buttons and failures: a short answer, nothing changed, the bot lives on."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from bot.domain.status import RegistrationStatus
from bot.services import catalog
from emulator import BotApiEmulator
from storage.database import Database
from storage.models import Event, Registration
from tests.e2e.conftest import event_in
from tests.factories import make_person

pytestmark = pytest.mark.usefixtures("app")


async def registrations(db: Database) -> list[tuple[int, int, str]]:
    async with db.session() as session:
        rows = await session.execute(
            select(Registration.event_id, Registration.person_id, Registration.status).order_by(
                Registration.id
            )
        )
        return [tuple(r) for r in rows.all()]  # type: ignore[misc]


@pytest.mark.parametrize(
    ("data", "answer"),
    [
        ("reg:999999", "Такого заходу не знайдено."),
        ("ev:999999", "Такого заходу не знайдено."),
        ("ics:999999", "Такого заходу не знайдено."),
        ("cxl:{event}:c", "У вас немає запису на цей захід."),  # someone else's seat
        ("cxl:{event}:z", "Ця кнопка вже не діє."),
        ("cat:government", "Ця кнопка вже не діє."),  # no question is open
        ("cns:y", "Ця кнопка вже не діє."),
        ("lang:ru", "Ця кнопка вже не діє."),
        ("'; DROP TABLE event; --", "Ця кнопка вже не діє."),
        ("reg:1:2:3", "Ця кнопка вже не діє."),
    ],
)
async def test_forged_buttons_are_refused_and_change_nothing(
    emu: BotApiEmulator, db: Database, data: str, answer: str
) -> None:
    event = await event_in(db, capacity=1)
    owner = emu.add_user(first_name="Власниця")
    await make_person(db, owner.user_id, now=event.created_at)
    await owner.send_command(f"/start event_{event.id}")
    await owner.press(await owner.next_reply(), text="Записатися")
    await owner.next_reply()
    await owner.next_reply()
    before = await registrations(db)

    intruder = emu.add_user(first_name="Чужий")
    await intruder.send_command("/start")
    menu = await intruder.next_reply()
    query = await intruder.press_raw(menu.message_id, data.format(event=event.id))
    reply = await intruder.callback_answer(query)
    assert reply["text"] == answer
    await intruder.expect_silence(0.3)
    assert await registrations(db) == before
    assert before[0][2] == RegistrationStatus.CONFIRMED


async def test_a_stale_button_after_the_event_started_is_explained(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db)
    user = emu.add_user(first_name="Надія")
    await make_person(db, user.user_id, now=event.created_at)
    await user.send_command(f"/start event_{event.id}")
    card = await user.next_reply()
    async with db.transaction() as session:
        row = await session.get(Event, event.id)
        assert row is not None
        row.starts_at = row.created_at  # it has begun
    query = await user.press(card, text="Записатися")
    assert (await user.callback_answer(query))["text"] == "Запис закрито: захід уже розпочався."
    assert await registrations(db) == []


async def test_an_error_in_a_handler_gets_a_polite_answer_and_the_bot_goes_on(
    emu: BotApiEmulator,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database exploded")

    monkeypatch.setattr(catalog, "upcoming_page", broken)
    user = emu.add_user(first_name="Роман", last_name="Секретний")
    with caplog.at_level(logging.ERROR):
        await user.send_command("/events")
        assert "щось пішло не так" in (await user.next_reply()).text
    assert "database exploded" in caplog.text
    assert "Роман" not in caplog.text and "Секретний" not in caplog.text

    monkeypatch.undo()
    await user.send_command("/events")
    assert "поки немає" in (await user.next_reply()).text
