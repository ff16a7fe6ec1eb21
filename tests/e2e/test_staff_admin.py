"""Staff management in Telegram: /staff, forwarding, invitation links, removal, menus, access."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from telegram.ext import Application

from bot.app import build_application, start, stop
from bot.config import Config
from bot.domain.staff import invite_hash
from bot.services import staff
from emulator import BotApiEmulator, SimUser
from storage import staff as staff_storage
from storage.database import Database
from storage.models import Person, StaffInvite
from tests.e2e.conftest import Updates, event_in
from tests.factories import LIBRARIAN
from tests.waiting import until

pytestmark = pytest.mark.staff
ADMIN = LIBRARIAN  # the administrator the staff configuration names
FORMER_ADMIN = 776  # an administrator once, no longer in staff.admins
KYIV = ZoneInfo("Europe/Kyiv")
ADMINS_ONLY = "Це — для адміністраторів бібліотеки."
STAFF_ONLY = "Ця команда — для працівників бібліотеки."
LINK = re.compile(r"https://t\.me/hromada_test_bot\?start=(staff_[A-Za-z0-9_-]+)")


@pytest.fixture
async def admin(emu: BotApiEmulator, app: Application) -> SimUser:  # type: ignore[type-arg]
    user = emu.add_user(first_name="Бібліотекарка", last_name="Головна", user_id=ADMIN)
    await user.send_command("/start")
    await user.next_reply()
    return user


async def opened(emu: BotApiEmulator, first_name: str, **kwargs: object) -> SimUser:
    """Someone who has opened the bot (so it may write to them)."""
    user = emu.add_user(first_name=first_name, **kwargs)  # type: ignore[arg-type]
    await user.send_command("/start")
    await user.next_reply()
    return user


async def members(db: Database) -> dict[int, str]:
    async with db.session() as session:
        return {m.telegram_id: m.name for m in await staff_storage.members(session)}


def chat_commands(emu: BotApiEmulator, user: SimUser) -> list[str]:
    return [c["command"] for c in emu.commands({"type": "chat", "chat_id": user.id})]


async def invitation(admin: SimUser) -> str:
    """Create an invitation from /staff; the /start payload of its link."""
    await admin.send_command("/staff")
    screen = await admin.next_reply()
    await admin.press(screen, text="🔗 Створити посилання-запрошення")
    text = (await admin.next_reply()).text
    found = LINK.search(text)
    assert found, text
    return found.group(1)


async def test_the_staff_screen_lists_administrators_and_members(
    emu: BotApiEmulator, db: Database, admin: SimUser
) -> None:
    async with db.transaction() as session:
        await staff.add(
            session,
            telegram_id=5001,
            name="Ірина <Коваль>",
            added_by=ADMIN,
            admins=(),
            now=datetime.now(UTC),
        )
    await admin.send_command("/staff")
    screen = await admin.next_reply()
    assert "Працівники бібліотеки" in screen.text
    assert "🔑 Бібліотекарка Головна (id 777)" in screen.text
    assert "👤 Ірина <Коваль> (id 5001)" in screen.text
    assert "<b>Ірина &lt;Коваль&gt;</b>" in screen.html
    assert "дійсне 7 днів" in screen.text and "/staff remove ID" in screen.text
    assert screen.button_texts == ["❌ Ірина <Коваль>", "🔗 Створити посилання-запрошення"]
    assert screen.buttons[0][0].callback_data == "stf:rm:5001"


async def test_an_invitation_link_makes_one_person_staff_once(
    emu: BotApiEmulator, db: Database, admin: SimUser
) -> None:
    payload = await invitation(admin)
    text = admin.messages[-1].text
    assert "дійсне 7 днів" in text and "хто відкриє його першим" in text
    async with db.session() as session:
        stored = (await session.execute(select(StaffInvite))).scalar_one()
    token = payload.removeprefix("staff_")
    assert stored.token_hash == invite_hash(token) and token not in stored.token_hash
    assert timedelta(days=6, hours=23) < stored.expires_at - datetime.now(UTC) <= timedelta(days=7)

    newcomer = emu.add_user(first_name="Марія", last_name="Шевчук")
    await newcomer.send_command(f"/start {payload}")
    welcome = (await newcomer.next_reply()).text
    assert welcome.startswith("Вітаємо серед працівників")
    assert "/newevent — створити захід" in welcome and "/staff" not in welcome
    assert await members(db) == {newcomer.id: "Марія Шевчук"}
    assert chat_commands(emu, newcomer)[-5:] == [
        "newevent",
        "programs",
        "newprogram",
        "attendance",
        "report",
    ]
    await newcomer.send_command("/report 2020")
    assert (await newcomer.next_reply()).text.startswith("Звіт за")
    assert (await newcomer.next_reply()).photo is not None  # the chart, then XLSX, CSV, DOCX
    assert [(await newcomer.next_reply()).kind for _ in range(3)] == ["document"] * 3

    late = emu.add_user(first_name="Запізнілий")
    await late.send_command(f"/start {payload}")
    assert (await late.next_reply()).text.startswith("Це запрошення вже використано.")
    await newcomer.send_command(f"/start {payload}")  # already staff: a friendly word
    assert (await newcomer.next_reply()).text.startswith("Ви вже працівник бібліотеки")
    for forged in ("staff_", "staff_" + "x" * 32, "staff_не-токен"):
        await late.send_command(f"/start {forged}")
        assert (await late.next_reply()).text.startswith("Це посилання-запрошення недійсне.")
    assert list(await members(db)) == [newcomer.id]
    assert chat_commands(emu, late) == []


async def test_staff_and_administrators_opening_a_link_leave_it_for_someone_else(
    emu: BotApiEmulator, db: Database, admin: SimUser
) -> None:
    payload = await invitation(admin)
    await admin.send_command(f"/start {payload}")
    assert (await admin.next_reply()).text.startswith("Ви вже працівник бібліотеки")
    colleague = emu.add_user(first_name="Оксана")
    await colleague.send_command(f"/start {payload}")
    assert (await colleague.next_reply()).text.startswith("Вітаємо серед працівників")


async def test_an_expired_invitation_is_refused(
    emu: BotApiEmulator, db: Database, app: Application
) -> None:  # type: ignore[type-arg]
    async with db.transaction() as session:
        old = await staff.invite(
            session, created_by=ADMIN, now=datetime.now(UTC) - timedelta(days=8)
        )
    person = emu.add_user(first_name="Петро")
    await person.send_command(f"/start staff_{old.token}")
    assert (await person.next_reply()).text.startswith("Термін дії цього запрошення минув.")
    assert await members(db) == {}


async def test_a_link_made_by_a_former_administrator_is_refused(
    emu: BotApiEmulator, db: Database, app: Application
) -> None:  # type: ignore[type-arg]
    """Made by someone who was an administrator then and is no longer in staff.admins."""
    async with db.transaction() as session:
        old = await staff.invite(session, created_by=FORMER_ADMIN, now=datetime.now(UTC))
    stranger = emu.add_user(first_name="Незнайомець")
    await stranger.send_command(f"/start staff_{old.token}")
    assert (await stranger.next_reply()).text.startswith(
        "Це запрошення більше не діє: людина, яка його створила, вже не адміністратор."
    )
    assert await members(db) == {}
    assert chat_commands(emu, stranger) == []
    async with db.session() as session:
        assert (await session.execute(select(StaffInvite.used_at))).scalar_one() is None


async def outstanding(db: Database) -> list[int]:
    """Ids of the invitations stored, used or not."""
    async with db.session() as session:
        stmt = select(StaffInvite.id).order_by(StaffInvite.id)
        return list((await session.execute(stmt)).scalars())


async def link_line(db: Database, invite_id: int, by: str) -> str:
    """How /staff shows an outstanding invitation: dates in the library's timezone."""
    async with db.session() as session:
        found = (
            await session.execute(select(StaffInvite).where(StaffInvite.id == invite_id))
        ).scalar_one()
    made, until = found.created_at.astimezone(KYIV), found.expires_at.astimezone(KYIV)
    return (
        f"🔗 №{invite_id} — створено {made:%d.%m.%Y}, автор: {by}; дійсне до {until:%d.%m.%Y %H:%M}"
    )


