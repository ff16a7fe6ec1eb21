"""Tidying that runs by itself: answers given without consent do not linger."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from telegram.ext import ContextTypes, JobQueue

from bot.deps import Deps
from bot.services import dialogs

log = logging.getLogger(__name__)

ABANDONED_AFTER = timedelta(days=1)  # a sign-up nobody answered for a day is given up
INTERVAL = timedelta(hours=1)
JOB_NAME = "purge-abandoned-sign-ups"


async def purge_abandoned(deps: Deps) -> int:
    """Drop sign-ups left unanswered for a day, with the name and phone they may hold."""
    purged = await deps.write(dialogs.purge_abandoned_signups, before=deps.now() - ABANDONED_AFTER)
    if purged:
        log.info("purged %d sign-up(s) abandoned for a day", purged)
    return purged


def schedule(job_queue: JobQueue[Any], deps: Deps) -> None:
    """Purge every hour (a fixed name: a restart replaces the job, never doubles it)."""

    async def job(_context: ContextTypes.DEFAULT_TYPE) -> None:
        await purge_abandoned(deps)

    for old in job_queue.get_jobs_by_name(JOB_NAME):
        old.schedule_removal()
    job_queue.run_repeating(job, interval=INTERVAL, first=timedelta(minutes=1), name=JOB_NAME)
