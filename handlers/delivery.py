"""Delivering the outbox through Telegram: once, in order, within Telegram's limits.

The scheduler only wakes this up; what is due comes from the database. Each message is
claimed by one conditional UPDATE, sent, and marked. A crash can repeat the one message
in flight; so can a timeout after Telegram accepted a message (it is retried as a
network error). Two processes never send the same claimed message.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import ExtBot

from bot.deps import Deps
from bot.domain.status import NotificationKind, NotificationStatus
from handlers import keyboards, render
from storage import notifications, people
from storage.models import Event, Notification, Person

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
PER_CHAT_INTERVAL = 1.05  # Telegram allows about one message a second to one chat
# The rate limiter may wait out one 429 by itself; a second one comes back to us, so a
# single send stays well inside the claim lease.
LIMITER_RETRIES = 1


@dataclass
class Tally:
    sent: int = 0
    failed: int = 0
    blocked: int = 0
    retried: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.blocked + self.retried

    def add(self, other: Tally) -> None:
        self.sent += other.sent
        self.failed += other.failed
        self.blocked += other.blocked
        self.retried += other.retried


def backoff(attempt: int) -> timedelta:
    """5 s, 10 s, 20 s ... up to 10 minutes between tries of a failing message."""
    return timedelta(seconds=min(5 * 2 ** max(attempt - 1, 0), 600))


@dataclass
class Dispatcher:
    deps: Deps
    bot: ExtBot[Any]
    worker: str = field(default_factory=lambda: uuid.uuid4().hex)
    # After Telegram's "retry after": nothing is sent before this moment.
    paused_until: datetime | None = None
    _last_sent: dict[int, float] = field(default_factory=dict)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def busy(self) -> bool:
        return self._lock.locked()

    async def sweep(self) -> None:
        """Drop what may no longer be sent: after downtime, notices of events that have begun."""
        now = self.deps.now()
        lease = self.deps.config.reminders.claim_lease
        async with self.deps.db.transaction() as session:
            expired = await notifications.drop_expired(session, now=now, lease=lease)
            superseded = await notifications.drop_superseded_reminders(session, now=now)
        if expired:
            log.warning("dropped %d notification(s) whose event had already begun", expired)
        if superseded:
            log.info("dropped %d overdue reminder(s) superseded by a later one", superseded)

    async def run(
        self,
        limit: int | None = None,
        *,
        event_id: int | None = None,
        kind: NotificationKind | None = None,
    ) -> Tally:
        """Send what is due now (at most ``limit``, optionally of one event and kind)."""
        tally = Tally()
        async with self._lock:
            if self.paused_until is not None and self.deps.now() < self.paused_until:
                return tally
            self.paused_until = None
            while limit is None or tally.handled < limit:
                claimed = await self._claim(event_id, kind)
                if claimed is None:
                    break
                result, pause = await self._deliver(*claimed)
                tally.add(result)
                if pause:
                    break  # Telegram asked everyone to wait: stop here and keep the order
        return tally

    async def next_wake(self) -> datetime | None:
        """When there is next something to send (or the pause ends)."""
        async with self.deps.db.session() as session:
            due = await notifications.next_due(session, now=self.deps.now())
        if due is not None and self.paused_until is not None:
            return max(due, self.paused_until)
        return due

    async def _claim(
        self, event_id: int | None, kind: NotificationKind | None
    ) -> tuple[Notification, Event, Person] | None:
        async with self.deps.db.transaction() as session:
            claimed = await notifications.claim_next(
                session,
                now=self.deps.now(),
                worker=self.worker,
                lease=self.deps.config.reminders.claim_lease,
                event_id=event_id,
                kind=kind,
            )
            if claimed is None:
                return None
            return (claimed, *await notifications.with_context(session, claimed))

    async def _deliver(
        self, notification: Notification, event: Event, person: Person
    ) -> tuple[Tally, bool]:
        """Send one claimed notification; True as the second value asks the caller to pause."""
        tally = Tally()
        pause = False
        status: NotificationStatus | None = NotificationStatus.SENT
        retry_at: datetime | None = None
        try:
            if notification.attempts > MAX_ATTEMPTS:
                raise _GaveUpError
            await self._send(notification, event, person)
            tally.sent += 1
        except Forbidden:
            status = NotificationStatus.BLOCKED
            tally.blocked += 1
        except RetryAfter as exc:
            # Give the message back in its place in line, and pause as Telegram asks.
            self.paused_until = self.deps.now() + _seconds(exc.retry_after)
            status, pause = None, True
            tally.retried += 1
        except BadRequest as exc:
            log.error("notification %s refused by Telegram: %s", notification.id, exc.message)
            status = NotificationStatus.FAILED
            tally.failed += 1
        except NetworkError as exc:
            log.warning("notification %s: network error: %s", notification.id, exc.message)
            status, retry_at = None, self.deps.now() + backoff(notification.attempts)
            tally.retried += 1
        except _GaveUpError:
            log.error("notification %s failed %d times; giving up", notification.id, MAX_ATTEMPTS)
            status = NotificationStatus.FAILED
            tally.failed += 1
        except Exception:
            # A bug must not stop the others; the message is marked failed, not retried.
            log.exception("notification %s could not be sent", notification.id)
            status = NotificationStatus.FAILED
            tally.failed += 1
        now = self.deps.now()
        async with self.deps.db.transaction() as session:
            if status is None:
                await notifications.release(
                    session, notification.id, worker=self.worker, retry_at=retry_at
                )
            else:
                await notifications.finish(
                    session, notification.id, worker=self.worker, status=status, now=now
                )
            if status == NotificationStatus.BLOCKED:
                await people.mark_unreachable(session, person.id, now=now)
        return tally, pause

    async def _send(self, notification: Notification, event: Event, person: Person) -> None:
        assert person.telegram_id is not None
        text, markup = self._render(notification, event, person)
        await self._pace(person.telegram_id)
        try:
            await self.bot.send_message(
                person.telegram_id,
                text,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                rate_limit_args=LIMITER_RETRIES,
            )
        finally:
            self._last_sent[person.telegram_id] = time.monotonic()

    async def _pace(self, chat_id: int) -> None:
        """At most one message a second to one chat (the rate limiter paces the total)."""
        now = time.monotonic()
        last = self._last_sent.get(chat_id)
        if last is not None and now - last < PER_CHAT_INTERVAL:
            await asyncio.sleep(PER_CHAT_INTERVAL - (now - last))
        if len(self._last_sent) > 10_000:
            cutoff = time.monotonic() - PER_CHAT_INTERVAL
            self._last_sent = {k: v for k, v in self._last_sent.items() if v > cutoff}

    def _render(
        self, notification: Notification, event: Event, person: Person
    ) -> tuple[str, InlineKeyboardMarkup | None]:
        config = self.deps.config
        tr = self.deps.catalogs.get(person.language)
        kind = notification.kind
        if kind == NotificationKind.REMINDER:
            return render.reminder(config, tr, event), keyboards.reminder(tr, event.id)
        if kind == NotificationKind.PROMOTED:
            return render.promoted(config, tr, event), None
        if kind == NotificationKind.CHANGED:
            return render.changed(config, tr, event, json.loads(notification.payload)), None
        if kind == NotificationKind.CANCELLED:
            return render.event_cancelled(config, tr, event), None
        return render.announcement(config, tr, event), keyboards.announcement(tr, event.id)


class _GaveUpError(Exception):
    """Tried too many times (or crashed while trying too many times)."""


def _seconds(value: int | timedelta) -> timedelta:
    return value if isinstance(value, timedelta) else timedelta(seconds=value)
