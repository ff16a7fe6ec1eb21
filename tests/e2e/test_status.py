"""``/status`` for administrators, and ``hromada-bot status`` with the same figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from telegram.ext import Application

from bot.domain.status import NotificationKind, NotificationStatus
from bot.i18n import Catalogs
from bot.services import staff
from bot.services.status import version
from emulator import BotApiEmulator
from storage.backup import revisions
from storage.database import Database
from storage.models import Notification, Person
from tests.cli.test_cli import hromada
from tests.factories import LIBRARIAN, make_event, make_person, queue

pytestmark = pytest.mark.staff
COLLEAGUE = 778
Kind = NotificationKind
Status = NotificationStatus
SENT_AT = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)  # 10:30 in Kyiv
FAILED_AT = datetime(2026, 11, 21, 12, 5, tzinfo=UTC)  # 14:05 in Kyiv


async def seed(db: Database) -> None:
    """Queued 3 (one being sent), failed 2, held 2 for someone who blocked the bot, 1 sent."""
    now = datetime.now(UTC)
    event = await make_event(db, now=now, starts_in=timedelta(days=5))
    reachable = [await make_person(db, 9000 + i, now=now) for i in range(6)]
    blocked = await make_person(db, 9100, now=now, name="Тарас Блокований")
    later = now + timedelta(days=1)  # not due yet: the running bot leaves them be
    for person, kind in zip(reachable, [Kind.REMINDER] * 3 + [Kind.PROMOTED] * 3, strict=True):
        await queue(db, events=[event], person_id=person.id, kind=kind, due=later)
    for kind in (Kind.REMINDER, Kind.PROMOTED):
        await queue(db, events=[event], person_id=blocked.id, kind=kind, due=later)
    ids = {p.id: n for n, p in enumerate(reachable)}
    async with db.transaction() as session:
        await session.execute(
            update(Person).where(Person.id == blocked.id).values(unreachable_at=now)
        )

        async def set_row(n: int, **values: object) -> None:
            person_id = next(pid for pid, i in ids.items() if i == n)
            await session.execute(
                update(Notification).where(Notification.person_id == person_id).values(**values)
            )

        await set_row(2, status=Status.SENDING, claimed_by="elsewhere:0:1:0", claimed_at=now)
        await set_row(3, status=Status.FAILED, claimed_at=FAILED_AT - timedelta(days=1))
        await set_row(4, status=Status.FAILED, claimed_at=FAILED_AT)
        await set_row(5, status=Status.SENT, sent_at=SENT_AT, claimed_at=SENT_AT)


async def test_an_administrator_sees_the_figures_of_the_outbox(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
    database_url: str,
) -> None:
    await seed(db)
    admin = emu.add_user(user_id=LIBRARIAN, first_name="Бібліотекарка")
    await admin.send_command("/status")
    text = (await admin.next_reply()).text
    dialect = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    assert f"Версія: {version()}" in text
    assert "Працює: 0 год" in text
    assert f"База даних: {dialect}, схема {revisions().head}" in text
    assert ("МБ" in text) == (dialect == "sqlite")
    assert "У черзі: 3" in text
    assert "Не вдалося надіслати: 2" in text
    assert "Чекають на тих, хто заблокував бота: 2" in text
    assert "Останнє надіслане: пʼятниця, 20 листопада 2026, 10:30" in text
    assert "Остання помилка: субота, 21 листопада 2026, 14:05" in text
    assert "Тарас" not in text and str(9100) not in text  # nobody's name or id

    result = await hromada("status", env={"DATABASE_URL": database_url})
    assert result.code == 0, result.err
    assert f"version: {version()}" in result.out
    assert "uptime: not running inside a bot" in result.out
    assert f"database: {dialect}, schema {revisions().head}" in result.out
    assert "messages queued: 3\n" in result.out
    assert "messages failed: 2\n" in result.out
    assert "held for people who blocked the bot: 2\n" in result.out
    assert "last message sent: 2026-11-20 10:30 EET" in result.out
    assert "last error: 2026-11-21 14:05 EET: a message (promoted) could not be delivered" in (
        result.out
    )


async def test_staff_who_are_not_administrators_and_residents_are_refused(
    app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
) -> None:
    async with db.transaction() as session:
        await staff.add(
            session,
            telegram_id=COLLEAGUE,
            name="Ірина",
            added_by=LIBRARIAN,
            admins=(LIBRARIAN,),
            now=datetime.now(UTC),
        )
    refusal = Catalogs().get("uk").gettext("This is for the library's administrators.")
    for user_id in (COLLEAGUE, 4242):
        user = emu.add_user(user_id=user_id, first_name="Хтось")
        await user.send_command("/status")
        answer = (await user.next_reply()).text
        assert answer == refusal
        assert "Версія" not in answer


async def test_the_shell_says_so_when_there_is_no_database_yet(tmp_path: object) -> None:
    result = await hromada(
        "status", env={"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/none.sqlite3"}
    )
    assert result.code != 0
    assert result.err.strip().startswith("hromada-bot: database: no database at")
    assert len(result.err.strip().splitlines()) == 1