async def test_the_staff_screen_lists_outstanding_links_and_revokes_them(
    emu: BotApiEmulator, db: Database, admin: SimUser
) -> None:
    used = await invitation(admin)
    first, second = await invitation(admin), await invitation(admin)
    newcomer = emu.add_user(first_name="Марія")
    await newcomer.send_command(f"/start {used}")
    await newcomer.next_reply()
    async with db.transaction() as session:  # a former administrator's link is listed too
        await staff.invite(session, created_by=FORMER_ADMIN, now=datetime.now(UTC))
    used_id, first_id, second_id, former_id = await outstanding(db)

    await admin.send_command("/staff")
    screen = await admin.next_reply()
    links = screen.text.split("Посилання-запрошення, ще не використані:\n", 1)[1]
    assert links.split("\n\n")[0].splitlines() == [
        await link_line(db, first_id, "Бібліотекарка Головна (id 777)"),
        await link_line(db, second_id, "Бібліотекарка Головна (id 777)"),
        await link_line(db, former_id, f"id {FORMER_ADMIN}")
        + " — не діє: автор уже не адміністратор",
    ]
    assert "<b>Бібліотекарка Головна</b> (id 777)" in screen.html
    assert f"№{used_id}" not in screen.text and "staff_" not in screen.text
    assert first.removeprefix("staff_") not in screen.html
    assert screen.button_texts == [
        "❌ Марія",
        f"🚫 Відкликати №{first_id}",
        f"🚫 Відкликати №{second_id}",
        f"🚫 Відкликати №{former_id}",
        "🔗 Створити посилання-запрошення",
    ]
    assert screen.buttons[1][0].callback_data == f"stf:rv:{first_id}"

    await admin.press(screen, text=f"🚫 Відкликати №{first_id}")
    redrawn = await admin.next_reply()
    assert redrawn.message_id == screen.message_id
    assert redrawn.text.startswith(f"Посилання №{first_id} відкликано: воно більше не діє.")
    assert f"🔗 №{first_id}" not in redrawn.text and f"🔗 №{second_id}" in redrawn.text
    assert f"🚫 Відкликати №{first_id}" not in redrawn.button_texts
    assert await outstanding(db) == [used_id, second_id, former_id]

    stranger = emu.add_user(first_name="Незнайомець")
    await stranger.send_command(f"/start {first}")
    assert (await stranger.next_reply()).text.startswith("Це посилання-запрошення недійсне.")
    assert await members(db) == {newcomer.id: "Марія"}
    query = await admin.press_raw(screen.message_id, f"stf:rv:{first_id}")  # the old button
    assert (await admin.callback_answer(query))["text"] == (
        f"Посилання №{first_id} уже не діє: його використали, відкликали або воно застаріло."
    )
    query = await admin.press_raw(screen.message_id, f"stf:rv:{used_id}")  # a used one stays
    assert (await admin.callback_answer(query))["text"].startswith(f"Посилання №{used_id} уже")
    assert await outstanding(db) == [used_id, second_id, former_id]

    await stranger.send_command(f"/start {second}")  # the other link still works
    assert (await stranger.next_reply()).text.startswith("Вітаємо серед працівників")


