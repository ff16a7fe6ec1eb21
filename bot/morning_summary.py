"""Queues the staff's morning summary at the configured time, once a day.

A daily job at ``staff.morning_summary_at`` (the library's time), and one run at start-up,
so a bot that was down at that time still sends the day's summary. Both only queue it in
the outbox, which keeps one summary per staff member and day: a restart at 08:05 sends
nothing twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from telegram.ext import ContextTypes, JobQueue

from bot.deps import Deps
from bot.services import summary

log = logging.getLogger(__name__)

JOB_NAME = "morning-summary"
AT_START = "morning-summary-at-start"


async def queue_due(deps: Deps) -> int:
    """Queue today's summary if its time has come; returns how many were queued."""
    now = deps.now()
    tz = deps.config.library.timezone
    local = now.astimezone(tz)
    if local.time() < deps.config.staff.morning_summary_at:
        return 0
    queued = await deps.write(
        summary.queue, day=local.date(), tz=tz, admins=deps.config.staff.admins, now=now
    )
    if queued:
        log.info("queued %d morning summar(ies)", queued)
    return queued


def schedule(job_queue: JobQueue[Any], deps: Deps) -> None:
    """Every day at the configured time, and now (fixed names: a restart replaces the jobs)."""

    async def job(_context: ContextTypes.DEFAULT_TYPE) -> None:
        await queue_due(deps)

    for name in (JOB_NAME, AT_START):
        for old in job_queue.get_jobs_by_name(name):
            old.schedule_removal()
    at = deps.config.staff.morning_summary_at.replace(tzinfo=deps.config.library.timezone)
    job_queue.run_daily(job, time=at, name=JOB_NAME, job_kwargs={"misfire_grace_time": 3600})
    job_queue.run_once(job, when=timedelta(seconds=1), name=AT_START)
