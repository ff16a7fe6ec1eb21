"""Delivering the outbox: once, in order, within the messenger's limits.

The scheduler only wakes this up; what is due comes from the database. Each message is
claimed by one conditional UPDATE, sent, and marked; a few are in flight at once, never two
to the same person. A crash can repeat the one message
in flight; so can a timeout after Telegram accepted a message (it is retried as a
network error). Two processes never send the same claimed message.

A claim names its process (see ``bot.outbox.identity``): a process starting again under
the same instance name gives back its predecessor's claims at its first sweep, so a
message in flight at a crash goes out seconds after the restart, not after the lease. While
a message is being sent (waiting out the messenger's "retry after", say) its claim is
renewed, so no other process takes it over.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.deps import Deps
from bot.domain.quiet import Hold, delivery
from bot.domain.status import NotificationKind, NotificationStatus
from bot.outbox.identity import Claimant
from bot.outbox.pacing import ChatPacer
from bot.outbox.sender import (
    NotWantedError,
    Outgoing,
    RateLimitedError,
    RecipientBlockedError,
    RefusedError,
    Sender,
    TransientError,
)
from storage import notifications, people

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
LANES = 4
"""Messages in flight at once, each to a different person. Telegram is tens to hundreds of
milliseconds away: one at a time, a process sends 5-10 a second, not the 30 it may."""


@dataclass
class Tally:
    sent: int = 0
    failed: int = 0
    blocked: int = 0
    retried: int = 0
    dropped: int = 0
    held: int = 0  # quiet hours: put off until the morning

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.blocked + self.retried + self.dropped + self.held

    def add(self, other: Tally) -> None:
        self.sent += other.sent
        self.failed += other.failed
        self.blocked += other.blocked
        self.retried += other.retried
        self.dropped += other.dropped
        self.held += other.held


async def record(
    session: AsyncSession,
    notification_id: int,
    *,
    person_id: int,
    worker: str,
    status: NotificationStatus | None,
    retry_at: datetime | None,
    now: datetime,
) -> None:
    """What came of a send: ``status`` (None: the message goes back in line, to be tried
    again at ``retry_at`` or at once). Someone who blocked the bot is marked so first:
    the person's row before the message's, the order of every use case that changes what
    is a person's (storage.people.get), else a /forget at that moment and this could
    each wait for the other."""
    if status == NotificationStatus.BLOCKED:
        await people.mark_unreachable(session, person_id, now=now)
    if status is None:
        await notifications.release(session, notification_id, worker=worker, retry_at=retry_at)
    else:
        await notifications.finish(session, notification_id, worker=worker, status=status, now=now)


def backoff(attempt: int) -> timedelta:
    """5 s, 10 s, 20 s ... up to 10 minutes between tries of a failing message."""
    return timedelta(seconds=min(5 * 2 ** max(attempt - 1, 0), 600))


@dataclass
class Dispatcher:
    deps: Deps
    sender: Sender
    claimant: Claimant | None = None
    # How often a claim being sent is renewed; None: three times per lease.
    renew_seconds: float | None = None
    # After the messenger's "retry after": nothing is sent before this moment.
    paused_until: datetime | None = None
    lanes: int = LANES
    _pacer: ChatPacer = field(default_factory=ChatPacer)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # Lanes claim one after another, so each claim sees the others' messages in flight.
    _claiming: asyncio.Lock = field(default_factory=asyncio.Lock)
    _recovered: bool = False

    def __post_init__(self) -> None:
        if self.claimant is None:
            self.claimant = Claimant.this_process(self.deps.config.reminders.instance)

    @property
    def worker(self) -> str:
        return str(self.claimant)

    @property
    def busy(self) -> bool:
        return self._lock.locked()

    async def sweep(self) -> None:
        """Drop what may no longer be sent: after downtime, notices of events that have begun."""
        now = self.deps.now()
        lease = self.deps.config.reminders.claim_lease
        if not self._recovered:
            await self.release_predecessors()
        async with self.deps.db.transaction() as session:
            expired = await notifications.drop_expired(session, now=now, lease=lease)
            superseded = await notifications.drop_superseded_reminders(session, now=now)
        if expired:
            log.warning("dropped %d notification(s) whose event had already begun", expired)
        if superseded:
            log.info("dropped %d overdue reminder(s) superseded by a later one", superseded)

    async def release_predecessors(self) -> int:
        """Give back what an earlier process of this instance was sending when it stopped."""
        me = self.claimant
        assert me is not None
        async with self.deps.db.transaction() as session:
            held = await notifications.claimants(session, prefix=me.prefix)
            dead = [w for w in held if (c := Claimant.parse(w)) and me.is_predecessor(c)]
            released = await notifications.release_claims_of(session, dead)
        self._recovered = True
        if released:
            log.warning("%d message(s) a previous run was sending will be sent again", released)
        return released

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
            claims = 0
            paused = False

            async def lane() -> None:
                # Each lane claims the next message whose person has none in flight (see
                # ``notifications.claim_next``), so one chat still gets its messages in order.
                nonlocal claims, paused
                while not paused and (limit is None or claims < limit):
                    claims += 1
                    claimed = await self._claim(event_id, kind)
                    if claimed is None:
                        return
                    item = await self._in_quiet_hours(claimed)
                    if item is None:
                        tally.held += 1
                        continue
                    result, pause = await self._deliver(item)
                    tally.add(result)
                    if pause:
                        paused = True  # the messenger asked everyone to wait: keep the order

            async with asyncio.TaskGroup() as lanes:
                for _ in range(max(1, self.lanes)):
                    lanes.create_task(lane())
        return tally

    async def next_wake(self) -> datetime | None:
        """When there is next something to send (or the pause ends)."""
        async with self.deps.db.session() as session:
            due = await notifications.next_due(session, now=self.deps.now())
        if due is not None and self.paused_until is not None:
            return max(due, self.paused_until)
        return due

    async def _claim(self, event_id: int | None, kind: NotificationKind | None) -> Outgoing | None:
        async with self._claiming, self.deps.db.transaction() as session:
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
            event, person = await notifications.with_context(session, claimed)
            return Outgoing(notification=claimed, event=event, person=person)

    async def _in_quiet_hours(self, item: Outgoing) -> Outgoing | None:
        """The message to send now (silent at night), or None: given back for the morning."""
        library = self.deps.config.library
        plan = delivery(
            NotificationKind(item.notification.kind),
            now=self.deps.now(),
            event_starts_at=item.event.starts_at,
            quiet=library.quiet_hours,
            tz=library.timezone,
        )
        if isinstance(plan, Hold):
            async with self.deps.db.transaction() as session:
                await notifications.release(
                    session,
                    item.notification.id,
                    worker=self.worker,
                    retry_at=plan.until,
                    tried=False,
                )
            return None
        return replace(item, silent=plan.silent)

    async def _deliver(self, item: Outgoing) -> tuple[Tally, bool]:
        """Send one claimed notification; True as the second value asks the caller to pause."""
        notification = item.notification
        tally = Tally()
        pause = False
        status: NotificationStatus | None = NotificationStatus.SENT
        retry_at: datetime | None = None
        try:
            if notification.attempts > MAX_ATTEMPTS:
                raise _GaveUpError
            await self._send(item)
            tally.sent += 1
        except RecipientBlockedError:
            status = NotificationStatus.BLOCKED
            tally.blocked += 1
        except NotWantedError:
            status = NotificationStatus.DROPPED
            tally.dropped += 1
        except RateLimitedError as exc:
            # Give the message back in its place in line, and pause as the messenger asks.
            self.paused_until = self.deps.now() + exc.retry_after
            status, pause = None, True
            tally.retried += 1
        except RefusedError as exc:
            log.error("notification %s refused by Telegram: %s", notification.id, exc)
            status = NotificationStatus.FAILED
            tally.failed += 1
        except TransientError as exc:
            log.warning("notification %s: network error: %s", notification.id, exc)
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
        async with self.deps.db.transaction() as session:
            await record(
                session,
                notification.id,
                person_id=item.person.id,
                worker=self.worker,
                status=status,
                retry_at=retry_at,
                now=self.deps.now(),
            )
        return tally, pause

    async def _send(self, item: Outgoing) -> None:
        sent = asyncio.Event()
        renewing = asyncio.create_task(self._renew(item.notification.id, sent))
        try:
            await self._pacer.wait(item.chat_id)
            try:
                await self.sender.send(item)
            finally:
                self._pacer.sent(item.chat_id)
        finally:
            # Told to stop, not cancelled: a renewal cancelled in the middle of its BEGIN
            # could leave SQLite's write lock taken on a pooled connection.
            sent.set()
            await asyncio.gather(renewing, return_exceptions=True)

    async def _renew(self, notification_id: int, sent: asyncio.Event) -> None:
        """Keep the claim alive for as long as the message takes to send."""
        every = self.renew_seconds
        if every is None:
            every = self.deps.config.reminders.claim_lease.total_seconds() / 3
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(sent.wait(), every)
            if sent.is_set():
                return
            try:
                async with self.deps.db.transaction() as session:
                    await notifications.renew(
                        session, notification_id, worker=self.worker, now=self.deps.now()
                    )
            except Exception:  # the database away for a moment: try again next time
                log.warning("could not renew the claim on notification %s", notification_id)


class _GaveUpError(Exception):
    """Tried too many times (or crashed while trying too many times)."""
