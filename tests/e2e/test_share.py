"""«Поділитися» on the event card (issue 12): Telegram's share link with the event's title
and its deep link, so a relative can send it on."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from emulator import BotApiEmulator
from storage.database import Database
from tests.e2e.conftest import event_in
from tests.factories import make_person

pytestmark = pytest.mark.usefixtures("app")


async def test_the_card_shares_the_title_and_the_events_link(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, days=3, title="Навчаємось вираховувати субсидію & пільги")
    resident = emu.add_user(first_name="Онука")
    await make_person(db, resident.user_id, now=datetime.now(UTC))  # signed up before
    await resident.send_command(f"/start event_{event.id}")
    card = await resident.next_reply()
    (share,) = [b for row in card.buttons for b in row if b.text == "📤 Поділитися"]
    assert share.url is not None and share.callback_data is None
    parts = urlsplit(share.url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "t.me", "/share/url")
    assert "+" not in parts.query  # spaces as %20
    query = parse_qs(parts.query)
    link = f"https://t.me/{emu.bot_user['username']}?start=event_{event.id}"
    assert query == {"url": [link], "text": ["Навчаємось вираховувати субсидію & пільги"]}

    await resident.press(card, text="Записатися")  # the card redrawn keeps it
    after = await resident.next_reply()
    assert "📤 Поділитися" in after.button_texts


async def test_a_started_event_is_not_offered_for_sharing(
    emu: BotApiEmulator, db: Database
) -> None:
    event = await event_in(db, days=-1 / 24, title="Вже йде")
    resident = emu.add_user(first_name="Онука")
    await resident.send_command(f"/start event_{event.id}")
    assert "📤 Поділитися" not in (await resident.next_reply()).button_texts
