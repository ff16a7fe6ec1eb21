"""/report in Telegram: for staff only, in correct Ukrainian, within Telegram's limits."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import Config, StaffConfig
from bot.services import attendance, registration
from emulator import BotApiEmulator
from handlers.staff import split_message
from storage.database import Database
from tests.conftest import REMINDERS
from tests.e2e.conftest import event_in
from tests.factories import make_person

pytestmark = pytest.mark.usefixtures("app")
LIBRARIAN = 777


@pytest.fixture
def bot_config(bot_config: Config) -> Config:
    return dataclasses.replace(bot_config, staff=StaffConfig(admins=(LIBRARIAN,)))


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
