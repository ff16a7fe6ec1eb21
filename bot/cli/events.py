"""``hromada-bot events …``: import, change, cancel and announce events."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from telegram import Bot
from telegram.error import TelegramError

from bot.cli.common import EXIT_USAGE, CliError, open_deps, sending_bot
from bot.config import Config
from bot.deps import Deps, utc_now
from bot.domain import event_form
from bot.domain.errors import (
    DomainError,
    EventNotFoundError,
    InvalidInputError,
    RegistrationClosedError,
)
from bot.domain.event_form import FormStep
from bot.domain.event_import import EventImportError, parse_local_datetime
from bot.domain.reminders import parse_offsets
from bot.domain.status import NotificationKind
from bot.import_texts import describe
from bot.outbox.dispatcher import Dispatcher
from bot.services import announcements, event_admin, places, sign_in
from bot.services.importer import import_csv
from storage import notifications

log = logging.getLogger("hromada")
T = TypeVar("T")


def add_parser(commands: Any) -> None:
    events = commands.add_parser("events", help="manage events")
    actions = events.add_subparsers(dest="action", required=True, metavar="ACTION")
    importing = actions.add_parser(
        "import", help="import events from a CSV file (all rows or none)"
    )
    importing.add_argument("file", type=Path, help="UTF-8 CSV: title,kind,starts_at,ends_at,...")
    update = actions.add_parser(
        "update", help="change an event; registrants hear of a new time or place"
    )
    update.add_argument("id", type=int)
    update.add_argument("--title")
    update.add_argument("--starts-at", help='local time, "2026-12-03 14:00" or "03.12.2026 14:00"')
    update.add_argument("--ends-at", help="local time, as --starts-at")
    update.add_argument("--place")
    update.add_argument("--capacity", help="more seats promote the waiting list")
    update.add_argument(
        "--reminders",
        help='this event\'s reminders, e.g. "18h,1h"; "none"; "default" for the library\'s',
    )
    cancel = actions.add_parser("cancel", help="cancel an event; registrants are told")
    cancel.add_argument("id", type=int)
    announce = actions.add_parser(
        "announce", help="send the event to subscribers (resumes where it stopped)"
    )
    announce.add_argument("id", type=int)
    sheet = actions.add_parser(
        "sheet", help="the event's printable sign-in sheet (A4, DOCX or PDF)"
    )
    sheet.add_argument("id", type=int)
    sheet.add_argument("--format", choices=["docx", "pdf"], default="pdf")
    sheet.add_argument(
        "--output", type=Path, help="the file to write (default: sign-in_ID_DATE.FORMAT here)"
    )


def dispatch(args: argparse.Namespace, config: Config) -> int:
    if args.action == "import":
        try:
            data = args.file.read_bytes()
        except OSError as exc:
            raise CliError(f"{args.file}: {exc.strerror or exc}") from None
        return asyncio.run(_import(config, args.file, data))
    if args.action == "update":
        return asyncio.run(_update(config, args))
    if args.action == "cancel":
        return asyncio.run(_cancel(config, args.id))
    if args.action == "sheet":
        return asyncio.run(_sheet(config, args.id, args.format, args.output))
    return asyncio.run(_announce(config, args.id))


async def _import(config: Config, file: Path, data: bytes) -> int:
    async with open_deps(config) as deps:
        tr = deps.catalogs.get(None)
        try:
            async with deps.db.transaction() as session:
                created = await import_csv(
                    session,
                    data,
                    kinds=deps.kinds(),
                    tz=config.library.timezone,
                    now=utc_now(),
                    config=config,
                )
        except EventImportError as exc:
            for problem in exc.problems:
                print(f"{file}: {describe(tr, problem)}", file=sys.stderr)
            nothing = tr.gettext("nothing was imported")
            print(f"{file}: {nothing}", file=sys.stderr)
            return 1
    username = await _bot_username(config)
    for event in created:
        link = f"https://t.me/{username or '<bot username>'}?start=event_{event.id}"
        print(f"{event.id}\t{event.title}\t{link}")
    return 0


async def _bot_username(config: Config) -> str | None:
    if config.telegram.token is None:
        print("(set telegram.token to print the bot's real links)", file=sys.stderr)
        return None
    try:
        async with Bot(config.telegram.token.get(), base_url=config.telegram.api_base_url) as bot:
            return bot.username
    except TelegramError as exc:
        print(f"(could not ask Telegram for the bot's name: {exc.message})", file=sys.stderr)
        return None


def _changes(args: argparse.Namespace, config: Config) -> event_admin.Changes:
    """The options, checked as the staff's form and the import check them."""
    tz = config.library.timezone
    try:
        starts_at = parse_local_datetime(args.starts_at, tz) if args.starts_at else None
        ends_at = parse_local_datetime(args.ends_at, tz) if args.ends_at else None
    except ValueError:
        raise CliError(
            'dates are local time as "2026-12-03 14:00" or "03.12.2026 14:00"', EXIT_USAGE
        ) from None
    reminders = args.reminders
    if reminders is not None and reminders.strip().lower() == "none":
        reminders = ""
    if reminders not in (None, "", "default"):
        try:
            parse_offsets(reminders)
        except ValueError as exc:
            raise CliError(f"--reminders: {exc}", EXIT_USAGE) from None
    place = _checked(
        "--place", args.place, lambda text: event_form.parse_text(text, FormStep.PLACE)
    )
    # A configured place by its key or name; other text is a one-off place of the whole
    # library (the command line is an administrator's).
    chosen = None if place is None else places.choose(config, place, staff_branch=None)
    return event_admin.Changes(
        title=_checked(
            "--title", args.title, lambda text: event_form.parse_text(text, FormStep.TITLE)
        ),
        starts_at=starts_at,
        ends_at=ends_at,
        place=None if chosen is None else chosen.place,
        place_key=None if chosen is None else chosen.place_key,
        branch_key=None if chosen is None else chosen.branch_key,
        capacity=_checked("--capacity", args.capacity, event_form.parse_capacity),
        reminders=reminders,
    )


