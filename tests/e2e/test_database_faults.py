"""PostgreSQL's connections cut while the bot runs (a server restart, a failover, an
administrator's pg_terminate_backend): the next updates are answered as if nothing happened."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from emulator import BotApiEmulator
from storage.database import Database
from storage.models import Registration
from tests.conftest import TEST_DB, _admin_execute
from tests.e2e.conftest import event_in
from tests.e2e.test_resident_flows import sign_up_first_time

pytestmark = pytest.mark.skipif(TEST_DB == "sqlite", reason="a PostgreSQL server's connections")


async def cut_every_connection(db: Database) -> None:
    name = make_url(db.url).database
    await _admin_execute(
        TEST_DB,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        f" WHERE datname = '{name}' AND pid <> pg_backend_pid()",
    )


@pytest.mark.usefixtures("app")
async def test_the_bot_answers_after_its_database_connections_were_cut(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, title="Навчаємось вираховувати субсидію", capacity=20)
    user = emu.add_user(first_name="Олена", last_name="Петренко", language_code="uk")
    await user.send_command("/start")
    assert "Вітаємо!" in (await user.next_reply()).text

    await cut_every_connection(db)  # the bot's pooled connections are dead now
    await user.send_command(f"/start event_{event.id}")
    card = await user.next_reply()
    assert card.text.startswith("Навчаємось вираховувати субсидію")

    await cut_every_connection(db)  # and again in the middle of the sign-up
    confirmation = await sign_up_first_time(user, card)
    assert confirmation.startswith("✅ Ви записані!")
    async with db.session() as session:
        stmt = select(func.count()).select_from(Registration)
        assert (await session.execute(stmt)).scalar_one() == 1
