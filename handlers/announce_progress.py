"""The message that follows an announcement: "sent 12 / 40", edited as the outbox delivers.

A repeating JobQueue job reads the announcement's notification rows every couple of
seconds and edits the message only when the figures change; it stops once nothing is left
to send, or after a time limit (the card shows the figures after that).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes, JobQueue

from bot.i18n import Translator
from bot.services import staff_events
from bot.services.records import Progress
from handlers import staff_events_views as views
from handlers.common import deps

log = logging.getLogger(__name__)

INTERVAL = 2.0  # seconds between looks at the outbox
TIME_LIMIT = 30 * 60.0  # seconds; a big announcement at Telegram's pace takes far less


@dataclass
class _Watch:
    chat_id: int
    message_id: int
    event_id: int
    title: str
    tr: Translator
    shown: Progress
    deadline: float


def watch(
    job_queue: JobQueue,  # type: ignore[type-arg]
    *,
    chat_id: int,
    message_id: int,
    event_id: int,
    title: str,
    tr: Translator,
    shown: Progress,
) -> None:
    """Keep the message up to date; a newer announcement of the event in this chat
    replaces the older watch."""
    name = f"announce-progress:{chat_id}:{event_id}"
    for job in job_queue.get_jobs_by_name(name):
        job.schedule_removal()
    data = _Watch(chat_id, message_id, event_id, title, tr, shown, time.monotonic() + TIME_LIMIT)
    job_queue.run_repeating(
        _tick,
        interval=INTERVAL,
        first=INTERVAL,
        name=name,
        data=data,
        job_kwargs={"misfire_grace_time": None, "coalesce": True},
    )


async def _tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    job = context.job
    assert job is not None and isinstance(job.data, _Watch)
    w = job.data
    progress = await deps(context).read(staff_events.announcement_progress, event_id=w.event_id)
    gave_up = not progress.done and time.monotonic() >= w.deadline
    if progress.done or gave_up:
        job.schedule_removal()
    elif progress == w.shown:
        return
    w.shown = progress
    try:
        await context.bot.edit_message_text(
            views.announce_progress(w.tr, w.title, progress, gave_up=gave_up),
            chat_id=w.chat_id,
            message_id=w.message_id,
            parse_mode=ParseMode.HTML,
        )
    except BadRequest as exc:
        if "not modified" not in exc.message:
            # Deleted by the staff member, most likely: nothing left to update.
            log.info("announcement progress of event %s stopped: %s", w.event_id, exc.message)
            job.schedule_removal()
