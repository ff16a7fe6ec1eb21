"""The bot as the in-process benchmarks run it: against the local emulator, configured
as a deployment with only ``BOT_TOKEN`` and ``DATABASE_URL`` set."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from bot.config import Config, Secret, TelegramConfig, load_config
from emulator import BotApiEmulator

TOKEN = "123456:BENCH-TOKEN-abcdefghijklmnop"


def config_for(emu: BotApiEmulator, url: str, *, quiet_hours: bool = True) -> Config:
    """The defaults, with the emulator as Telegram (``quiet_hours`` False: messages go
    out at once, whatever the hour of the run)."""
    config = load_config(
        Path(tempfile.gettempdir()) / "no-such-config.toml",
        environ={"BOT_TOKEN": TOKEN, "DATABASE_URL": url},
        missing_ok=True,
    )
    library = (
        config.library if quiet_hours else dataclasses.replace(config.library, quiet_hours=None)
    )
    return dataclasses.replace(
        config,
        library=library,
        telegram=TelegramConfig(
            token=Secret(TOKEN), api_base_url=emu.base_url, api_file_url=emu.base_file_url
        ),
    )