async def test_expired_links_are_deleted_when_links_are_listed_or_made(
    emu: BotApiEmulator, db: Database, admin: SimUser
) -> None:
    async def expired() -> None:
        async with db.transaction() as session:
            await staff.invite(
                session, created_by=ADMIN, now=datetime.now(UTC) - timedelta(days=7, seconds=1)
            )

    await expired()
    await admin.send_command("/staff")
    screen = await admin.next_reply()
    assert "ще не використані" not in screen.text
    assert "🔗 №" not in screen.text and not any("Відкликати" in b for b in screen.button_texts)
    assert await outstanding(db) == []

    await expired()
    await admin.press(screen, text="🔗 Створити посилання-запрошення")
    await admin.next_reply()
    async with db.session() as session:
        stored = (await session.execute(select(StaffInvite))).scalars().all()
    assert [s.expires_at > datetime.now(UTC) for s in stored] == [True]


async def test_forwarding_a_message_makes_its_author_staff_after_confirmation(
    emu: BotApiEmulator, db: Database, admin: SimUser
) -> None:
    colleague = await opened(emu, "Марія", last_name="Шевчук")
    await admin.send_forward(colleague, "Привіт, я Марія")
    question = await admin.next_reply()
    assert question.text == (
        f"Додати Марія Шевчук (id {colleague.id}) до працівників? Ця людина зможе створювати "
        "заходи, позначати відвідування й отримувати звіт."
    )
    assert question.buttons[0][0].callback_data == f"stf:add:{colleague.id}"
    assert await members(db) == {}
    await admin.press(question, text="✅ Так, додати")
    assert (await admin.next_reply()).text == f"Марія Шевчук (id {colleague.id}) тепер працівник."
    told = (await colleague.next_reply()).text
    assert told.startswith("Адміністратор додав вас до працівників") and "/attendance ID" in told
    assert await members(db) == {colleague.id: "Марія Шевчук"}
    assert "newevent" in chat_commands(emu, colleague)
    assert "staff" not in chat_commands(emu, colleague)

    await admin.send_forward(colleague, "ще раз")
    assert (await admin.next_reply()).text == f"Марія Шевчук (id {colleague.id}) — уже працівник."
    await admin.press_raw(question.message_id, f"stf:add:{colleague.id}")  # the old button
    assert (await admin.next_reply()).text == f"Марія Шевчук (id {colleague.id}) — уже працівник."
    await admin.send_forward(admin, "моє")
    assert (await admin.next_reply()).text == "Бібліотекарка Головна (id 777) — уже адміністратор."


