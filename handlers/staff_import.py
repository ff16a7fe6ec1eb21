"""A staff member sends the bot a CSV file in the import format: its events are imported,
all or none, as ``hromada-bot events import`` does (and, like it, not announced)."""

from __future__ import annotations

from html import escape

from telegram import Document

from bot.domain.event_import import COLUMNS, EventImportError, RowProblem
from bot.i18n import Translator
from bot.import_texts import describe
from bot.services.importer import import_csv
from bot.services.records import Event
from handlers import resident
from handlers.cards import deep_link
from handlers.common import Reply
from handlers.render import split_message

MAX_BYTES = 1024 * 1024  # a thousand events (the importer's limit) fit in far less
CSV_TYPES = ("text/csv", "text/comma-separated-values")
MAX_PROBLEMS_SHOWN = 30  # a wholly wrong file would otherwise fill the chat
EXAMPLE_ROW = (
    "Навчаємось вираховувати субсидію,training,03.12.2026 14:00,03.12.2026 15:30,"
    "Читальна зала,20,пенсіонери,Поінформована громада,,,,,,"
)


async def on_document(reply: Reply) -> None:
    """Import a staff member's CSV; anyone else's document gets the usual help."""
    if not reply.is_staff:
        await resident.cmd_help(reply)
        return
    message = reply.update.effective_message
    assert message is not None and message.document is not None  # the handler's filter
    document = message.document
    if not is_csv(document):
        await reply.send(not_csv(reply.tr))
        return
    # Telegram states the size; refuse before downloading (and again if it did not).
    if document.file_size is not None and document.file_size > MAX_BYTES:
        await reply.send(too_big(reply.tr))
        return
    data = bytes(await (await document.get_file()).download_as_bytearray())
    if len(data) > MAX_BYTES:
        await reply.send(too_big(reply.tr))
        return

    d = reply.deps
    try:
        created = await reply.write(
            import_csv,
            data,
            kinds=d.kinds(),
            tz=d.config.library.timezone,
            now=d.now(),
            config=d.config,
            staff_branch=reply.branch,
        )
    except EventImportError as exc:
        for part in split_message(problems(reply.tr, exc.problems)):
            await reply.send(part)
        return
    await _send_without_previews(reply, imported(reply, created))


def is_csv(document: Document) -> bool:
    name = (document.file_name or "").casefold()
    return name.endswith(".csv") or (not name and document.mime_type in CSV_TYPES)


async def _send_without_previews(reply: Reply, text: str) -> None:
    """Deep links in the list would otherwise each ask for a preview of the bot."""
    for part in split_message(text):
        await reply.send(part, previews=False)


def imported(reply: Reply, events: list[Event]) -> str:
    tr, tz = reply.tr, reply.deps.config.library.timezone
    lines = [
        tr.ngettext("Imported {n} event:", "Imported {n} events:", len(events)).format(
            n=len(events)
        )
    ]
    for event in events:
        lines.append(
            f"№{event.id} · {tr.short_date_time(event.starts_at, tz)} · {escape(event.title)}\n"
            f"{escape(deep_link(reply, event.id))}"
        )
    lines.append("")
    lines.append(
        tr.gettext(
            "Subscribers have not been told about them yet: announce each event when it is ready."
        )
    )
    return "\n".join(lines)


def problems(tr: Translator, found: list[RowProblem]) -> str:
    shown = found[:MAX_PROBLEMS_SHOWN]
    lines = [tr.gettext("Nothing was imported. Please correct the file and send it again:")]
    lines += [f"• {escape(describe(tr, problem))}" for problem in shown]
    if rest := len(found) - len(shown):
        lines.append(
            tr.ngettext("…and {n} more problem", "…and {n} more problems", rest).format(n=rest)
        )
    return "\n".join(lines)


def not_csv(tr: Translator) -> str:
    return tr.gettext(
        "I can only import events from a CSV file. In Excel choose «Save as» → "
        "«CSV UTF-8 (comma delimited)» and send me the .csv file. Its first line names "
        "the columns, for example:\n{columns}\n{example}"
    ).format(columns=",".join(COLUMNS), example=EXAMPLE_ROW)


def too_big(tr: Translator) -> str:
    return tr.gettext(
        "The file is too large: at most {size} MB. Split it into several files."
    ).format(size=MAX_BYTES // (1024 * 1024))
