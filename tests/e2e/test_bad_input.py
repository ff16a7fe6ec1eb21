"""Forged buttons, stale buttons and failures: a short answer, nothing changed, the bot lives on."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select
from telegram.ext import Application

from bot.domain.status import RegistrationStatus
from bot.services import catalog
from emulator import BotApiEmulator
from storage.database import Database
from storage.models import Event, Registration
from tests.e2e.conftest import Updates, event_in
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
    emu: BotApiEmulator,
    db: Database,
    data: str,
    answer: str,
    app: Application,  # type: ignore[type-arg]
    updates: Updates,
) -> None:
    event = await event_in(db, capacity=1)
    owner = emu.add_user(first_name="Власниця")
    await make_person(db, owner.user_id, now=event.created_at)
    await owner.send_command(f"/start event_{event.id}")
    await owner.press(await owner.next_reply(), text="Записатися")
    await owner.next_reply()
    before = await registrations(db)

    intruder = emu.add_user(first_name="Чужий")
    await intruder.send_command("/start")
    menu = await intruder.next_reply()
    query = await intruder.press_raw(menu.message_id, data.format(event=event.id))
    reply = await intruder.callback_answer(query)
    assert reply["text"] == answer
    await updates.idle(app, emu)
    await intruder.expect_silence(
        0.05
    )  # short: the bot is idle, so whatever it does about this is done
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


async def test_a_newcomer_on_a_started_event_is_not_asked_for_their_name(
    emu: BotApiEmulator,
    db: Database,
    app: Application,  # type: ignore[type-arg]
    updates: Updates,
) -> None:
    from storage.models import Dialog, Person

    event = await event_in(db)
    user = emu.add_user(first_name="Новенька")
    await user.send_command(f"/start event_{event.id}")
    card = await user.next_reply()
    async with db.transaction() as session:
        row = await session.get(Event, event.id)
        assert row is not None
        row.starts_at = row.created_at
    query = await user.press(card, text="Записатися")
    assert (await user.callback_answer(query))["text"] == "Запис закрито: захід уже розпочався."
    await updates.idle(app, emu)
    await user.expect_silence(
        0.05
    )  # short: the bot is idle, so whatever it does about this is done
    async with db.session() as session:
        assert (await session.execute(select(Dialog))).first() is None
        assert (await session.execute(select(Person))).first() is None


async def test_an_error_after_the_button_was_answered_still_gets_an_apology(
    emu: BotApiEmulator, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from handlers import resident

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("calendar exploded")

    monkeypatch.setattr(resident, "event_ics", broken)
    event = await event_in(db)
    user = emu.add_user(first_name="Яна")
    await user.send_command(f"/start event_{event.id}")
    query = await user.press(await user.next_reply(), text="Додати в календар")
    assert not (await user.callback_answer(query))["text"]
    assert "щось пішло не так" in (await user.next_reply()).text


async def test_my_registrations_fit_one_message_however_long_the_titles(
    emu: BotApiEmulator, db: Database
) -> None:
    user = emu.add_user(first_name="Зоя")
    person = None
    for i in range(12):
        event = await event_in(db, days=1 + i, title=f"{i:02d} " + "Д" * 197)
        async with db.transaction() as session:
            row = await session.get(Event, event.id)
            assert row is not None
            row.place = "М" * 200
        if person is None:
            person = await make_person(db, user.user_id, now=event.created_at)
        await user.send_command(f"/start event_{event.id}")
        await user.press(await user.next_reply(), text="Записатися")
        await user.next_reply()
    await user.send_command("/my")
    mine = await user.next_reply()
    assert len(mine.text) < 4096
    assert "…і ще 2." in mine.text
    assert [row[0].text for row in mine.buttons][:10] == [
        f"❌ Скасувати №{n}" for n in range(1, 11)
    ]
