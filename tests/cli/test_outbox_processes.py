"""The outbox across real processes: announcing from the terminal, two senders on one
PostgreSQL, and a bot killed with SIGKILL in the middle of sending reminders."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.domain.status import NotificationKind, RegistrationStatus
from bot.services import announcements
from emulator import BotApiEmulator, SimUser
from storage import notifications
from storage.database import Database
from storage.models import Notification, Registration
from tests.cli.test_cli import hromada, write_config
from tests.conftest import TEST_DB
from tests.factories import make_event, make_person
from tests.waiting import until


def bot_env(emu: BotApiEmulator, database_url: str) -> dict[str, str]:
    return {"BOT_TOKEN": emu.token, "DATABASE_URL": database_url}


def emulator_config(tmp_path: Path, emu: BotApiEmulator, extra: str = "") -> Path:
    """The emulator's address; no quiet hours, as these tests run at any time of day."""
    return write_config(
        tmp_path,
        f"[telegram]\napi_base_url = '{emu.base_url}'\napi_file_url = '{emu.base_file_url}'\n"
        f"[library]\nquiet_hours = ''\n{extra}",
    )


async def subscribers(db: Database, emu: BotApiEmulator, n: int, now: datetime) -> list[SimUser]:
    users = [emu.add_user(first_name=f"Читач {i}") for i in range(n)]
    for user in users:
        await user.send_command("/start")  # they have talked to the bot: their chat exists
        await make_person(db, user.user_id, now=now)
        async with db.transaction() as session:
            await announcements.choose(
                session, user.user_id, "*", known_kinds=["training"], now=now
            )
    return users


def reminders_received(users: list[SimUser]) -> Counter[int]:
    return Counter(
        {u.user_id: sum(1 for m in u.messages if m.text.startswith("🔔")) for u in users}
    )


async def test_announce_sends_to_subscribers_with_progress_and_resumes(
    tmp_path: Path, db: Database, database_url: str, emu: BotApiEmulator
) -> None:
    now = datetime.now(UTC)
    event = await make_event(db, now=now, title="Легальна зайнятість")
    users = await subscribers(db, emu, 7, now)
    config = emulator_config(tmp_path, emu)
    blocked = users[3]
    blocked.blocked = True
    result = await hromada(
        "--config", str(config), "events", "announce", str(event.id), env=bot_env(emu, database_url)
    )
    assert result.code == 0, result.err
    assert result.out == f"announced event {event.id}: sent 6 of 7, failed 1, waiting 0\n"
    assert "sent 6 / 7, failed 1" in result.err  # the progress line
    for user in users:
        got = [m for m in user.messages if m.text.startswith("📣 Новий захід!")]
        assert len(got) == (0 if user is blocked else 1)
        if got:
            assert [row[0].text for row in got[0].buttons] == [
                "✍️ Записатися",
                "🔕 Не надсилати таких повідомлень",
            ]
    again = await hromada(
        "--config", str(config), "events", "announce", str(event.id), env=bot_env(emu, database_url)
    )
    assert again.out == f"announced event {event.id}: sent 6 of 7, failed 1, waiting 0\n"
    assert sum(1 for u in users for m in u.messages if m.text.startswith("📣")) == 6


async def test_update_and_cancel_queue_notices_that_the_outbox_sends(
    tmp_path: Path, db: Database, database_url: str, emu: BotApiEmulator
) -> None:
    now = datetime.now(UTC)
    event = await make_event(db, now=now, starts_in=timedelta(days=5), capacity=1)
    a, b = emu.add_user(first_name="А"), emu.add_user(first_name="Б")
    for user in (a, b):
        await user.send_command("/start")
        person = await make_person(db, user.user_id, now=now)
        async with db.transaction() as session:
            from bot.services import registration

            await registration.register(
                session, event_id=event.id, person_id=person.id, default_reminders=(), now=now
            )
    config = emulator_config(tmp_path, emu)
    env = bot_env(emu, database_url)
    result = await hromada(
        "--config",
        str(config),
        "events",
        "update",
        str(event.id),
        "--starts-at",
        "2030-01-15 10:00",
        "--place",
        "Актова зала",
        "--capacity",
        "2",
        env=env,
    )
    assert result.out.splitlines() == [
        f"event {event.id} updated; 2 registrants will be told",
        "1 moved up from the waiting list and will be told",
    ], result.err
    sent = await hromada("--config", str(config), "outbox", "send", env=env)
    assert sent.out == "sent 3, failed 0, blocked 0, to retry 0, held for the morning 0\n", sent.err
    changed = [m.text for m in a.messages if m.text.startswith("⚠️")]
    assert changed == [
        f"⚠️ Зміни в заході {event.title}.\n🗓 Тепер: вівторок, 15 січня 2030, 10:00 (було: "
        + changed[0].split("(було: ")[1].split(")")[0]
        + ")\n📍 Тепер: Актова зала (було: Читальна зала)\n\nЯкщо тепер не зможете прийти, будь ласка, скасуйте запис у розділі /my."
    ]
    assert any(m.text.startswith("🎉") for m in b.messages)

    bad = await hromada(
        "--config", str(config), "events", "update", str(event.id), "--capacity", "1", env=env
    )
    assert (bad.code, bad.err.strip()) == (
        1,
        "hromada-bot: --capacity: fewer seats than people already registered",
    )
    cancelled = await hromada("--config", str(config), "events", "cancel", str(event.id), env=env)
    assert cancelled.out == f"event {event.id} cancelled; 2 registrants will be told\n"
    await hromada("--config", str(config), "outbox", "send", env=env)
    for user in (a, b):
        assert sum(1 for m in user.messages if m.text.startswith("❌ На жаль")) == 1
    twice = await hromada("--config", str(config), "events", "cancel", str(event.id), env=env)
    assert (twice.code, twice.err.strip()) == (
        1,
        f"hromada-bot: event {event.id} is already cancelled",
    )
    missing = await hromada("--config", str(config), "events", "cancel", "999999", env=env)
    assert (missing.code, missing.err.strip()) == (1, "hromada-bot: event 999999 not found")


