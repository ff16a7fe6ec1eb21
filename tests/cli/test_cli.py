"""The ``hromada-bot`` command as a librarian runs it: a real process, real files, a real database."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.config import ENVIRONMENT
from emulator import BotApiEmulator
from storage.database import Database
from storage.models import Event, Program
from tests.conftest import TEST_DB
from tests.factories import make_event

ROOT = Path(__file__).resolve().parents[2]

TOKEN = "123456:TEST-TOKEN-abcdefghijklmnop"
HEADER = "title,kind,starts_at,ends_at,place,capacity,audience,program,description"


@dataclass
class Result:
    code: int
    out: str
    err: str
    raw: bytes = b""  # stdout as bytes, when asked for


async def hromada(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, raw: bool = False
) -> Result:
    environ = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    environ.update(env or {})
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=environ,
        cwd=cwd,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    if raw:
        return Result(process.returncode, "", err.decode(), out)
    return Result(process.returncode, out.decode(), err.decode())


def write_config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("[library]\ntimezone = 'Europe/Kiev2'\n", "library.timezone"),
        ("[library\nname = 'x'\n", "invalid TOML"),
        ("[reminders]\nbefore = ['2x']\n", "reminders.before[0]"),
        ("[telegram]\ntoken = 'not a token'\n", "telegram.token"),
        ("[libary]\nname = 'x'\n", "libary"),
        ("", "telegram.token: missing"),
    ],
)
async def test_a_bad_config_is_one_line_naming_file_and_key(
    tmp_path: Path, body: str, key: str
) -> None:
    path = write_config(tmp_path, body)
    result = await hromada("--config", str(path), "run")
    assert result.code == 2
    assert result.err.count("\n") == 1, result.err
    assert str(path) in result.err and key in result.err
    assert "Traceback" not in result.err
    assert "not a token" not in result.err


async def test_a_config_named_but_missing_is_an_error(tmp_path: Path) -> None:
    result = await hromada("--config", str(tmp_path / "nope.toml"), "db", "upgrade")
    assert (result.code, result.err.count("\n")) == (2, 1)
    assert "nope.toml" in result.err and "not found" in result.err


async def test_a_bad_log_level_is_one_line(tmp_path: Path) -> None:
    result = await hromada("db", "upgrade", env={"HROMADA_LOG_LEVEL": "loud"}, cwd=tmp_path)
    assert (result.code, result.err.strip()) == (
        2,
        "hromada-bot: HROMADA_LOG_LEVEL: unknown level 'LOUD'; use DEBUG, INFO or WARNING",
    )


async def test_db_upgrade_creates_the_schema_next_to_the_config(tmp_path: Path) -> None:
    write_config(tmp_path, "[library]\nname = 'Волочиська ЦРБ'\n")
    for _ in range(2):  # and running it again changes nothing
        result = await hromada("db", "upgrade", cwd=tmp_path)
        assert result.code == 0, result.err
        assert (
            result.out
            == f"database is up to date: sqlite+aiosqlite:///{tmp_path / 'hromada.sqlite3'}\n"
        )
    assert (tmp_path / "hromada.sqlite3").exists()


async def test_import_prints_each_event_with_its_deep_link(
    tmp_path: Path, db: Database, database_url: str, emu: BotApiEmulator
) -> None:
    csv_file = tmp_path / "events.csv"
    csv_file.write_bytes(
        (
            "\ufeff" + HEADER + "\n"
            "Навчаємось вираховувати субсидію,training,2030-03-15 14:00,,Читальна зала,20,пенсіонери,,\n"
            "Легальна зайнятість,Семінар,16.03.2030 10:00,16.03.2030 12:00,ЦРБ,,ВПО,Поінформована громада,\n"
        ).encode()
    )
    config = write_config(tmp_path, f"[telegram]\napi_base_url = '{emu.base_url}'\n")
    env = {"BOT_TOKEN": emu.token, "DATABASE_URL": database_url}
    added = await hromada(
        "--config", str(config), "programs", "add", "--name", "Поінформована громада", env=env
    )
    assert added.code == 0, added.err
    program_id = int(added.out.split("\t")[0])
    result = await hromada("--config", str(config), "events", "import", str(csv_file), env=env)
    assert result.code == 0, result.err
    async with db.session() as session:
        events = (await session.execute(select(Event).order_by(Event.id))).scalars().all()
    assert [e.title for e in events] == ["Навчаємось вираховувати субсидію", "Легальна зайнятість"]
    assert events[1].kind == "seminar" and events[1].program_id == program_id
    assert result.out.splitlines() == [
        f"{e.id}\t{e.title}\thttps://t.me/{emu.bot_user['username']}?start=event_{e.id}"
        for e in events
    ]


async def test_programmes_are_added_listed_and_named_by_the_import(
    tmp_path: Path, db: Database, database_url: str
) -> None:
    config = write_config(tmp_path, "")
    env = {"DATABASE_URL": database_url}

    async def programs(*args: str) -> Result:
        return await hromada("--config", str(config), "programs", *args, env=env)

    empty = await programs("list")
    assert (empty.code, empty.out) == (
        0,
        "No programmes yet: add one with `hromada-bot programs add --name …`.\n",
    )
    added = await programs(
        "add",
        "--name",
        "Поінформована громада",
        "--purpose",
        "Мета",
        "--period",
        "01.03.2026 – 30.11.2026",
    )
    assert added.code == 0, added.err
    assert (await programs("add", "--name", "Цифрова грамотність")).code == 0
    again = await programs("add", "--name", " поінформована громада")
    assert (again.code, again.err) == (
        1,
        "hromada-bot: a programme called «Поінформована громада» already exists\n",
    )
    backwards = await programs("add", "--name", "Інша", "--period", "30.11.2026 - 01.03.2026")
    assert (backwards.code, backwards.err) == (
        2,
        "hromada-bot: --period: the end is before the start\n",
    )
    csv_file = tmp_path / "events.csv"
    csv_file.write_text(
        HEADER + "\nТренінг,training,2030-03-15 14:00,,Зала,,,Поінформованна громада,\n",
        encoding="utf-8",
    )
    refused = await hromada("--config", str(config), "events", "import", str(csv_file), env=env)
    assert refused.code == 1
    assert (
        "рядок 2, program: немає програми «Поінформованна громада»; відомі: "
        "«Поінформована громада», «Цифрова грамотність»" in refused.err
    ), refused.err
    csv_file.write_text(
        HEADER + "\nТренінг,training,2030-03-15 14:00,,Зала,,,ПОІНФОРМОВАНА ГРОМАДА,\n",
        encoding="utf-8",
    )
    imported = await hromada("--config", str(config), "events", "import", str(csv_file), env=env)
    assert imported.code == 0, imported.err
    listed = await programs("list")
    assert listed.code == 0, listed.err
    assert [line.split("\t")[1:] for line in listed.out.splitlines()] == [
        ["1", "Поінформована громада"],
        ["0", "Цифрова грамотність"],
    ]
    async with db.session() as session:
        stored = (await session.execute(select(Program).order_by(Program.id))).scalars().all()
    assert [p.name for p in stored] == ["Поінформована громада", "Цифрова грамотність"]
    assert (stored[0].purpose, stored[0].starts_on) == ("Мета", date(2026, 3, 1))


async def test_a_bad_row_imports_nothing_and_says_where(
    tmp_path: Path, db: Database, database_url: str
) -> None:
    csv_file = tmp_path / "events.csv"
    csv_file.write_text(
        HEADER + "\n"
        "Добрий тренінг,training,2030-03-15 14:00,,Зала,,,,\n"
        "Поганий тренінг,training,31.02.2030 14:00,,Зала,,,,\n",
        encoding="utf-8",
    )
    result = await hromada(
        "events", "import", str(csv_file), env={"DATABASE_URL": database_url}, cwd=tmp_path
    )
    assert result.code == 1
    assert "рядок 3, starts_at: не вдається прочитати «31.02.2030 14:00»" in result.err
    assert "нічого не імпортовано" in result.err
    assert "Traceback" not in result.err
    async with db.session() as session:
        assert (await session.execute(select(Event))).first() is None


async def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    result = await hromada("events", "import", str(tmp_path / "absent.csv"), cwd=tmp_path)
    assert result.code == 1
    assert (
        result.err.strip() == f"hromada-bot: {tmp_path / 'absent.csv'}: No such file or directory"
    )


async def run_at_debug(
    config: Path, emu: BotApiEmulator, database_url: str
) -> asyncio.subprocess.Process:
    """``hromada-bot run`` as a real process, logging at DEBUG, against the emulator."""
    env = {k: v for k, v in os.environ.items() if k not in ("HROMADA_CONFIG",)}
    env.update(BOT_TOKEN=emu.token, DATABASE_URL=database_url, HROMADA_LOG_LEVEL="DEBUG")
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "--config",
        str(config),
        "run",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )


async def test_run_serves_residents_and_never_logs_the_token_or_their_data(
    tmp_path: Path, db: Database, database_url: str, emu: BotApiEmulator
) -> None:
    config = write_config(
        tmp_path,
        f"[telegram]\napi_base_url = '{emu.base_url}'\napi_file_url = '{emu.base_file_url}'\n"
        "[library]\nname = 'Волочиська ЦРБ'\n",
    )
    process = await run_at_debug(config, emu, database_url)
    try:
        user = emu.add_user(first_name="Таємна", last_name="Мешканка")
        await user.send_command("/start")
        greeting = await user.next_reply(timeout=30)
        assert "Волочиська ЦРБ" in greeting.text
        await user.send_text("+380509998877 Таємна Мешканка")
        await user.next_reply(timeout=10)
    finally:
        process.send_signal(signal.SIGINT)
        out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    log = out.decode() + err.decode()
    assert process.returncode == 0, log
    assert "Application started" in log
    for secret in (emu.token, emu.token.split(":")[1], "Таємна", "Мешканка", "380509998877"):
        assert secret not in log


async def test_run_asks_telegram_who_it_is_once_and_polls_before_setting_its_menus(
    tmp_path: Path, db: Database, database_url: str, emu: BotApiEmulator
) -> None:
    # The start-up's check and the application share one bot (one getMe, one pair of
    # connection pools); the command menus and descriptions wait until polling has begun.
    config = write_config(
        tmp_path,
        f"[telegram]\napi_base_url = '{emu.base_url}'\napi_file_url = '{emu.base_file_url}'\n",
    )
    process = await run_at_debug(config, emu, database_url)
    try:
        user = emu.add_user(first_name="Олена")
        await user.send_command("/start")
        await user.next_reply(timeout=30)
        for _ in range(300):  # the menus are set by a job once polling has begun
            if len(emu.requests_for("setMyCommands")) >= 2:
                break
            await asyncio.sleep(0.05)
    finally:
        process.send_signal(signal.SIGINT)
        out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, out.decode() + err.decode()
    methods = [r.method for r in emu.requests]
    assert methods.count("getMe") == 1
    # Polling starts (deleteWebhook, then getUpdates) right after getMe; the menus' job
    # runs beside the first poll, not before it.
    assert methods[:2] == ["getMe", "deleteWebhook"]
    assert methods.count("setMyCommands") >= 2


async def test_debug_logging_keeps_a_residents_name_and_phone_out_of_the_log(
    tmp_path: Path, db: Database, database_url: str, emu: BotApiEmulator
) -> None:
    # At DEBUG the database drivers would log every statement with its values.
    event = await make_event(db, now=datetime.now(UTC))
    config = write_config(
        tmp_path,
        f"[telegram]\napi_base_url = '{emu.base_url}'\napi_file_url = '{emu.base_file_url}'\n",
    )
    process = await run_at_debug(config, emu, database_url)
    try:
        user = emu.add_user(first_name="Оля", language_code="uk")
        await user.send_command(f"/start event_{event.id}")
        await user.press(await user.next_reply(timeout=30), text="Записатися")
        assert "ім’я та прізвище" in (await user.next_reply()).text
        await user.send_text("Северина Кривошиєнко")
        await user.press(await user.next_reply(), text="Користувачі бібліотеки")
        await user.next_reply()
        await user.send_contact(phone_number="+380671357924")
        assert "номер отримано" in (await user.next_reply()).text
        await user.press(await user.next_reply(), text="Погоджуюся")
        assert (await user.next_reply()).text.startswith("✅ Ви записані!")
    finally:
        process.send_signal(signal.SIGINT)
        out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    log = out.decode() + err.decode()
    assert process.returncode == 0, log
    assert " DEBUG " in log  # the level took effect
    for secret in ("Северина", "Кривошиєнко", "380671357924", "671357924"):
        assert secret not in log


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"DATABASE_URL": "sqlite:////nonexistent-dir/x/hromada.sqlite3"},
            "hromada-bot: database: unable to open database file: folder /nonexistent-dir/x does not exist",
        ),
        (
            {"DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/hromada_no_such_db"},
            'hromada-bot: database: database "hromada_no_such_db" does not exist',
        ),
    ],
)
async def test_database_problems_are_one_line(
    tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    if "postgresql" in env["DATABASE_URL"]:
        if TEST_DB == "sqlite":
            pytest.skip("runs in the PostgreSQL pass")
        env = {
            "DATABASE_URL": make_url(TEST_DB)
            .set(database="hromada_no_such_db")
            .render_as_string(hide_password=False)
        }
    for command in (("db", "upgrade"), ("events", "cancel", "1")):
        result = await hromada(*command, env=env, cwd=tmp_path)
        assert (result.code, result.err.strip()) == (1, expected), result.err


async def test_an_unreachable_bot_api_is_one_line(tmp_path: Path, database_url: str) -> None:
    config = write_config(tmp_path, "[telegram]\napi_base_url = 'http://127.0.0.1:9/bot'\n")
    env = {"BOT_TOKEN": TOKEN, "DATABASE_URL": database_url}
    result = await hromada("--config", str(config), "run", env=env)
    assert result.code == 1
    assert result.err.strip().splitlines() == [
        "hromada-bot: cannot reach the Bot API at http://127.0.0.1:9/bot: httpx.ConnectError: All connection attempts failed"
    ]


async def test_a_refused_token_is_one_line(
    tmp_path: Path, database_url: str, emu: BotApiEmulator
) -> None:
    config = write_config(tmp_path, f"[telegram]\napi_base_url = '{emu.base_url}'\n")
    env = {"BOT_TOKEN": "999:WRONG-TOKEN-abcdefghijklmnopq", "DATABASE_URL": database_url}
    result = await hromada("--config", str(config), "run", env=env)
    assert (result.code, result.err.strip()) == (
        2,
        "hromada-bot: telegram.token: Telegram refused the token",
    )


async def test_sending_commands_with_an_unreachable_bot_api_are_one_line(
    tmp_path: Path, database_url: str
) -> None:
    config = write_config(tmp_path, "[telegram]\napi_base_url = 'http://127.0.0.1:9/bot'\n")
    env = {"BOT_TOKEN": TOKEN, "DATABASE_URL": database_url}
    for command in (("outbox", "send"), ("events", "announce", "1")):
        result = await hromada("--config", str(config), *command, env=env)
        assert (result.code, result.err.strip()) == (
            1,
            "hromada-bot: cannot reach the Bot API at http://127.0.0.1:9/bot: httpx.ConnectError: All connection attempts failed",
        )


async def test_report_on_the_command_line(tmp_path: Path, db: Database, database_url: str) -> None:
    from datetime import UTC, datetime, timedelta

    from bot.services import attendance
    from tests.factories import make_event

    created = datetime(2026, 2, 1, tzinfo=UTC)
    for kind in ("training", "training", "campaign"):
        event = await make_event(db, now=created, kind=kind, starts_in=timedelta(days=10))
        async with db.transaction() as session:
            await attendance.add_walk_ins(
                session, event_id=event.id, category="library_users", delta=7
            )
    env = {"DATABASE_URL": database_url}
    result = await hromada(
        "report", "--from", "01.01.2026", "--to", "2026-12-31", env=env, cwd=tmp_path
    )
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "Звіт за 01.01.2026 – 31.12.2026"
    assert (
        "Проведено 3 заходи: 2 тренінги, 1 інформаційну акцію. Навчання пройшла 21 особа, серед яких: користувачі бібліотеки — 21."
        in result.out
    )
    out = tmp_path / "report.csv"
    saved = await hromada(
        "report",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--format",
        "csv",
        "--output",
        str(out),
        env=env,
        cwd=tmp_path,
    )
    assert saved.code == 0, saved.err
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    # For programs: «,» (the CSV sent to people in Telegram uses «;»).
    assert rows[0] == (
        "Дата,Захід,Вид,Записалися,Прийшли,Без реєстрації,Відвідування позначено,Статус"
    )
    assert len(rows) == 4 and all(
        row.endswith(",Тренінг,0,0,7,так,проведено")
        or row.endswith(",Інформаційна акція,0,0,7,так,проведено")
        for row in rows[1:]
    )
    bad = await hromada(
        "report", "--from", "31.12.2026", "--to", "01.01.2026", env=env, cwd=tmp_path
    )
    assert (bad.code, bad.err.count("\n")) == (2, 1)
    half = await hromada("report", "--from", "01.01.2026", env=env, cwd=tmp_path)
    assert (half.code, half.err.strip()) == (
        2,
        "hromada-bot: --from and --to go together (or neither, for this year)",
    )


async def test_report_as_a_workbook_and_a_chart(
    tmp_path: Path, db: Database, database_url: str
) -> None:
    import io
    from datetime import UTC, datetime, timedelta

    from openpyxl import load_workbook
    from PIL import Image

    from bot.services import attendance
    from tests.factories import make_event

    event = await make_event(
        db, now=datetime(2026, 2, 1, tzinfo=UTC), title="=1+1", starts_in=timedelta(days=10)
    )
    async with db.transaction() as session:
        await attendance.add_walk_ins(session, event_id=event.id, category="idp", delta=4)
    env = {"DATABASE_URL": database_url}
    period = ("report", "--from", "01.01.2026", "--to", "31.12.2026")

    workbook = tmp_path / "звіт.xlsx"
    saved = await hromada(*period, "--format", "xlsx", "--output", str(workbook), env=env)
    assert (saved.code, saved.out, saved.err) == (0, "", "")
    sheet = load_workbook(workbook)["Заходи"]
    assert [c.value for c in sheet[2]][1:] == [
        "=1+1",
        "Тренінг",
        None,
        "Читальна зала",
        0,
        0,
        4,
        4,
        "так",
    ]

    piped = await hromada(*period, "--format", "png", env=env, raw=True)  # stdout is a pipe
    assert piped.code == 0, piped.err
    image = Image.open(io.BytesIO(piped.raw))
    assert (image.format, image.size) == ("PNG", (1200, 700))

    unwritable = await hromada(
        *period, "--format", "png", "--output", str(tmp_path / "no" / "chart.png"), env=env
    )
    assert unwritable.code == 1 and unwritable.err.count("\n") == 1
    assert "No such file or directory" in unwritable.err and "Traceback" not in unwritable.err


async def test_binary_report_formats_are_not_written_to_a_terminal(
    tmp_path: Path, database_url: str
) -> None:
    import pty

    leader, follower = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "HROMADA_CONFIG")}
    environ["DATABASE_URL"] = database_url
    try:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "report",
            "--format",
            "xlsx",
            stdout=follower,
            stderr=asyncio.subprocess.PIPE,
            env=environ,
            cwd=tmp_path,
        )
        _, err = await asyncio.wait_for(process.communicate(), timeout=60)
    finally:
        os.close(follower)
        os.close(leader)
    assert process.returncode == 2
    assert err.decode() == (
        "hromada-bot: --format xlsx is a binary file: give --output FILE "
        "or redirect the output (> report.xlsx)\n"
    )


async def test_a_report_that_cannot_be_written_to_standard_output_is_one_line(
    tmp_path: Path, database_url: str
) -> None:
    environ = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "HROMADA_CONFIG")}
    environ["DATABASE_URL"] = database_url
    with Path("/dev/full").open("wb") as full:  # noqa: ASYNC230 (every write: "No space left")
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "report",
            "--format",
            "csv",
            stdout=full,
            stderr=asyncio.subprocess.PIPE,
            env=environ,
            cwd=tmp_path,
        )
        _, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert (process.returncode, err.decode()) == (
        1,
        "hromada-bot: standard output: No space left on device\n",
    )


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--capacity", "0", "--capacity: from 1 to 100000 seats"),
        ("--capacity", "-3", "--capacity: a number of seats in digits, e.g. 20"),
        ("--title", "   ", "--title: must not be empty"),
        ("--place", "x" * 201, "--place: too long: 201 characters, at most 200"),
        ("--reminders", "2x", "--reminders: expected a duration such as"),
    ],
)
async def test_update_checks_values_as_the_staff_form_does(
    tmp_path: Path, db: Database, database_url: str, option: str, value: str, expected: str
) -> None:
    from datetime import UTC, datetime, timedelta

    from tests.factories import make_event

    event = await make_event(db, now=datetime.now(UTC), starts_in=timedelta(days=5), capacity=5)
    env = {"DATABASE_URL": database_url}
    result = await hromada(
        "events", "update", str(event.id), f"{option}={value}", env=env, cwd=tmp_path
    )
    assert result.code == 2 and result.err.count("\n") == 1, result.err
    assert result.err.startswith(f"hromada-bot: {expected}")
    async with db.session() as session:
        stored = await session.get(Event, event.id)
    assert stored is not None
    assert (stored.title, stored.place, stored.capacity, stored.reminder_offsets) == (
        event.title,
        event.place,
        5,
        event.reminder_offsets,
    )


async def _python(code: str) -> str:
    """What a fresh interpreter prints running ``code`` (which must succeed)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0
    return out.decode().strip()


