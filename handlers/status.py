"""``/status``: how the bot is doing, for the library's administrators."""

from __future__ import annotations

from datetime import timedelta
from html import escape
from zoneinfo import ZoneInfo

from bot.domain.status import NotificationKind
from bot.i18n import Translator
from bot.services import status
from handlers.common import Reply


async def cmd_status(reply: Reply) -> None:
    config = reply.deps.config
    figures = await reply.read(
        status.status,
        database_url=config.database.url,
        health=reply.deps.health,
        now=reply.deps.now(),
    )
    await reply.send(render(reply.tr, figures, config.library.timezone))


def uptime(tr: Translator, span: timedelta) -> str:
    minutes = int(span.total_seconds()) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    text = tr.gettext("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
    if days:
        text = tr.gettext("{days} d").format(days=days) + " " + text
    return text


def kind_name(tr: Translator, kind: str) -> str:
    """A kind of message as staff call it; one this version does not know, as stored."""
    names: dict[str, str] = {
        NotificationKind.REMINDER: tr.gettext("a reminder"),
        NotificationKind.PROMOTED: tr.gettext("a seat from the waiting list"),
        NotificationKind.ANNOUNCEMENT: tr.gettext("an announcement"),
        NotificationKind.CHANGED: tr.gettext("an event's change"),
        NotificationKind.CANCELLED: tr.gettext("an event's cancellation"),
        NotificationKind.SUMMARY: tr.gettext("the morning summary"),
        NotificationKind.PHONE_PROMOTED: tr.gettext("a seat for someone who phoned"),
        NotificationKind.CALLS: tr.gettext("the call list"),
        NotificationKind.FEEDBACK: tr.gettext("the question after an event"),
    }
    return names.get(kind, kind)


def size(tr: Translator, n: int) -> str:
    return tr.gettext("{mb} MB").format(mb=f"{n / 1_000_000:.1f}")


def render(tr: Translator, s: status.Status, tz: ZoneInfo) -> str:
    never = tr.gettext("never")
    schema = tr.gettext("schema")
    database = f"{s.dialect}, {schema} {s.revision or '—'}"
    if s.database_bytes is not None:
        database += f", {size(tr, s.database_bytes)}"
    if s.last_error is None or s.last_error_at is None:
        error = tr.gettext("none")
    else:
        source, what = s.last_error
        if source == status.DELIVERY:
            text = tr.gettext("a message ({kind}) could not be delivered").format(
                kind=kind_name(tr, what)
            )
        else:
            text = tr.gettext("an error while answering ({error})").format(error=what)
        error = f"{tr.date_time(s.last_error_at, tz)}: {escape(text)}"
    lines = [
        tr.gettext("<b>Status</b>"),
        tr.gettext("Version: {version}").format(version=escape(s.version)),
        tr.gettext("Running for: {uptime}").format(
            uptime=uptime(tr, s.uptime) if s.uptime is not None else "—"
        ),
        tr.gettext("Database: {database}").format(database=escape(database)),
        tr.gettext("Messages queued: {n}").format(n=s.queued),
        tr.gettext("Messages failed: {n}").format(n=s.failed),
        tr.gettext("Held for people who blocked the bot: {n}").format(n=s.held),
        tr.gettext("Last message sent: {when}").format(
            when=tr.date_time(s.last_sent_at, tz) if s.last_sent_at else never
        ),
        tr.gettext("Last error: {error}").format(error=error),
    ]
    return "\n".join(lines)