async def test_forwards_from_hidden_accounts_suggest_the_invitation_and_cancel_adds_nobody(
    emu: BotApiEmulator, db: Database, admin: SimUser
) -> None:
    await admin.send_forward("Таємна <Особа>", "текст")
    text = (await admin.next_reply()).text
    assert text.startswith("Таємна <Особа> приховує свій акаунт у пересланих повідомленнях")
    assert "посилання-запрошення через /staff" in text

    stranger = emu.add_user(first_name="Ніколи", last_name="Не писав")  # never opened the bot
    await admin.send_forward(stranger)
    question = await admin.next_reply()
    await admin.press(question, text="Скасувати")
    assert (await admin.next_reply()).text.startswith("Працівники бібліотеки")
    assert await members(db) == {}
    await admin.press_raw(question.message_id, f"stf:add:{stranger.id}")
    # Telegram will not say who it is and cannot write to them; the name seen is kept.
    assert (await admin.next_reply()).text == f"Ніколи Не писав (id {stranger.id}) тепер працівник."
    assert await members(db) == {stranger.id: "Ніколи Не писав"}


async def test_forwards_from_residents_and_staff_get_the_usual_help(
    emu: BotApiEmulator, db: Database, admin: SimUser
) -> None:
    resident = await opened(emu, "Мешканка")
    member = await opened(emu, "Працівниця")
    async with db.transaction() as session:
        await staff.add(
            session,
            telegram_id=member.id,
            name="П",
            added_by=ADMIN,
            admins=(),
            now=datetime.now(UTC),
        )
    for user in (resident, member):
        await user.send_forward(admin, "переслане")
        assert (await user.next_reply()).text.startswith("Я розумію такі команди:")
    assert list(await members(db)) == [member.id]


