"""A library that took its [[branches]] out of the configuration: staff members who were
given a branch before manage the whole library again (found by the review of places and
branches, issue 12)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from telegram.ext import Application

from bot.services import summary
from emulator import BotApiEmulator
from storage.database import Database
from tests.e2e.conftest import Outbox, Updates, event_in
from tests.e2e.test_branch_staff import add_staff, opened
from tests.factories import LIBRARIAN

pytestmark = [pytest.mark.usefixtures("app"), pytest.mark.staff]
STAFF_ONLY = "Ця команда — для працівників бібліотеки."
MEMBER = 5400


async def test_staff_of_a_branch_no_longer_configured_manage_every_event_when_none_is(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
    updates: Updates,
    outbox: Outbox,
) -> None:
    """Without branches in the configuration the administrator has no 🏠 to change her
    branch; she is not refused the library's events, /report or its places."""
    event = await event_in(db, days=-0.1, title="Тренінг у бібліотеці")
    await add_staff(db, MEMBER, "verbivka")  # given when the library had branches
    member, _ = await opened(emu, MEMBER, "Вербівчанка")
    await member.send_command(f"/attendance {event.id}")
    sheet = (await member.next_reply()).text
    assert sheet != STAFF_ONLY and "Тренінг у бібліотеці" in sheet
    await member.send_command("/report")
    assert (await member.next_reply()).text != STAFF_ONLY
    await updates.idle(app, emu)
    member.skip_pending()

    # Her morning summary tells of the library's events, as an administrator's does.
    deps = app.bot_data["deps"]
    tz = deps.config.library.timezone
    now = datetime.now(UTC)
    await event_in(db, days=0.3, title="Субсидії сьогодні")
    async with db.transaction() as session:
        await summary.choose(session, MEMBER, on=True, now=now)
        queued = await summary.queue(
            session,
            day=now.astimezone(tz).date(),
            tz=tz,
            admins=(LIBRARIAN,),
            now=now,
            branched=bool(deps.config.branches),
        )
    assert queued == 1
    await outbox.full_pass(app)
    told = [action.message.text or "" for action in member.skip_pending()]
    assert any("Субсидії сьогодні" in text for text in told), told
