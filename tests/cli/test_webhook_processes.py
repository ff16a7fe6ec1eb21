"""``hromada-bot webhook`` as real processes: configuration errors, and two instances on one
database behind a load balancer that alternates the updates between them, one of them
killed with SIGKILL half-way."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import socket
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import select

from bot.domain.status import EventStatus
from bot.outbox.dispatcher import LANES
from emulator import BotApiEmulator, SimUser
from emulator.messages import SimMessage
from storage.database import Database
from storage.models import Event, Notification, Person, Registration
from tests.cli.test_cli import hromada, write_config
from tests.cli.test_outbox_processes import due_reminders, reminders_received
from tests.factories import LIBRARIAN, make_event
from tests.waiting import until

SECRET = "webhook-secret_for-two-instances-0123456789"
HOOK_PATH = "/hook"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- configuration errors ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"HROMADA_WEBHOOK_SECRET": SECRET},
            "telegram.webhook.url: missing; set it in the file or the HROMADA_WEBHOOK_URL "
            "environment variable (or give --url)",
        ),
        (
            {"HROMADA_WEBHOOK_URL": "https://bot.example.org/hook"},
            "telegram.webhook.secret: missing; set it in the file or the HROMADA_WEBHOOK_SECRET "
            "environment variable (16-256 of A-Z a-z 0-9 _ -, e.g. from `openssl rand -hex 32`)",
        ),
        (
            {
                "HROMADA_WEBHOOK_URL": "https://bot.example.org/hook",
                "HROMADA_WEBHOOK_SECRET": "a b",
            },
            "telegram.webhook.secret (from HROMADA_WEBHOOK_SECRET): expected 16 to 256 letters "
            "A-Z a-z, digits, _ or - (Telegram's rule), e.g. from `openssl rand -hex 32`",
        ),
        (
            {"HROMADA_WEBHOOK_URL": "bot.example.org", "HROMADA_WEBHOOK_SECRET": SECRET},
            "telegram.webhook.url (from HROMADA_WEBHOOK_URL): expected an http:// or https:// "
            'URL, got "bot.example.org"',
        ),
        (
            {
                "HROMADA_WEBHOOK_URL": "https://bot.example.org/hook",
                "HROMADA_WEBHOOK_SECRET": SECRET,
                "HROMADA_WEBHOOK_PORT": "80000",
            },
            "telegram.webhook.port (from HROMADA_WEBHOOK_PORT): expected a port number from 1 "
            "to 65535",
        ),
    ],
)
async def test_webhook_without_its_url_or_secret_is_one_line_and_exit_2(
    tmp_path: Path, database_url: str, env: dict[str, str], message: str
) -> None:
    token = "123456:TEST-TOKEN-abcdefghijklmnop"
    result = await hromada(
        "webhook", env={"BOT_TOKEN": token, "DATABASE_URL": database_url, **env}, cwd=tmp_path
    )
    assert result.code == 2
    assert result.err.startswith("hromada-bot: ") and result.err.count("\n") == 1, result.err
    assert result.err.endswith(f"config.toml: {message}\n"), result.err
    assert "a b" not in result.err


async def test_webhook_refused_by_telegram_is_one_line(
    tmp_path: Path, database_url: str, emu: BotApiEmulator
) -> None:
    """Telegram wants HTTPS; the emulator, as Telegram, refuses a plain http:// address."""
    config = write_config(
        tmp_path,
        f"[telegram]\napi_base_url = '{emu.base_url}'\napi_file_url = '{emu.base_file_url}'\n",
    )
    port = free_port()
    result = await hromada(
        "--config",
        str(config),
        "webhook",
        "--port",
        str(port),
        "--url",
        "http://bot.example.org/hook",
        env={
            "BOT_TOKEN": emu.token,
            "DATABASE_URL": database_url,
            "HROMADA_WEBHOOK_SECRET": SECRET,
        },
    )
    assert result.code == 1
    assert result.err.splitlines()[-1] == (
        "hromada-bot: telegram.webhook.url: Telegram refused the webhook: "
        "Bad webhook: an https url must be provided for webhook"
    )
    assert SECRET not in result.err
    secret_part = emu.token.split(":")[1]
    leaky = await hromada(
        "--config", str(config), "webhook", "--url", f"https://bot.example.org/{secret_part}",
        env={"BOT_TOKEN": emu.token, "DATABASE_URL": database_url, "HROMADA_WEBHOOK_SECRET": SECRET},
    )  # fmt: skip
    assert (leaky.code, leaky.err) == (2, "hromada-bot: --url: must not contain the bot token\n")


