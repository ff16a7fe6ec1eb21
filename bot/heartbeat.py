"""The running bot beats every minute: ``hromada-bot status`` in a shell reads it to say
whether a bot is running, and for how long."""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import ContextTypes, JobQueue

from bot.deps import Deps
from bot.domain.heartbeat import BEAT_EVERY
from bot.services import status

log = logging.getLogger(__name__)

JOB_NAME = "heartbeat"
AT_START = "heartbeat-at-start"


async def beat(deps: Deps) -> None:
    """Note that this bot is alive now; a database away for a moment only skips a beat."""
    try:
        await deps.write(
            status.beat,
            instance=deps.config.reminders.instance,
            started_at=deps.health.started_at,
            now=deps.now(),
        )
    except Exception as exc:  # the next beat tries again; nothing else depends on this one
        log.warning("heartbeat not written: %s", type(exc).__name__)


def schedule(job_queue: JobQueue[Any], deps: Deps) -> None:
    """Beat now and every minute (a fixed name: a restart replaces the job)."""

    async def job(_context: ContextTypes.DEFAULT_TYPE) -> None:
        await beat(deps)

    for name in (JOB_NAME, AT_START):
        for old in job_queue.get_jobs_by_name(name):
            old.schedule_removal()
    # A repeating job's first run at 0 would be in the past once the scheduler starts,
    # and APScheduler would wait a whole interval: the first beat is a job of its own.
    job_queue.run_once(job, when=0, name=AT_START)
    job_queue.run_repeating(job, interval=BEAT_EVERY, first=BEAT_EVERY, name=JOB_NAME)