async def test_commands_other_than_run_and_report_do_not_load_the_drawing_libraries() -> None:
    """They take about a second to import; ``outbox send`` may run from cron every minute."""
    probe = (
        "import sys, bot.cli; bot.cli.parser(); "
        "print(sorted(m for m in ('matplotlib', 'openpyxl', 'PIL', 'docx', 'docxtpl') "
        "if m in sys.modules))"
    )
    assert await _python(probe) == "[]"


async def test_the_bot_starts_without_the_file_libraries() -> None:
    """matplotlib, openpyxl, Pillow, segno, icalendar, python-docx and fpdf2 cost ~20 MB
    and a third of a second at start-up; they are loaded when a file is first made."""
    probe = (
        "import sys, bot.app; "
        "print(sorted(m for m in ('matplotlib', 'openpyxl', 'PIL', 'segno', 'icalendar', "
        "'docx', 'fpdf', 'docxtpl', 'jinja2') if m in sys.modules))"
    )
    assert await _python(probe) == "[]"


async def test_the_bot_on_sqlite_does_not_load_postgresqls_dialect(tmp_path: Path) -> None:
    """SQLAlchemy's PostgreSQL dialect is about 25 modules and 2 MB: the upserts pick their
    dialect's ``insert`` when they run (storage/upsert.py), so a bot on SQLite, started on
    an up-to-date database (Alembic, which loads every dialect, stays unloaded), never
    loads it. Nor Babel: bot/i18n.py reads the .po file and writes dates itself."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'hromada.sqlite3'}"
    assert (await hromada("db", "upgrade", env={"DATABASE_URL": url}, cwd=tmp_path)).code == 0
    probe = (
        "import asyncio, sys, bot.cli, bot.app\n"
        "from datetime import UTC, datetime\n"
        "from storage import migrate, people\n"
        "from storage.database import Database\n"
        "async def main():\n"
        f"    db = Database({url!r})\n"
        "    await migrate.upgrade(db)\n"
        "    async with db.transaction() as session:\n"
        "        await people.ensure(session, 42, now=datetime.now(UTC))\n"
        "    await db.dispose()\n"
        "asyncio.run(main())\n"
        "from zoneinfo import ZoneInfo\n"
        "from bot.i18n import Catalogs\n"
        "tr = Catalogs().get('uk')\n"
        "tr.date_time(datetime.now(UTC), ZoneInfo('Europe/Kyiv')), tr.decimal(4.5, 1)\n"
        "print(sorted(m for m in ('sqlalchemy.dialects.postgresql', 'asyncpg', 'alembic', "
        "'babel') if m in sys.modules))"
    )
    assert await _python(probe) == "[]"


@pytest.mark.skipif(TEST_DB == "sqlite", reason="the bot on PostgreSQL")
async def test_the_bot_on_postgresql_does_not_load_sqlite(database_url: str) -> None:
    """sqlite3, aiosqlite, SQLAlchemy's SQLite dialect and the SQLite backups are 1.7 MiB a
    bot on PostgreSQL would hold for nothing: started on an up-to-date database, with its
    application built and a transaction written, it has none of them."""
    probe = (
        "import asyncio, os, sys\n"
        "from datetime import UTC, datetime\n"
        "from pathlib import Path\n"
        "import bot.cli, bot.app\n"
        "from bot.config import load_config\n"
        "from storage import migrate, people\n"
        "from storage.database import Database\n"
        "async def main():\n"
        f"    db = Database({database_url!r})\n"
        "    await migrate.upgrade(db)\n"
        "    async with db.transaction() as session:\n"
        "        await people.ensure(session, 42, now=datetime.now(UTC))\n"
        "    await db.dispose()\n"
        "asyncio.run(main())\n"
        f"os.environ['DATABASE_URL'] = {database_url!r}\n"
        "config = load_config(Path('no-such-config.toml'), missing_ok=True)\n"
        "bot.app.build_application(config, token='123:abc')\n"
        "print(sorted(m for m in ('sqlite3', 'aiosqlite', 'sqlalchemy.dialects.sqlite', "
        "'storage.sqlite_driver', 'storage.backup') if m in sys.modules))"
    )
    assert await _python(probe) == "[]"


async def test_sending_from_the_terminal_does_not_load_the_drawing_libraries() -> None:
    """``outbox send`` and ``events announce`` build the sender, not the whole bot."""
    probe = (
        "import sys, bot.cli.outbox, bot.cli.events, bot.sending; "
        "print(sorted(m for m in ('matplotlib', 'openpyxl', 'PIL', 'docx', 'fpdf') "
        "if m in sys.modules))"
    )
    assert await _python(probe) == "[]"


async def test_the_entry_point_imports_with_the_collector_paused_and_freezes_the_result() -> None:
    """No collection runs while ~90,000 objects are imported (a sixth of the start-up);
    they are frozen, so later collections skip them; the collector is back on after."""
    probe = (
        "import gc, json, bot.entry_point as e\n"
        "before = [s['collections'] for s in gc.get_stats()]\n"
        "main = e.load_cli()\n"
        "after = [s['collections'] for s in gc.get_stats()]\n"
        "print(json.dumps({'collections': sum(after) - sum(before), "
        "'frozen': gc.get_freeze_count(), 'enabled': gc.isenabled(), "
        "'main': main.__module__ + '.' + main.__name__}))"
    )
    seen = json.loads(await _python(probe))
    assert seen["collections"] == 0
    assert seen["frozen"] > 50_000
    assert seen["enabled"] is True
    assert seen["main"] == "bot.cli.main"


async def test_run_builds_the_application_with_the_collector_paused_and_freezes_it() -> None:
    """``run`` and ``webhook`` import the handlers (another ~80 of the bot's modules) and
    build the application as the entry point imported the rest: no collection meanwhile,
    all of it frozen (a frozen object is left out of gc.get_objects())."""
    probe = (
        "import gc, json\n"
        "from pathlib import Path\n"
        "from bot.config import load_config\n"
        "from bot.cli import running\n"
        "config = load_config(Path('absent.toml'), missing_ok=True)\n"
        "before = [s['collections'] for s in gc.get_stats()]\n"
        "app = running.application(config, token='123:abc')\n"
        "after = [s['collections'] for s in gc.get_stats()]\n"
        "import handlers.signup\n"
        "kept = {id(o) for o in gc.get_objects()}\n"
        "print(json.dumps({'collections': sum(after) - sum(before), "
        "'handler_frozen': id(handlers.signup.on_consent) not in kept, "
        "'app_frozen': id(app) not in kept, 'enabled': gc.isenabled()}))"
    )
    seen = json.loads(await _python(probe))
    assert seen == {
        "collections": 0,
        "handler_frozen": True,
        "app_frozen": True,
        "enabled": True,
    }


def test_both_ways_of_starting_the_bot_go_through_the_entry_point() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["scripts"]["hromada-bot"] == "bot.entry_point:main"
    assert "from bot.entry_point import main" in (ROOT / "bot" / "__main__.py").read_text()


async def test_httpcore_finds_sniffio_instead_of_searching_the_path_at_every_lock() -> None:
    """httpcore asks which async library runs for each lock and stream it sets up (about
    ten an update); without sniffio installed, each ask is a failed import: 22 µs."""
    probe = (
        "import asyncio, sys\n"
        "from httpcore._synchronization import current_async_library\n"
        "async def main():\n"
        "    return current_async_library()\n"
        "print(asyncio.run(main()), 'sniffio' in sys.modules)"
    )
    assert await _python(probe) == "asyncio True"


async def test_the_outbox_package_does_not_import_the_handlers() -> None:
    """The dispatcher and scheduler reach Telegram only through the sender they are given."""
    probe = (
        "import sys, bot.outbox.dispatcher, bot.outbox.scheduler; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'handlers'))"
    )
    assert await _python(probe) == "[]"


async def test_events_sheet_writes_the_sign_in_sheet_as_docx_or_pdf(
    tmp_path: Path, db: Database, database_url: str
) -> None:
    from datetime import timedelta

    import docx

    from tests.factories import make_person

    event = await make_event(db, now=datetime.now(UTC), starts_in=timedelta(days=5))
    person = await make_person(db, 901, now=datetime.now(UTC), name="Андрій Бондар")
    async with db.transaction() as session:
        from bot.services import registration

        await registration.register(
            session,
            event_id=event.id,
            person_id=person.id,
            default_reminders=(),
            now=event.created_at,
        )
    env = {"DATABASE_URL": database_url}
    target = tmp_path / "list.docx"
    result = await hromada(
        "events",
        "sheet",
        str(event.id),
        "--format",
        "docx",
        "--output",
        str(target),
        env=env,
        cwd=tmp_path,
    )
    assert result.code == 0, result.err
    assert result.out == f"{target}: 1 registered, 10 blank lines\n"
    rows = docx.Document(str(target)).tables[0].rows
    assert [c.text for c in rows[1].cells][:2] == ["1", "Андрій Бондар"]

    result = await hromada("events", "sheet", str(event.id), env=env, cwd=tmp_path)
    assert result.code == 0, result.err
    day = event.starts_at.astimezone(ZoneInfo("Europe/Kyiv")).date().isoformat()
    written = tmp_path / f"sign-in_{event.id}_{day}.pdf"
    assert written.read_bytes().startswith(b"%PDF-")

    result = await hromada("events", "sheet", str(event.id + 1000), env=env, cwd=tmp_path)
    assert (result.code, result.err) == (1, f"hromada-bot: event {event.id + 1000} not found\n")


async def test_run_takes_everything_from_the_environment_without_a_config_file(
    tmp_path: Path, db: Database, database_url: str, emu: BotApiEmulator
) -> None:
    """As under Docker or systemd: no config.toml, only environment variables."""
    admin = emu.add_user(first_name="Ганна", user_id=7301)
    resident = emu.add_user(first_name="Петро", user_id=7302)
    environ = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    environ.update(
        BOT_TOKEN=emu.token,
        DATABASE_URL=database_url,
        HROMADA_TELEGRAM_API_BASE_URL=emu.base_url,
        HROMADA_TELEGRAM_API_FILE_URL=emu.base_file_url,
        HROMADA_LIBRARY_NAME="Волочиська ЦРБ",
        HROMADA_ADMINS=f"{admin.id}, 999",
        HROMADA_TIMEZONE="Europe/Kyiv",
        HROMADA_DEFAULT_LANGUAGE="uk",
    )
    assert not (tmp_path / "config.toml").exists()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=environ, cwd=tmp_path,
    )  # fmt: skip
    try:
        await resident.send_command("/start")
        assert "Волочиська ЦРБ" in (await resident.next_reply(timeout=30)).text
        helps = {}
        for user in (resident, admin):
            await user.send_command("/help")
            helps[user.id] = (await user.next_reply(timeout=10)).text
    finally:
        process.send_signal(signal.SIGINT)
        out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    log = out.decode() + err.decode()
    assert process.returncode == 0, log
    assert "demo" not in log
    assert "/newevent" in helps[admin.id] and "/newevent" not in helps[resident.id]


async def test_a_bad_environment_variable_is_one_line_naming_it(tmp_path: Path) -> None:
    result = await hromada("db", "upgrade", env={"HROMADA_ADMINS": "12,abc"}, cwd=tmp_path)
    assert result.code == 2
    assert result.err == (
        "hromada-bot: config.toml: staff.admins (from HROMADA_ADMINS): "
        '"abc" is not a Telegram user id (digits only)\n'
    )


async def test_health_is_one_line_and_exit_0_when_the_database_answers(
    tmp_path: Path, database_url: str
) -> None:
    result = await hromada("health", env={"DATABASE_URL": database_url}, cwd=tmp_path)
    assert result.code == 0, result.err
    assert result.out.startswith("ok: database answers (") and result.out.count("\n") == 1
    assert "schema 00" in result.out


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "hromada-bot: unhealthy: database: file {tmp}/hromada.sqlite3 does not exist"),
        (
            {"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/hromada"},
            "hromada-bot: unhealthy: database: cannot connect: ",
        ),
        (
            {"DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/hromada_no_such_db"},
            'hromada-bot: database: database "hromada_no_such_db" does not exist',
        ),
        ({"HROMADA_TIMEZONE": "Kyiv"}, "hromada-bot: config.toml: library.timezone (from"),
    ],
)
async def test_health_is_one_line_and_exit_1_when_something_is_wrong(
    tmp_path: Path, env: dict[str, str], expected: str
) -> None:
    result = await hromada("health", env=env, cwd=tmp_path)
    assert result.code == 1
    assert result.err.startswith(expected.format(tmp=tmp_path)) and result.err.count("\n") == 1
    assert result.out == ""
    assert not (tmp_path / "hromada.sqlite3").exists()  # a health check creates nothing
