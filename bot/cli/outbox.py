"""``hromada-bot outbox send``: send what is due now and exit (for cron, or a second worker)."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from bot.cli.common import open_deps, sending_bot
from bot.config import Config
from bot.outbox.dispatcher import Dispatcher, Tally


def add_parser(commands: Any) -> None:
    outbox = commands.add_parser("outbox", help="the queue of reminders and notices")
    actions = outbox.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("send", help="send every message that is due now, then exit")


def dispatch(args: argparse.Namespace, config: Config) -> int:
    tally = asyncio.run(send_due(config))
    print(
        f"sent {tally.sent}, failed {tally.failed}, blocked {tally.blocked}, "
        f"to retry {tally.retried}, held for the morning {tally.held}"
    )
    return 0


async def send_due(config: Config) -> Tally:
    from bot.sending import outbox_sender  # noqa: PLC0415 (see bot.cli.running)

    async with open_deps(config) as deps, sending_bot(config) as bot:
        dispatcher = Dispatcher(deps, outbox_sender(bot, deps))
        await dispatcher.sweep()
        return await dispatcher.run()
