"""What Telegram shows before /start: the bot's description and short description, set at
start from the configuration in each language, over the real request path."""

from __future__ import annotations

import dataclasses

from bot.app import build_application
from bot.config import Config
from emulator import BotApiEmulator
from storage.database import Database
from tests.e2e.conftest import start, stop
from tests.waiting import until


def _library(config: Config, **changes: object) -> Config:
    return dataclasses.replace(config, library=dataclasses.replace(config.library, **changes))


def _asked_in_english(emu: BotApiEmulator) -> int:
    """How often the English short description was asked for: the last step at a start."""
    return sum(
        r.params.get("language_code") == "en" for r in emu.requests_for("getMyShortDescription")
    )


async def _start_and_describe(config: Config, emu: BotApiEmulator, db: Database) -> None:
    """Run the bot until it has set its descriptions (or seen they are right), then stop."""
    before = _asked_in_english(emu)
    app = build_application(config, token=emu.token, db=db)
    await start(app)
    try:
        await until(lambda: _asked_in_english(emu) > before, what="the descriptions looked at")
        await until(lambda: not app.job_queue.get_jobs_by_name("bot description"))  # type: ignore[union-attr]
    finally:
        await stop(app)


def _texts(emu: BotApiEmulator) -> dict[tuple[str, str], str]:
    """What Telegram would show, by (kind, language code; "" for the default)."""
    return dict(emu.state.descriptions)


async def test_the_default_texts_name_the_library_in_each_language(
    bot_config: Config, emu: BotApiEmulator, db: Database
) -> None:
    await _start_and_describe(_library(bot_config, name="Волочиська ЦРБ"), emu, db)
    texts = _texts(emu)
    uk, en = texts[("description", "")], texts[("description", "en")]
    assert uk.startswith("Волочиська ЦРБ запрошує на безкоштовні тренінги") and "«Почати»" in uk
    assert en.startswith("Волочиська ЦРБ invites you to free trainings") and "«Start»" in en
    assert texts[("short_description", "")] == (
        "Волочиська ЦРБ: безкоштовні тренінги, запис і нагадування"
    )
    assert texts[("short_description", "en")] == (
        "Волочиська ЦРБ: free trainings, sign-up and reminders"
    )


async def test_the_configured_texts_are_used_per_language(
    bot_config: Config, emu: BotApiEmulator, db: Database
) -> None:
    config = _library(
        bot_config,
        name="Бібліотека",
        description={"uk": "Запис на заняття в бібліотеці села Куча."},
        short_description={"uk": "Заняття в Кучі", "en": "Classes in Kucha"},
    )
    await _start_and_describe(config, emu, db)
    texts = _texts(emu)
    assert texts[("description", "")] == "Запис на заняття в бібліотеці села Куча."
    assert texts[("description", "en")].startswith("Бібліотека invites you")  # not configured
    assert texts[("short_description", "")] == "Заняття в Кучі"
    assert texts[("short_description", "en")] == "Classes in Kucha"


async def test_a_restart_sets_nothing_that_telegram_already_shows(
    bot_config: Config, emu: BotApiEmulator, db: Database
) -> None:
    await _start_and_describe(bot_config, emu, db)
    set_calls = (
        len(emu.requests_for("setMyDescription")),
        len(emu.requests_for("setMyShortDescription")),
    )
    assert set_calls == (2, 2)  # both languages, both texts, the first time
    await _start_and_describe(bot_config, emu, db)
    assert len(emu.requests_for("setMyDescription")) == 2
    assert len(emu.requests_for("setMyShortDescription")) == 2
    # A changed text is set again, in that language only.
    changed = _library(bot_config, short_description={"en": "Classes at the library"})
    await _start_and_describe(changed, emu, db)
    assert len(emu.requests_for("setMyDescription")) == 2
    (again,) = emu.requests_for("setMyShortDescription")[2:]
    assert again.params.get("language_code") == "en"
    assert _texts(emu)[("short_description", "en")] == "Classes at the library"


async def test_a_name_too_long_for_telegram_leaves_it_out(
    bot_config: Config, emu: BotApiEmulator, db: Database
) -> None:
    long_name = "Комунальний заклад «Публічна бібліотека Хмільницької міської ради» " * 2
    await _start_and_describe(_library(bot_config, name=long_name.strip()), emu, db)
    texts = _texts(emu)
    assert texts[("short_description", "")] == (
        "Безкоштовні тренінги бібліотеки: розклад, запис, нагадування"
    )
    assert long_name.strip() in texts[("description", "")]  # 512 characters are enough
    assert emu.requests_for("setMyShortDescription")  # Telegram accepted every text