_FORM_PROBLEMS = {
    "empty": "must not be empty",
    "control_chars": "has invisible control characters; type it again",
    "too_long": "too long: {length} characters, at most {max}",
    "capacity_format": "a number of seats in digits, e.g. 20",
    "capacity_range": "from 1 to {max} seats",
}


def _checked(option: str, value: str | None, parse: Callable[[str], T]) -> T | None:
    if value is None:
        return None
    try:
        return parse(value)
    except event_form.FormError as exc:
        reason = _FORM_PROBLEMS.get(exc.code, exc.code).format(**exc.params)
        raise CliError(f"{option}: {reason}", EXIT_USAGE) from None


async def _update(config: Config, args: argparse.Namespace) -> int:
    changes = _changes(args, config)
    async with open_deps(config) as deps:
        try:
            async with deps.db.transaction() as session:
                result = await event_admin.update_event(
                    session,
                    args.id,
                    changes,
                    default_reminders=config.reminders.before,
                    now=utc_now(),
                )
        except DomainError as exc:
            raise CliError(_explain(args.id, exc)) from None
    print(f"event {args.id} updated; {result.notified} registrants will be told")
    if result.promoted:
        print(f"{len(result.promoted)} moved up from the waiting list and will be told")
    return 0


async def _cancel(config: Config, event_id: int) -> int:
    async with open_deps(config) as deps:
        try:
            async with deps.db.transaction() as session:
                told = await event_admin.cancel_event(session, event_id, now=utc_now())
        except DomainError as exc:
            raise CliError(_explain(event_id, exc)) from None
    print(f"event {event_id} cancelled; {told} registrants will be told")
    return 0


async def _sheet(config: Config, event_id: int, file_format: str, output: Path | None) -> int:
    """Write the sign-in sheet in the library's default language."""
    from bot.exports import sign_in_sheet  # noqa: PLC0415 (python-docx, fpdf2: only here)

    async with open_deps(config) as deps:
        try:
            async with deps.db.session() as session:
                facts = await sign_in.sheet(session, event_id=event_id)
        except DomainError as exc:
            raise CliError(_explain(event_id, exc)) from None
        content = sign_in_sheet.sheet(config, deps.catalogs.get(None), facts.event, facts.people)
    render = sign_in_sheet.render_docx if file_format == "docx" else sign_in_sheet.render_pdf
    path = output or Path(f"{sign_in_sheet.file_name(config, facts.event)}.{file_format}")
    try:
        path.write_bytes(render(content))
    except OSError as exc:
        raise CliError(f"{path}: {exc.strerror or exc}") from None
    blank = len(content.rows) - content.registered
    print(f"{path}: {content.registered} registered, {blank} blank lines")
    return 0


async def _announce(config: Config, event_id: int) -> int:
    """Queue the announcement and send it, with a progress line; safe to run again."""
    from bot.sending import outbox_sender  # noqa: PLC0415 (see bot.cli.running)

    async with open_deps(config) as deps, sending_bot(config) as bot:
        try:
            async with deps.db.transaction() as session:
                announced = await announcements.announce(
                    session,
                    event_id=event_id,
                    now=utc_now(),
                    branches=[b.key for b in config.branches],
                )
            total = announced.total
        except DomainError as exc:
            raise CliError(_explain(event_id, exc)) from None
        dispatcher = Dispatcher(deps, outbox_sender(bot, deps))
        while True:
            tally = await dispatcher.run(
                limit=10, event_id=event_id, kind=NotificationKind.ANNOUNCEMENT
            )
            counts = await _progress(deps, event_id)
            sent, failed = counts.get("sent", 0), counts.get("failed", 0) + counts.get("blocked", 0)
            print(f"\rsent {sent} / {total}, failed {failed}", end="", file=sys.stderr, flush=True)
            if not (tally.sent or tally.failed or tally.blocked or tally.retried):
                break
            if tally.retried and dispatcher.paused_until is not None:
                await asyncio.sleep(max((dispatcher.paused_until - utc_now()).total_seconds(), 0))
        print(file=sys.stderr)
    waiting = total - sent - failed
    print(f"announced event {event_id}: sent {sent} of {total}, failed {failed}, waiting {waiting}")
    return 0


async def _progress(deps: Deps, event_id: int) -> dict[str, int]:
    async with deps.db.session() as session:
        return await notifications.counts(
            session, event_id=event_id, kind=NotificationKind.ANNOUNCEMENT
        )


def _explain(event_id: int, exc: DomainError) -> str:
    if isinstance(exc, EventNotFoundError):
        return f"event {event_id} not found"
    if isinstance(exc, RegistrationClosedError):
        return f"event {event_id} is {exc.reason.value.replace('_', ' ')}"
    if isinstance(exc, event_admin.EventCancelledError):
        return f"event {event_id} is already cancelled"
    if isinstance(exc, InvalidInputError):
        reasons = {
            "capacity_below_taken": "--capacity: fewer seats than people already registered",
            "ends_before_start": "--ends-at: the end must be after the start",
        }
        return reasons.get(exc.problem, exc.problem)
    return f"event {event_id}: {type(exc).__name__}"