async def test_adding_and_removing_by_id(emu: BotApiEmulator, db: Database, admin: SimUser) -> None:
    colleague = await opened(emu, "Оксана", last_name="Бойко")
    await admin.send_command(f"/staff add {colleague.id}")
    assert (await admin.next_reply()).text == f"Оксана Бойко (id {colleague.id}) тепер працівник."
    assert (await colleague.next_reply()).text.startswith("Адміністратор додав вас")
    await admin.send_command(f"/staff add {colleague.id}")
    assert (await admin.next_reply()).text == f"Оксана Бойко (id {colleague.id}) — уже працівник."
    await admin.send_command("/staff add 777")
    assert (await admin.next_reply()).text.endswith("— уже адміністратор.")
    await admin.send_command("/staff add 123456789012")  # nobody the bot knows: the id alone
    assert (await admin.next_reply()).text == "id 123456789012 тепер працівник."

    await colleague.send_command("/report 2020")
    assert (await colleague.next_reply()).text.startswith("Звіт за")
    assert (await colleague.next_reply()).photo is not None  # the chart, then XLSX, CSV, DOCX
    assert [(await colleague.next_reply()).kind for _ in range(3)] == ["document"] * 3

    await admin.send_command(f"/staff remove {colleague.id}")
    question = await admin.next_reply()
    assert question.text == (
        f"Вилучити Оксана Бойко (id {colleague.id}) з працівників? "
        "Доступ до команд для працівників зникне одразу."
    )
    await admin.press(question, text="❌ Так, вилучити")
    screen = await admin.next_reply()
    assert screen.text.startswith(f"Оксана Бойко (id {colleague.id}) більше не працівник.")
    assert f"id {colleague.id}" not in screen.text.split("\n", 1)[1]
    assert list(await members(db)) == [123456789012]
    assert chat_commands(emu, colleague) == []

    # Access is gone at once: commands and buttons alike.
    event = await event_in(db, days=1)
    await colleague.send_command(f"/attendance {event.id}")
    assert (await colleague.next_reply()).text == STAFF_ONLY
    query = await colleague.press_raw(question.message_id, f"atp:{event.id}:0")
    assert (await colleague.callback_answer(query))["text"] == STAFF_ONLY

    query = await admin.press_raw(question.message_id, f"stf:rmy:{colleague.id}")  # again
    assert (await admin.callback_answer(query))["text"] == f"id {colleague.id} не є працівником."
    await admin.send_command(f"/staff remove {colleague.id}")
    assert (await admin.next_reply()).text == f"id {colleague.id} не є працівником."
    await admin.send_command("/staff remove 777")
    assert (await admin.next_reply()).text.startswith("id 777 — адміністратор:")
    query = await admin.press_raw(question.message_id, "stf:rmy:777")
    assert (await admin.callback_answer(query))["text"].startswith("id 777 — адміністратор:")


async def test_removing_from_the_list_asks_first(
    emu: BotApiEmulator, db: Database, admin: SimUser
) -> None:
    async with db.transaction() as session:
        for telegram_id, name in ((5001, "Ірина"), (5002, "Богдан")):
            await staff.add(
                session,
                telegram_id=telegram_id,
                name=name,
                added_by=ADMIN,
                admins=(),
                now=datetime.now(UTC),
            )
    await admin.send_command("/staff")
    screen = await admin.next_reply()
    assert screen.button_texts[:2] == ["❌ Богдан", "❌ Ірина"]
    await admin.press(screen, text="❌ Ірина")
    question = await admin.next_reply()
    assert question.message_id == screen.message_id and question.text.startswith("Вилучити Ірина")
    await admin.press(question, text="Скасувати")
    screen = await admin.next_reply()
    assert screen.button_texts[:2] == ["❌ Богдан", "❌ Ірина"]
    await admin.press(screen, text="❌ Ірина")
    await admin.press(await admin.next_reply(), text="❌ Так, вилучити")
    screen = await admin.next_reply()
    assert screen.text.startswith("Ірина (id 5001) більше не працівник.")
    assert screen.button_texts == ["❌ Богдан", "🔗 Створити посилання-запрошення"]
    assert await members(db) == {5002: "Богдан"}


