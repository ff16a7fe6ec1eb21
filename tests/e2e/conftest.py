"""The real bot, over real HTTP, against the local Bot API emulator and a real database."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from telegram.ext import Application

from bot.app import build_application, start, stop
from bot.config import Config, TelegramConfig
from emulator import BotApiEmulator
from storage.database import Database
from storage.models import Event
from tests.factories import make_event


@pytest.fixture
def bot_config(config: Config, emu: BotApiEmulator) -> Config:
    return dataclasses.replace(
        config,
        telegram=TelegramConfig(
            token=config.telegram.token, api_base_url=emu.base_url, api_file_url=emu.base_file_url
        ),
    )


@pytest.fixture
async def app(bot_config: Config, emu: BotApiEmulator, db: Database) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    application = build_application(bot_config, token=emu.token, db=db)
    await start(application)
    yield application
    await stop(application)


async def event_in(
    db: Database, *, days: float = 3, capacity: int | None = 10, **kwargs: object
) -> Event:
    """An event some days from the real now (the bot runs on the real clock here)."""
    now = datetime.now(UTC)
    return await make_event(
        db, now=now, starts_in=timedelta(days=days), capacity=capacity, **kwargs
    )  # type: ignore[arg-type]