async def due_reminders(db: Database, emu: BotApiEmulator, n: int) -> tuple[list[SimUser], int]:
    """``n`` registrants of one event, each with a reminder due now."""
    now = datetime.now(UTC)
    event = await make_event(db, now=now, starts_in=timedelta(days=1), capacity=None)
    users = [emu.add_user(first_name=f"Учасник {i}") for i in range(n)]
    async with db.transaction() as session:
        from storage import people

        rows = []
        for user in users:
            person = await people.ensure(session, user.user_id, now=now)
            session.add(
                Registration(
                    event_id=event.id,
                    person_id=person.id,
                    status=RegistrationStatus.CONFIRMED,
                    queued_at=now,
                    updated_at=now,
                )
            )
            rows.append(
                {
                    "event_id": event.id,
                    "person_id": person.id,
                    "kind": NotificationKind.REMINDER,
                    "variant": "2h",
                    "due_at": now,
                    "expires_at": event.starts_at,
                    "created_at": now,
                }
            )
        await notifications.enqueue(session, rows)
    for user in users:  # their chats exist
        await user.send_command("/help")
    return users, event.id


async def test_two_senders_on_one_postgresql_never_send_twice(
    tmp_path: Path, db: Database, database_url: str, emu: BotApiEmulator
) -> None:
    if TEST_DB == "sqlite":
        pytest.skip("two processes on one PostgreSQL: runs in the PostgreSQL pass")
    users, _ = await due_reminders(db, emu, 120)
    config = emulator_config(tmp_path, emu)
    env = bot_env(emu, database_url)
    first, second = await asyncio.gather(
        hromada("--config", str(config), "outbox", "send", env=env),
        hromada("--config", str(config), "outbox", "send", env=env),
    )
    sent = [int(out.split()[1].rstrip(",")) for out in (first.out, second.out)]
    print(f"two senders: {sent[0]} + {sent[1]} = {sum(sent)} of {len(users)}")
    assert sum(sent) == len(users)
    assert min(sent) > 0  # both really took part
    assert set(reminders_received(users).values()) == {1}


async def test_a_bot_killed_while_sending_resends_at_most_one_after_restart(
    tmp_path: Path, db: Database, database_url: str, emu: BotApiEmulator
) -> None:
    users, _ = await due_reminders(db, emu, 500)
    config = emulator_config(
        tmp_path, emu, "[reminders]\nsweep_interval = '1s'\nclaim_lease = '3s'\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "HROMADA_CONFIG"} | bot_env(
        emu, database_url
    )

    async def start_bot() -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "--config",
            str(config),
            "run",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
            env=env,
        )

    bot = await start_bot()
    await until(
        lambda: sum(reminders_received(users).values()) >= 150,
        timeout=60,
        interval=0.01,
        what="150 reminders received before the kill",
    )
    bot.send_signal(signal.SIGKILL)
    await bot.wait()
    at_kill = sum(reminders_received(users).values())
    # No wait for requests still in flight: the emulator counts them whenever they land,
    # before or after the restarted bot's, and the counts below do not depend on the order.
    bot = await start_bot()
    try:
        # Every reminder marked sent: the outbox has nothing left to send, so nothing more
        # arrives (a row is marked only after its message was delivered).
        await until(lambda: all_sent(db, len(users)), timeout=90, what="every reminder sent")
    finally:
        bot.send_signal(signal.SIGINT)
        await asyncio.wait_for(bot.wait(), timeout=30)
    counts = reminders_received(users)
    duplicates = sum(n - 1 for n in counts.values() if n > 1)
    missing = sum(1 for n in counts.values() if n == 0)
    print(
        f"SIGKILL after {at_kill} of {len(users)} reminders; after restart: missing {missing}, duplicates {duplicates}"
    )
    assert missing == 0
    assert duplicates <= 1
    assert await all_sent(db, len(users))


async def all_sent(db: Database, n: int) -> bool:
    async with db.session() as session:
        statuses = Counter((await session.execute(select(Notification.status))).scalars())
    return statuses == {"sent": n}