async def test_bad_staff_commands_get_examples(admin: SimUser, db: Database) -> None:
    for command in (
        "/staff add",
        "/staff add abc",
        "/staff add @olena",
        "/staff remove 0",
        "/staff remove -5",
        "/staff add 12345678901234567",
        "/staff delete 5",
        "/staff add 5 6",
    ):
        await admin.send_command(command)
        assert (await admin.next_reply()).text.startswith("Не вдалося зрозуміти. Приклади:\n/staff")
    assert await members(db) == {}


async def test_residents_and_other_staff_cannot_manage_staff(
    emu: BotApiEmulator,
    db: Database,
    admin: SimUser,
    app: Application,  # type: ignore[type-arg]
    updates: Updates,
) -> None:
    resident = await opened(emu, "Мешканка")
    member = await opened(emu, "Працівниця")
    target = await opened(emu, "Ціль")
    async with db.transaction() as session:
        for telegram_id in (member.id, target.id):
            await staff.add(
                session,
                telegram_id=telegram_id,
                name="x",
                added_by=ADMIN,
                admins=(),
                now=datetime.now(UTC),
            )
        link = await staff.invite(session, created_by=ADMIN, now=datetime.now(UTC))
    for user in (resident, member):
        for command in (
            "/staff",
            f"/staff add {resident.id}",
            f"/staff remove {target.id}",
            "/staff remove 777",
            "/staff nonsense",
        ):
            await user.send_command(command)
            assert (await user.next_reply()).text == ADMINS_ONLY, command
        anchor = user.last_message
        assert anchor is not None
        for forged in (
            "stf",
            "stf:inv",
            f"stf:add:{resident.id}",
            f"stf:add:{user.id}",
            f"stf:rm:{target.id}",
            f"stf:rmy:{target.id}",
            "stf:rmy:777",
            f"stf:rv:{link.id}",
        ):
            query = await user.press_raw(anchor.message_id, forged)
            assert (await user.callback_answer(query))["text"] == ADMINS_ONLY, forged
        await updates.idle(app, emu)
        await user.expect_silence(0.05)  # short: the bot is idle, so it has done all it would
    assert await members(db) == {member.id: "x", target.id: "x"}
    async with db.session() as session:
        assert (
            await session.execute(select(func.count()).select_from(StaffInvite))
        ).scalar_one() == 1  # the link they tried to revoke


async def test_help_lists_staff_commands_for_staff_only(
    emu: BotApiEmulator, db: Database, admin: SimUser
) -> None:
    resident = await opened(emu, "Мешканка")
    member = await opened(emu, "Працівниця")
    async with db.transaction() as session:
        await staff.add(
            session,
            telegram_id=member.id,
            name="x",
            added_by=ADMIN,
            admins=(),
            now=datetime.now(UTC),
        )
    helps = {}
    for user in (resident, member, admin):
        await user.send_command("/help")
        helps[user.id] = (await user.next_reply()).text
    assert helps[resident.id].startswith("Я розумію такі команди:")
    assert "/newevent" not in helps[resident.id] and "/report" not in helps[resident.id]
    for text in (helps[member.id], helps[admin.id]):
        assert text.startswith(helps[resident.id])
        for line in (
            "/newevent — створити захід",
            "/programs — програми (проєкти), за якими звітуємо; /newprogram — додати програму",
            "/events — заходи із записами, також чернетки",
            "/attendance ID — позначити, хто прийшов на захід",
            "/report [період] [проєкт] — звіт за проєктом, напр. /report 2026-03",
            "/cancel — зупинити /newevent або редагування",
            "CSV-файл у форматі імпорту, надісланий сюди, додає заходи.",
        ):
            assert line in text
    assert "/staff" not in helps[member.id]
    assert "/staff — додати чи вилучити працівників" in helps[admin.id]