async def test_a_port_already_taken_is_one_line(
    tmp_path: Path, database_url: str, emu: BotApiEmulator
) -> None:
    config = write_config(
        tmp_path,
        f"[telegram]\napi_base_url = '{emu.base_url}'\napi_file_url = '{emu.base_file_url}'\n",
    )
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = await hromada(
            "--config", str(config), "webhook", "--port", str(port),
            env={
                "BOT_TOKEN": emu.token,
                "DATABASE_URL": database_url,
                "HROMADA_WEBHOOK_URL": "https://bot.example.org/hook",
                "HROMADA_WEBHOOK_SECRET": SECRET,
            },
        )  # fmt: skip
    assert result.code == 1
    assert result.err.splitlines()[-1].startswith(
        f"hromada-bot: cannot listen on 127.0.0.1:{port}: "
    )
    assert emu.webhook_url is None  # Telegram was not told to post where nobody listens


# --- two instances ---------------------------------------------------------------------------


@dataclass
class Balancer:
    """A round-robin load balancer: each update goes to the next instance; one that does not
    answer is skipped, as nginx's ``proxy_next_upstream error`` does."""

    ports: list[int]
    routed: list[tuple[int, int]] = field(default_factory=list)  # (update_id, backend index)
    _turn: itertools.count[int] = field(default_factory=itertools.count)

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        headers = {
            k: v for k, v in request.headers.items() if k.lower().startswith("x-telegram")
        } | {"Content-Type": "application/json"}
        first = next(self._turn)
        async with aiohttp.ClientSession() as http:
            for step in range(len(self.ports)):
                index = (first + step) % len(self.ports)
                url = f"http://127.0.0.1:{self.ports[index]}{request.path}"
                try:
                    async with http.post(url, data=body, headers=headers) as response:
                        status, text = response.status, await response.text()
                except aiohttp.ClientConnectionError:
                    continue
                update = await request.json()
                self.routed.append((int(update["update_id"]), index))
                return web.Response(status=status, text=text)
        return web.Response(status=502, text="no instance answers")

    @asynccontextmanager
    async def running(self, port: int) -> AsyncIterator[None]:
        app = web.Application()
        app.router.add_post(HOOK_PATH, self.handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        try:
            yield
        finally:
            await runner.cleanup()

    def backends_since(self, mark: int) -> set[int]:
        return {index for _, index in self.routed[mark:]}


@dataclass
class Instance:
    name: str
    port: int
    log: Path
    process: asyncio.subprocess.Process | None = None

    async def healthy(self) -> bool:
        try:
            async with (
                aiohttp.ClientSession() as http,
                http.get(f"http://127.0.0.1:{self.port}/healthz") as response,
            ):
                return response.status == 200
        except aiohttp.ClientConnectionError:
            return False


async def question(user: SimUser, expect: str) -> SimMessage:
    """The next new message (past edits that take buttons off answered questions)."""
    while True:
        action = await user.next_action(timeout=20)
        if action.kind == "message":
            assert expect in action.message.text, action.message.text
            return action.message


async def shown(user: SimUser, expect: str) -> SimMessage:
    """The next message, new or edited in place, that says ``expect``."""
    while True:
        action = await user.next_action(timeout=20)
        if action.kind != "delete" and expect in action.message.text:
            return action.message


async def sign_up(user: SimUser, event_id: int) -> str:
    await user.send_command(f"/start event_{event_id}")
    card = await question(user, "")
    await user.press(card, text="Записатися")
    await shown(user, "ім’я та прізвище")  # the card, turned into the first question
    await user.send_text("Олена Петренко")
    categories = await question(user, "Хто ви?")
    await user.press(categories, text="Користувачі бібліотеки")
    await question(user, "номер телефону")
    await user.send_contact(phone_number="+380501234567")
    await question(user, "номер отримано")
    consent = await question(user, "Ви погоджуєтеся?")
    await user.press(consent, text="Погоджуюся")
    return (await shown(user, "Ви записані")).text  # the question, turned into the card


async def new_event(librarian: SimUser, day: str) -> str:
    await librarian.send_command("/newevent")
    await question(librarian, "12 коротких запитань")
    await question(librarian, "Як називається захід?")
    answers: list[tuple[str, str, bool]] = [
        ("Цифрова грамотність", "Який це вид заходу?", False),
        ("Тренінг", "Якого дня?", True),
        (day, "О котрій", False),
        ("11:00", "Скільки він триває?", False),
        ("1 год 30 хв", "Повторювати?", False),
        ("Ні", "Де він відбудеться?", True),
        ("Читальна зала", "Скільки є місць?", False),
        ("20", "Для кого він?", False),
        ("пенсіонери", "До якої програми", False),
        ("⏭ Пропустити", "Кілька слів про захід", True),
        ("Як користуватися Дією", "Коли нагадати", False),
        ("🔔 Як у бібліотеці", "Попередній перегляд", True),
        ("Опублікувати", "✅ Опубліковано: захід", True),
    ]
    asked: SimMessage | None = None
    for text, expect, tap in answers:
        if tap:
            assert asked is not None
            await librarian.press(asked, text=text)
        else:
            await librarian.send_text(text)
        asked = await question(librarian, expect)
    assert asked is not None
    return asked.text


async def wait_all_sent(db: Database, ids: set[int]) -> bool:
    async with db.session() as session:
        rows = await session.execute(
            select(Notification.status).where(Notification.event_id.in_(ids))
        )
        return set(rows.scalars()) == {"sent"}


async def test_two_webhook_instances_on_one_database_share_the_work_and_survive_a_kill(
    tmp_path: Path, db: Database, database_url: str, emu: BotApiEmulator
) -> None:
    emu.state.local_webhooks = True
    lb_port = free_port()
    instances = [Instance(name, free_port(), tmp_path / f"{name}.log") for name in ("a", "b")]
    balancer = Balancer([i.port for i in instances])
    config = write_config(
        tmp_path,
        f"[telegram]\napi_base_url = '{emu.base_url}'\napi_file_url = '{emu.base_file_url}'\n"
        "chat_messages_per_second = 1000\n"
        f"[telegram.webhook]\npath = '{HOOK_PATH}'\n"
        f"[staff]\nadmins = [{LIBRARIAN}]\n"
        "[reminders]\nsweep_interval = '1s'\nclaim_lease = '3s'\n",
    )
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("HROMADA_", "BOT_"))} | {
        "BOT_TOKEN": emu.token,
        "DATABASE_URL": database_url,
        "HROMADA_WEBHOOK_URL": f"http://127.0.0.1:{lb_port}{HOOK_PATH}",
        "HROMADA_WEBHOOK_SECRET": SECRET,
        "HROMADA_LOG_LEVEL": "INFO",
    }

    async def launch(instance: Instance) -> None:
        env = base_env | {
            "HROMADA_WEBHOOK_PORT": str(instance.port),
            "HROMADA_INSTANCE": f"bot-{instance.name}",
        }
        with instance.log.open("ab") as log:
            instance.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "--config", str(config), "webhook",
                stdout=log, stderr=log, env=env,
            )  # fmt: skip

    now = datetime.now(UTC)
    event = await make_event(db, now=now, starts_in=timedelta(days=5), capacity=10)
    async with balancer.running(lb_port):
        try:
            for instance in instances:
                await launch(instance)
            for instance in instances:
                await until(instance.healthy, timeout=60, what=f"instance {instance.name} up")
            assert emu.webhook_url == f"http://127.0.0.1:{lb_port}{HOOK_PATH}"
            assert len(emu.requests_for("setWebhook")) == 2  # each instance, the same values

            # A resident signs up: eight updates, alternating between the instances.
            resident = emu.add_user(first_name="Олена")
            mark = len(balancer.routed)
            confirmation = await sign_up(resident, event.id)
            assert confirmation.startswith("✅ Ви записані!"), confirmation
            assert balancer.backends_since(mark) == {0, 1}

            # A librarian's /newevent form, its steps alternating too.
            librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
            day = (now + timedelta(days=30)).strftime("%d.%m.%Y")
            mark = len(balancer.routed)
            published = await new_event(librarian, day)
            assert balancer.backends_since(mark) == {0, 1}
            async with db.session() as session:
                created = (
                    await session.execute(select(Event).where(Event.title == "Цифрова грамотність"))
                ).scalar_one()
            assert f"захід {created.id}," in published
            assert created.status == EventStatus.PUBLISHED

            # Attendance: everyone came, then the resident's own button back to "did not come".
            await librarian.send_command(f"/attendance {event.id}")
            sheet = await question(librarian, "")
            await librarian.press(sheet, text="✅ Усі записані прийшли")
            sheet = await librarian.next_reply(timeout=20)
            await librarian.press(sheet, text="✅ Олена Петренко")
            sheet = await librarian.next_reply(timeout=20)
            assert "❌ Олена Петренко" in sheet.button_texts
            async with db.session() as session:
                attended = (
                    await session.execute(
                        select(Registration.attended)
                        .join(Person)
                        .where(Person.telegram_id == resident.user_id)
                    )
                ).scalar_one()
            assert attended is False

            # 60 reminders due at once: each sent once, by whichever instance claimed it.
            users, first_batch = await due_reminders(db, emu, 60)
            await until(lambda: wait_all_sent(db, {first_batch}), timeout=60, what="60 sent")
            assert set(reminders_received(users).values()) == {1}

            # 300 more; instance a is killed while they go out, between a resident's steps.
            later_users, second_batch = await due_reminders(db, emu, 300)
            other = emu.add_user(first_name="Марія")
            await other.send_command(f"/start event_{event.id}")
            card = await question(other, "")
            await until(
                lambda: sum(reminders_received(later_users).values()) >= 60,
                timeout=60,
                interval=0.01,
                what="60 of the 300 reminders received before the kill",
            )
            killed = instances[0]
            assert killed.process is not None
            killed.process.send_signal(signal.SIGKILL)
            await killed.process.wait()
            at_kill = sum(reminders_received(later_users).values())
            mark = len(balancer.routed)
            await other.press(card, text="Записатися")  # the flow goes on at instance b
            await shown(other, "ім’я та прізвище")
            await other.send_text("Марія Коваль")
            await question(other, "Хто ви?")
            assert balancer.backends_since(mark) == {1}
            await until(lambda: wait_all_sent(db, {second_batch}), timeout=90, what="all 300 sent")
            counts = reminders_received(later_users)
            duplicates = sum(n - 1 for n in counts.values() if n > 1)
            missing = sum(1 for n in counts.values() if n == 0)
            print(
                f"two instances: 60 reminders, each once; SIGKILL of one after {at_kill} of 300,"
                f" the other finished: missing {missing}, duplicates {duplicates};"
                f" updates routed a/b: {Counter(i for _, i in balancer.routed)}"
            )
            assert missing == 0
            # Only a message in flight at the kill (delivered, not yet marked sent) can go out
            # twice, and the outbox has one in flight per lane.
            assert duplicates <= LANES
            assert set(reminders_received(users).values()) == {1}
        finally:
            for instance in instances:
                if instance.process is not None and instance.process.returncode is None:
                    instance.process.send_signal(signal.SIGTERM)
                    await asyncio.wait_for(instance.process.wait(), timeout=30)
    survivor = instances[1]
    assert survivor.process is not None and survivor.process.returncode == 0
    logs = "".join(i.log.read_text(encoding="utf-8") for i in instances)
    assert "listening on 127.0.0.1" in logs
    assert SECRET not in logs and emu.token not in logs
    assert "Олена Петренко" not in logs and "+380501234567" not in logs
