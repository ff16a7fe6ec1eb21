"""``hromada-bot demo``: the bot and a local Telegram emulator, with two residents signing up.

Nothing leaves this machine: the emulator listens on 127.0.0.1 and the database is a
temporary SQLite file.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import build_application, start, stop
from bot.config import Config, DatabaseConfig, TelegramConfig
from bot.deps import Deps, utc_now
from bot.domain.event_import import COLUMNS
from bot.i18n import Catalogs
from bot.services import programs
from bot.services.importer import import_csv
from emulator import BotApiEmulator
from storage import migrate
from storage.database import Database

# Trainings like those of the Volochysk library's "Informed community" project.
SAMPLE_EVENTS = (
    ("Навчаємось вираховувати субсидію", "training", 3, 14, 1, "пенсіонери"),
    ("Працевлаштування переселенців", "seminar", 5, 11, 25, "внутрішньо переміщені особи"),
    ("Електронні послуги для громади", "training", 7, 10, 15, "працівники бібліотек-філіалів"),
    ("Знайомство з урядовими сайтами", "practical", 9, 15, 12, "діти"),
    ("Від влади до громади через е-урядування", "campaign", 12, 12, None, "жителі міста"),
)
PROGRAM = "Поінформована громада – демократична країна"


def sample_csv(now: datetime, tz_name: str) -> bytes:
    """The sample events as the CSV a librarian would import, dated from today on."""
    local_today = now.astimezone(ZoneInfo(tz_name)).date()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS[: COLUMNS.index("description") + 1])
    for title, kind, days, hour, capacity, audience in SAMPLE_EVENTS:
        day = local_today + timedelta(days=days)
        writer.writerow(
            [
                title,
                kind,
                f"{day.isoformat()} {hour:02d}:00",
                f"{day.isoformat()} {hour + 1:02d}:30",
                "Читальна зала ЦРБ",
                capacity or "",
                audience,
                PROGRAM,
                "Безкоштовно. Візьміть із собою смартфон, якщо маєте.",
            ]
        )
    return out.getvalue().encode("utf-8-sig")


async def run_demo(config: Config) -> str:
    """Play the demo conversation and return it as a readable transcript."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'demo.sqlite3'}"
        async with BotApiEmulator(bot_username="hromada_demo_bot") as emu:
            config = dataclasses.replace(
                config,
                database=DatabaseConfig(url),
                telegram=TelegramConfig(None, emu.base_url, emu.base_file_url),
                # The demo plays its day at whatever hour it is run.
                library=dataclasses.replace(config.library, quiet_hours=None),
            )
            db = Database(url)
            await migrate.upgrade(db)
            deps = Deps(config=config, db=db, catalogs=Catalogs(config.library.default_language))
            async with db.transaction() as session:
                # The import names programmes, it does not make them.
                await programs.create(session, name=PROGRAM, now=utc_now())
                events = await import_csv(
                    session,
                    sample_csv(utc_now(), config.library.timezone.key),
                    kinds=deps.kinds(),
                    tz=config.library.timezone,
                    now=utc_now(),
                    config=config,
                )
            subsidy = events[0]

            app = build_application(config, token=emu.token, db=db)
            await start(app)
            try:
                await _play(emu, subsidy.id)
            finally:
                await stop(app)
                await db.dispose()
            header = (
                f"hromada-bot demo: {len(events)} sample events imported; "
                f"«{subsidy.title}» has one seat.\n"
            )
            return header + "\n" + emu.format_transcript()


async def _play(emu: BotApiEmulator, event_id: int) -> None:
    olena = emu.add_user(first_name="Олена", last_name="Петренко", language_code="uk")
    mykola = emu.add_user(first_name="Микола", last_name="Шевчук", language_code="uk")

    # Olena browses the list and takes the last seat.
    await olena.send_command("/start")
    await olena.press(await olena.next_reply(), text="Найближчі заходи")
    await olena.press(await olena.next_reply(), text="Навчаємось вираховувати субсидію")
    await olena.press(await olena.next_reply(), text="Записатися")
    await olena.press(await olena.next_reply(), text="Я — Олена Петренко")
    await olena.press(await olena.next_reply(), text="Користувачі бібліотеки")
    await olena.next_reply()
    await olena.send_contact(phone_number="+380501234567")
    await olena.next_reply()
    await olena.press(await olena.next_reply(), text="Погоджуюся")
    await olena.next_reply()

    # Mykola follows a poster's link: the event is full, he joins the waiting list.
    await mykola.send_command(f"/start event_{event_id}")
    await mykola.press(await mykola.next_reply(), text="Стати в чергу")
    await mykola.next_reply()
    await mykola.send_text("Микола Шевчук")
    await mykola.press(await mykola.next_reply(), text="Внутрішньо переміщені особи")
    await mykola.next_reply()
    await mykola.send_text("Пропустити")
    await mykola.next_reply()
    await mykola.press(await mykola.next_reply(), text="Погоджуюся")
    await mykola.next_reply()

    # Olena cannot come after all; Mykola gets her seat and is told.
    await olena.send_command("/my")
    await olena.press(await olena.next_reply(), text="Скасувати №1")
    await olena.next_reply()  # «Мої записи», redrawn with the cancellation on top
    await mykola.next_reply()