async def test_staff_menus_are_set_at_start_up(
    bot_config: Config, emu: BotApiEmulator, db: Database
) -> None:
    admin = await _opened_before_start(emu, ADMIN)
    english = await _opened_before_start(emu, 5001)
    ukrainian = await _opened_before_start(emu, 5002)
    never = emu.add_user(user_id=5003)  # never opened the bot: Telegram refuses, start-up goes on
    now = datetime.now(UTC)
    async with db.transaction() as session:
        for user in (english, ukrainian, never):
            await staff.add(
                session, telegram_id=user.id, name="x", added_by=ADMIN, admins=(), now=now
            )
        session.add(Person(telegram_id=english.id, language="en", created_at=now))
    application = build_application(bot_config, token=emu.token, db=db)
    await start(application)
    try:
        # A job once polling has begun: two default menus, then one per staff member.
        await until(lambda: len(emu.requests_for("setMyCommands")) >= 2 + 4, what="the menus")
        staff_commands = ["newevent", "programs", "newprogram", "attendance", "report"]
        assert chat_commands(emu, admin)[-7:] == [*staff_commands, "staff", "status"]
        assert chat_commands(emu, ukrainian)[-5:] == staff_commands
        assert emu.commands({"type": "chat", "chat_id": english.id})[-4] == {
            "command": "programs",
            "description": "Programmes (projects)",
        }
        assert emu.commands({"type": "chat", "chat_id": ukrainian.id})[-3]["description"] == (
            "Додати програму"
        )
        assert chat_commands(emu, never) == []
        assert [c["command"] for c in emu.commands()] == [
            "events",
            "my",
            "language",
            "subscribe",
            "forget",
            "help",
        ]
        assert chat_commands(emu, admin)[:6] == [c["command"] for c in emu.commands()]
    finally:
        await stop(application)


async def _opened_before_start(emu: BotApiEmulator, user_id: int) -> SimUser:
    user = emu.add_user(user_id=user_id)
    user.chat.started = True  # they wrote to the bot in an earlier run
    return user


async def test_a_staff_members_menu_follows_their_language(
    emu: BotApiEmulator, db: Database, admin: SimUser
) -> None:
    await admin.send_command("/language")
    await admin.press(await admin.next_reply(), text="🇬🇧 English")
    await admin.next_reply()
    assert emu.commands({"type": "chat", "chat_id": admin.id})[-2:] == [
        {"command": "staff", "description": "Library staff"},
        {"command": "status", "description": "How the bot is doing"},
    ]
    resident = await opened(emu, "Мешканка")
    await resident.send_command("/language")
    await resident.press(await resident.next_reply(), text="🇬🇧 English")
    await resident.next_reply()
    assert chat_commands(emu, resident) == []


async def test_a_forward_confirmed_after_a_restart_keeps_the_forwarded_name(
    emu: BotApiEmulator,
    db: Database,
    admin: SimUser,
    app: Application,  # type: ignore[type-arg]
    bot_config: Config,
) -> None:
    """The press may reach another process (webhook mode behind a load balancer) or a
    restarted one: the name comes from the forwarded message the question quotes, not from
    memory; Telegram will not tell the name of someone who never opened the bot."""
    colleague = emu.add_user(first_name="Ірина", last_name="Бондар")  # never opened the bot
    forwarded = await admin.send_forward(colleague, "Добрий день")
    question = await admin.next_reply()
    assert question.reply_to_message_id == forwarded["message_id"]
    await stop(app)
    restarted = build_application(bot_config, token=emu.token, db=db)
    await start(restarted)
    try:
        await admin.press(question, text="✅ Так, додати")
        assert (
            await admin.next_reply()
        ).text == f"Ірина Бондар (id {colleague.id}) тепер працівник."
    finally:
        await stop(restarted)
        await start(app)  # the fixture stops it again
    assert await members(db) == {colleague.id: "Ірина Бондар"}
