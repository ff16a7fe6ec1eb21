"""``hromada-bot programs …``: list the programmes, add one."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from bot.cli.common import EXIT_USAGE, CliError, open_deps
from bot.config import Config
from bot.deps import utc_now
from bot.domain import program_form
from bot.domain.event_form import FormError
from bot.domain.program_form import ProgramStep
from bot.services import programs
from bot.services.programs import ProgramExistsError, ProgramPeriodError


def add_parser(commands: Any) -> None:
    found = commands.add_parser("programs", help="the programmes (projects) events belong to")
    actions = found.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", help="every programme: id, number of events, name")
    add = actions.add_parser("add", help="add a programme (the rest can be set in Telegram)")
    add.add_argument("--name", required=True)
    add.add_argument("--purpose", default="", help="a paragraph: why the project exists")
    add.add_argument("--frame", default="", help="«що є частиною …, реалізується за сприяння …»")
    add.add_argument("--period", help='"01.03.2026 – 30.11.2026"')
    add.add_argument("--link", default="")
    add.add_argument("--signer-position", default="")
    add.add_argument("--signer-name", default="")


def dispatch(args: argparse.Namespace, config: Config) -> int:
    if args.action == "list":
        return asyncio.run(_list(config))
    return asyncio.run(_add(config, args))


async def _list(config: Config) -> int:
    async with open_deps(config) as deps:
        found = await deps.read(programs.listing)
    if not found:
        print("No programmes yet: add one with `hromada-bot programs add --name …`.")
    for item in found:
        print(f"{item.program.id}\t{item.events}\t{item.program.name}")
    return 0


def _checked(step: ProgramStep, value: str, option: str) -> str:
    if not value:
        return ""
    try:
        return program_form.parse_text(value, step)
    except FormError as exc:
        raise CliError(f"{option}: {_problem(exc)}", EXIT_USAGE) from None


def _problem(exc: FormError) -> str:
    if exc.code == "too_long":
        return f"too long: at most {exc.params['max']} characters"
    if exc.code == "control_chars":
        return "has invisible control characters"
    if exc.code == "empty":
        return "must not be empty"
    return 'cannot read the period; write it as "01.03.2026 – 30.11.2026"'


async def _add(config: Config, args: argparse.Namespace) -> int:
    name = _checked(ProgramStep.NAME, args.name, "--name")
    if not name:
        raise CliError("--name: must not be empty", EXIT_USAGE)
    period = None
    if args.period:
        try:
            period = program_form.parse_period(args.period)
        except FormError as exc:
            if exc.code == "period_order":
                raise CliError("--period: the end is before the start", EXIT_USAGE) from None
            raise CliError(f"--period: {_problem(exc)}", EXIT_USAGE) from None
    starts_on, ends_on = period or (None, None)
    async with open_deps(config) as deps:
        try:
            program = await deps.write(
                programs.create,
                name=name,
                purpose=_checked(ProgramStep.PURPOSE, args.purpose, "--purpose"),
                frame=_checked(ProgramStep.FRAME, args.frame, "--frame"),
                starts_on=starts_on,
                ends_on=ends_on,
                link=_checked(ProgramStep.LINK, args.link, "--link"),
                signer_position=_checked(
                    ProgramStep.POSITION, args.signer_position, "--signer-position"
                ),
                signer_name=_checked(ProgramStep.SIGNER, args.signer_name, "--signer-name"),
                now=utc_now(),
            )
        except ProgramExistsError as exc:
            raise CliError(f"a programme called «{exc.name}» already exists") from None
        except ProgramPeriodError:
            raise CliError("--period: the end is before the start", EXIT_USAGE) from None
    print(f"{program.id}\t{program.name}")
    return 0
