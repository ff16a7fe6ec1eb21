"""Wakes the outbox dispatcher: at the next due time, on a regular sweep, when poked.

APScheduler (through python-telegram-bot's JobQueue) holds only these wake-ups, under
fixed names; what must be sent lives in the database, so nothing is lost on a restart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Iterable
from datetime import datetime
from typing import Any, Protocol

from bot.outbox.dispatcher import Dispatcher

log = logging.getLogger(__name__)

SWEEP = "outbox-sweep"
BATCH = 50
WAKE = "outbox-wake"
# Run late rather than never when the loop was busy; merge wake-ups that piled up.
JOB_KWARGS: dict[str, Any] = {"misfire_grace_time": None, "coalesce": True}

JobCallback = Callable[[Any], Coroutine[Any, Any, None]]


class ScheduledJob(Protocol):
    def schedule_removal(self) -> None: ...


class Jobs(Protocol):
    """The part of python-telegram-bot's ``JobQueue`` used here (it runs the jobs in the
    application, so their errors reach its error handler)."""

    def run_repeating(
        self,
        callback: JobCallback,
        interval: float,
        first: float,
        *,
        name: str,
        job_kwargs: dict[str, Any],
    ) -> object: ...

    def run_once(
        self,
        callback: JobCallback,
        when: float | datetime,
        *,
        name: str,
        job_kwargs: dict[str, Any],
    ) -> object: ...

    def get_jobs_by_name(self, name: str) -> Iterable[ScheduledJob]: ...


class OutboxScheduler:
    def __init__(self, job_queue: Jobs, dispatcher: Dispatcher, sweep_seconds: float) -> None:
        self._jobs = job_queue
        self._dispatcher = dispatcher
        self._sweep_seconds = sweep_seconds

    def start(self) -> None:
        """The first sweep runs at once: after downtime, what is overdue goes out now."""
        self._jobs.run_repeating(
            self._sweep, interval=self._sweep_seconds, first=0, name=SWEEP, job_kwargs=JOB_KWARGS
        )

    def poke(self) -> None:
        """Something was queued: look now."""
        self._wake_at(None)

    def _wake_at(self, when: datetime | None) -> None:
        for job in self._jobs.get_jobs_by_name(WAKE):
            job.schedule_removal()
        self._jobs.run_once(self._run, when=when or 0, name=WAKE, job_kwargs=JOB_KWARGS)

    async def _sweep(self, context: object) -> None:
        await self._dispatcher.sweep()
        if not self._dispatcher.busy:  # a run in progress carries on by itself
            await self._run(context)

    async def _run(self, context: object) -> None:
        # In batches, so a shutdown waits for one batch, not for a whole announcement.
        tally = await self._dispatcher.run(limit=BATCH)
        if tally.sent or tally.failed or tally.blocked:
            log.info(
                "outbox: %d sent, %d failed, %d to people who blocked the bot, %d to retry",
                tally.sent,
                tally.failed,
                tally.blocked,
                tally.retried,
            )
        next_wake = await self._dispatcher.next_wake()
        if next_wake is not None:
            self._wake_at(next_wake)
