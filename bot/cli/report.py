"""``hromada-bot report``: the project report on the terminal or in a file;
``hromada-bot report template PATH`` writes out the document's default template."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.cli.common import EXIT_USAGE, CliError, open_deps
from bot.config import Config
from bot.deps import utc_now
from bot.domain.period import parse_period
from bot.i18n import Catalogs, Translator
from bot.services import report

BINARY = ("xlsx", "png", "docx")


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "report",
        help="the project report: events held, people trained; "
        "`report template FILE` writes the document's default template out for editing",
    )
    parser.add_argument(
        "template", nargs="*", metavar="template FILE", help="write the default DOCX template"
    )
    parser.add_argument("--from", dest="since", help="first day, 01.01.2026 or 2026-01-01")
    parser.add_argument("--to", dest="until", help="last day (included)")
    parser.add_argument("--program", help="only the events of this programme (its name)")
    parser.add_argument(
        "--branch", metavar="KEY", help="only the events of this branch (its key); default: all"
    )
    parser.add_argument("--format", choices=["text", "csv", "xlsx", "png", "docx"], default="text")
    parser.add_argument("--output", type=Path, help="write to this file instead of the screen")


def dispatch(args: argparse.Namespace, config: Config) -> int:
    if args.template:
        return _write_template(args.template)
    tz = config.library.timezone
    today = utc_now().astimezone(tz).date()
    if bool(args.since) != bool(args.until):
        raise CliError("--from and --to go together (or neither, for this year)", EXIT_USAGE)
    words = f"{args.since} {args.until}" if args.since else ""
    try:
        period = parse_period(words, tz=tz, today=today)
    except ValueError:
        raise CliError(
            "--from/--to: dates as 01.01.2026 or 2026-01-01, the first not after the last",
            EXIT_USAGE,
        ) from None
    if args.output is None and args.format in BINARY and sys.stdout.isatty():
        raise CliError(
            f"--format {args.format} is a binary file: give --output FILE "
            f"or redirect the output (> report.{args.format})",
            EXIT_USAGE,
        )
    tr = Catalogs(config.library.default_language).get(None)
    keys = [branch.key for branch in config.branches]
    if args.branch is not None and args.branch not in keys:
        known = ", ".join(f'"{key}"' for key in keys) or "none are configured"
        raise CliError(f'--branch: there is no branch "{args.branch}"; known: {known}', EXIT_USAGE)
    try:
        result = asyncio.run(_report(config, period.start, period.end, args.program, args.branch))
    except report.UnknownProgramError as exc:
        known = ", ".join(f'"{name}"' for name in exc.known) or "none yet"
        raise CliError(
            f'--program: there is no programme "{exc.name}"; known programmes: {known}',
            EXIT_USAGE,
        ) from None
    data = _render(args.format, config, tr, result)
    if args.output is None:
        _write_stdout(data)
        return 0
    try:
        args.output.write_bytes(data)
    except OSError as exc:
        raise CliError(f"{args.output}: {exc.strerror or exc}") from None
    return 0


def _write_stdout(data: bytes) -> None:
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except OSError as exc:  # a full disk, or a reader that stopped (`| head`)
        # What is left in the buffer would fail again, with a traceback, as Python exits.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise CliError(f"standard output: {exc.strerror or exc}") from None


def _write_template(words: list[str]) -> int:
    from bot.exports.report_docx import default_template  # noqa: PLC0415

    if len(words) != 2 or words[0] != "template":
        raise CliError("expected `report template FILE` (or no words after `report`)", EXIT_USAGE)
    target = Path(words[1])
    try:
        with target.open("xb") as out:  # never over a library's edited template
            out.write(default_template())
    except FileExistsError:
        raise CliError(f"{target}: already exists; give a new file name") from None
    except OSError as exc:
        raise CliError(f"{target}: {exc.strerror or exc}") from None
    return 0


async def _report(
    config: Config, start: datetime, end: datetime, program: str | None, branch: str | None
) -> report.Report:
    async with open_deps(config) as deps, deps.db.session() as session:
        return await report.build(
            session,
            start=start,
            end=end,
            now=utc_now(),
            program_name=program,
            branch=branch,
            branches=[b.key for b in config.branches],
        )


def _render(fmt: str, config: Config, tr: Translator, result: report.Report) -> bytes:
    # Here, not at the top: matplotlib and openpyxl would slow every other command.
    from bot.exports.report_chart import report_chart  # noqa: PLC0415
    from bot.exports.report_docx import TemplateError, report_docx  # noqa: PLC0415
    from bot.exports.report_text import report_csv, report_text  # noqa: PLC0415
    from bot.exports.report_xlsx import report_xlsx  # noqa: PLC0415

    if fmt == "docx":
        try:
            return report_docx(config, tr, result, config.documents.report_template)
        except TemplateError as exc:
            raise CliError(str(exc)) from None
    if fmt == "csv":
        return report_csv(config, tr, result)
    if fmt == "xlsx":
        return report_xlsx(config, tr, result)
    if fmt == "png":
        return report_chart(config, tr, result)
    return report_text(config, tr, result).encode() + b"\n"
