"""The outbox's lanes and Telegram's «retry after» (found by the review of places and
branches, issue 12): four messages in flight at once must not carry on past a 429."""

from __future__ import annotations

import pytest
from telegram.ext import Application

from emulator import BotApiEmulator
from storage.database import Database
from tests.e2e.conftest import event_in
from tests.e2e.test_fanout_priority import fan_out, sends_to
from tests.waiting import until

pytestmark = [pytest.mark.telegram_limits, pytest.mark.usefixtures("app")]


async def test_a_429_to_one_announcement_holds_back_the_other_lanes(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
) -> None:
    """Telegram refuses the first message of an announcement and asks for 2 s: nothing
    more of it goes out in those 2 s (one lane waited so; four must too), and then all."""
    event = await event_in(db, capacity=None, title="Навчаємось вираховувати субсидію")
    audience = await fan_out(db, emu, event, 6)
    emu.fail_next(1, status=429, retry_after=2, methods={"sendMessage"})
    app.bot_data["deps"].poke()
    await until(lambda: sends_to(emu, audience), timeout=10, what="the 429")
    await until(
        lambda: all(u.messages for u in audience), timeout=30, what="the whole announcement"
    )
    first, *rest = sends_to(emu, audience)
    early = [round(r.time - first.time, 2) for r in rest if r.time - first.time < 1.9]
    assert early == []
    assert [len(u.messages) for u in audience] == [1] * len(audience)
