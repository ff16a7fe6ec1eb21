"""Tidying that runs by itself: answers given without consent do not linger."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from telegram.ext import ContextTypes, JobQueue

from bot.deps import Deps
from bot.services import dialogs, feedback

log = logging.getLogger(__name__)

ABANDONED_AFTER = timedelta(days=1)  # a sign-up nobody answered for a day is given up
INTERVAL = timedelta(hours=1)
JOB_NAME = "purge-abandoned-sign-ups"
FEEDBACK_INTERVAL = timedelta(minutes=15)
FEEDBACK_JOB = "queue-feedback-questions"


async def purge_abandoned(deps: Deps) -> int:
    """Drop sign-ups left unanswered for a day, with the name and phone they may hold."""
    purged = await deps.write(dialogs.purge_abandoned_signups, before=deps.now() - ABANDONED_AFTER)
    if purged:
        log.info("purged %d sign-up(s) abandoned for a day", purged)
    return purged


async def ask_for_feedback(deps: Deps) -> int:
    """Queue the question after events that have ended (the outbox sends it)."""
    queued = await deps.write(feedback.queue_questions, now=deps.now())
    if queued:
        log.info("queued %d question(s) about events that have ended", queued)
    return queued


def schedule(job_queue: JobQueue[Any], deps: Deps) -> None:
    """Purge every hour and ask about ended events every quarter of an hour (fixed names:
    a restart replaces the jobs, never doubles them)."""

    async def purge(_context: ContextTypes.DEFAULT_TYPE) -> None:
        await purge_abandoned(deps)

    async def ask(_context: ContextTypes.DEFAULT_TYPE) -> None:
        await ask_for_feedback(deps)

    for name, job, every in ((JOB_NAME, purge, INTERVAL), (FEEDBACK_JOB, ask, FEEDBACK_INTERVAL)):
        for old in job_queue.get_jobs_by_name(name):
            old.schedule_removal()
        job_queue.run_repeating(job, interval=every, first=timedelta(minutes=1), name=name)
