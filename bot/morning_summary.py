"""Queues the staff's morning summary at the configured time, once a day, and the call
lists of tomorrow's events for the staff who wrote people down but get no summary.

A daily job at ``staff.morning_summary_at`` (the library's time), and one run at start-up,
so a bot that was down at that time still sends the day's summary: only before noon
(``START_UNTIL``), so a restart late in the day sends no "good morning". Both only queue in
the outbox, which keeps one summary per staff member and day: a restart at 08:05 sends
nothing twice.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from typing import Any

from telegram.ext import ContextTypes, JobQueue

from bot.deps import Deps
from bot.services import summary

log = logging.getLogger(__name__)

JOB_NAME = "morning-summary"
AT_START = "morning-summary-at-start"
# A start-up later than this (the library's time) queues nothing for the day: the morning
# is over, and the daily job sends the next one.
START_UNTIL = time(12, 0)


def start_until(at: time) -> time:
    """Until when a start-up still queues the day's summary: noon, or an hour after a
    summary time set at noon or later."""
    if at < START_UNTIL:
        return START_UNTIL
    day = date(2000, 1, 1)
    later = datetime.combine(day, at) + timedelta(hours=1)
    return later.time() if later.date() == day else time.max


async def queue_due(deps: Deps, *, at_start: bool = False) -> int:
    """Queue today's summary and call lists if their time has come (at start-up: and the
    morning is not over); returns how many were queued."""
    now = deps.now()
    tz = deps.config.library.timezone
    local = now.astimezone(tz)
    if local.time() < deps.config.staff.morning_summary_at:
        return 0
    if at_start and local.time() >= start_until(deps.config.staff.morning_summary_at):
        return 0
    admins = deps.config.staff.admins
    queued = await deps.write(
        summary.queue,
        day=local.date(),
        tz=tz,
        admins=admins,
        now=now,
        branched=bool(deps.config.branches),
    )
    calls = await deps.write(summary.queue_calls, day=local.date(), tz=tz, admins=admins, now=now)
    if queued or calls:
        log.info("queued %d morning summar(ies), %d call list(s)", queued, calls)
    return queued + calls


def schedule(job_queue: JobQueue[Any], deps: Deps) -> None:
    """Every day at the configured time, and now (fixed names: a restart replaces the jobs)."""

    async def job(_context: ContextTypes.DEFAULT_TYPE) -> None:
        await queue_due(deps)

    async def at_start(_context: ContextTypes.DEFAULT_TYPE) -> None:
        await queue_due(deps, at_start=True)

    for name in (JOB_NAME, AT_START):
        for old in job_queue.get_jobs_by_name(name):
            old.schedule_removal()
    at = deps.config.staff.morning_summary_at.replace(tzinfo=deps.config.library.timezone)
    job_queue.run_daily(job, time=at, name=JOB_NAME, job_kwargs={"misfire_grace_time": 3600})
    job_queue.run_once(at_start, when=timedelta(seconds=1), name=AT_START)
