"""/newevent of a staff member given a branch while the form was open: found by the review
of places and branches (issue 12)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, update

from bot.config import Config
from emulator import BotApiEmulator
from storage.database import Database
from storage.models import Event, StaffMember
from tests.e2e.test_places import _the_event, answer, place_question, question, tap
from tests.factories import LIBRARIAN
from tests.places import with_places

pytestmark = [pytest.mark.usefixtures("app"), pytest.mark.staff]
MEMBER = 4343


@pytest.fixture
def bot_config(bot_config: Config) -> Config:
    return with_places(bot_config)


async def test_a_place_chosen_before_one_was_given_a_branch_is_asked_again_at_publishing(
    emu: BotApiEmulator, db: Database
) -> None:
    """She chose the central reading room as staff of the whole library; an administrator
    then made her staff of Verbivka. «Опублікувати» does not make an event of the central
    library (which she could then not manage): the place is asked again."""
    async with db.transaction() as session:
        session.add(
            StaffMember(
                telegram_id=MEMBER, name="Марія", added_by=LIBRARIAN, added_at=datetime.now(UTC)
            )
        )
    librarian = emu.add_user(first_name="Марія", user_id=MEMBER)
    asked = await place_question(librarian)
    await tap(librarian, asked, "📍 Читальна зала ЦРБ", "Скільки є місць?")
    audience = await answer(librarian, "20", "Для кого він?")
    programs = await tap(librarian, audience, "Пропустити", "До якої програми")
    description = await tap(librarian, programs, "Пропустити", "Кілька слів")
    reminders = await tap(librarian, description, "Пропустити", "Коли нагадати")
    preview = await tap(librarian, reminders, "Як у бібліотеці", "Попередній перегляд")
    async with db.transaction() as session:
        await session.execute(
            update(StaffMember)
            .where(StaffMember.telegram_id == MEMBER)
            .values(branch_key="verbivka")
        )
    await librarian.press(preview, text="Опублікувати")
    again = await question(librarian)
    assert "належить іншій філії" in again.text, again.text
    assert "Де він відбудеться?" in again.text
    async with db.session() as session:
        assert await session.scalar(select(func.count()).select_from(Event)) == 0
    # Her own branch's place, and the rest of the answers are kept.
    preview = await tap(librarian, again, "📍 Вербівка, бібліотека-філія", "Попередній перегляд")
    await tap(librarian, preview, "Опублікувати", "✅ Опубліковано")
    event = await _the_event(db)
    assert (event.place_key, event.branch_key) == ("verbivka_club", "verbivka")
