"""Claims that name their process: a restart sends at once what its predecessor was
sending; another live process's claim is left alone, and kept alive while it sends."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from telegram.ext import AIORateLimiter, ExtBot

from bot.config import Config
from bot.deps import Deps
from bot.domain.status import NotificationKind, NotificationStatus
from bot.i18n import Catalogs
from bot.outbox.dispatcher import Dispatcher
from bot.outbox.identity import Claimant
from bot.sending import outbox_sender
from emulator import BotApiEmulator, SimUser
from storage.database import Database
from storage.models import Notification
from tests.factories import make_event, make_person, queue
from tests.waiting import until

LEASE = timedelta(minutes=5)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def bot(emu: BotApiEmulator) -> AsyncIterator[ExtBot[None]]:
    async with ExtBot(
        emu.token, base_url=emu.base_url, rate_limiter=AIORateLimiter(max_retries=3)
    ) as b:  # type: ignore[arg-type]
        yield b


def with_instance(config: Config, instance: str) -> Config:
    return replace(
        config, reminders=replace(config.reminders, instance=instance, claim_lease=LEASE)
    )


def dispatcher(
    config: Config, db: Database, bot: ExtBot[None], clock: Clock, **kw: object
) -> Dispatcher:
    deps = Deps(config=config, db=db, catalogs=Catalogs(), clock=clock)
    return Dispatcher(deps, outbox_sender(bot, deps), **kw)  # type: ignore[arg-type]


def dead_pid() -> int:
    """The id of a process that has ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


async def one_claimed(
    db: Database, emu: BotApiEmulator, now: datetime, claimed_by: str
) -> tuple[SimUser, int]:
    """A message claimed at ``now`` by ``claimed_by``, in the middle of being sent."""
    user = emu.add_user(first_name="Леся")
    await user.send_command("/start")
    event = await make_event(db, now=now, starts_in=timedelta(minutes=20))
    person = await make_person(db, user.user_id, now=now)
    await queue(db, events=[event], person_id=person.id, kind=NotificationKind.REMINDER, due=now)
    async with db.transaction() as session:
        row = (await session.execute(select(Notification))).scalar_one()
        await session.execute(
            update(Notification)
            .where(Notification.id == row.id)
            .values(
                status=NotificationStatus.SENDING, claimed_by=claimed_by, claimed_at=now, attempts=1
            )
        )
    return user, row.id


async def row(db: Database) -> Notification:
    async with db.session() as session:
        return (await session.execute(select(Notification))).scalar_one()


async def test_a_message_a_dead_predecessor_was_sending_goes_out_at_the_restart(
    config: Config, db: Database, emu: BotApiEmulator, bot: ExtBot[None]
) -> None:
    config = with_instance(config, "library-bot")
    crashed_at = datetime.now(UTC)
    me = Claimant.this_process("library-bot")
    predecessor = replace(me, pid=dead_pid(), start="0dead0ff")
    user, _ = await one_claimed(db, emu, crashed_at, str(predecessor))
    clock = Clock(crashed_at + timedelta(seconds=5))  # the service is back five seconds later
    d = dispatcher(config, db, bot, clock, claimant=me)
    await d.sweep()
    tally = await d.run()
    assert tally.sent == 1
    assert (await user.next_reply()).text
    sent = await row(db)
    assert (sent.status, sent.attempts, sent.claimed_by) == ("sent", 2, str(me))


async def test_a_container_restarted_with_the_same_pid_is_its_own_predecessor(
    config: Config, db: Database, emu: BotApiEmulator, bot: ExtBot[None]
) -> None:
    config = with_instance(config, "library-bot")
    crashed_at = datetime.now(UTC)
    me = Claimant.this_process("library-bot")
    user, _ = await one_claimed(db, emu, crashed_at, str(replace(me, start="0dead0ff")))
    d = dispatcher(config, db, bot, Clock(crashed_at + timedelta(seconds=5)), claimant=me)
    await d.sweep()
    assert (await d.run()).sent == 1
    assert (await user.next_reply()).text


@pytest.mark.parametrize("who", ["another instance", "a live process of this instance"])
async def test_a_live_process_s_claim_is_left_alone_until_its_lease_ends(
    config: Config, db: Database, emu: BotApiEmulator, bot: ExtBot[None], who: str
) -> None:
    config = with_instance(config, "library-bot")
    claimed_at = datetime.now(UTC)
    me = Claimant.this_process("library-bot")
    if who == "another instance":
        other = Claimant.this_process("branch-library-bot")
    else:  # e.g. a cron job's ``outbox send`` on this machine, still running
        other = replace(me, pid=1 if me.pid != 1 else 2, start="1a11ve00")
    user, _ = await one_claimed(db, emu, claimed_at, str(other))
    clock = Clock(claimed_at + timedelta(seconds=5))
    d = dispatcher(config, db, bot, clock, claimant=me)
    await d.sweep()
    assert (await d.run()).sent == 0
    still = await row(db)
    assert (still.status, still.claimed_by) == ("sending", str(other))
    clock.now = claimed_at + LEASE + timedelta(seconds=1)
    await d.sweep()
    assert (await d.run()).sent == 1
    assert (await user.next_reply()).text


async def test_a_claim_is_renewed_while_its_message_waits_out_a_retry_after(
    config: Config, db: Database, emu: BotApiEmulator, bot: ExtBot[None]
) -> None:
    config = with_instance(config, "library-bot")
    start = datetime.now(UTC)
    user = emu.add_user(first_name="Леся")
    await user.send_command("/start")
    event = await make_event(db, now=start, starts_in=timedelta(hours=2))
    person = await make_person(db, user.user_id, now=start)
    await queue(db, events=[event], person_id=person.id, kind=NotificationKind.PROMOTED, due=start)
    sending = Clock(start)
    d = dispatcher(config, db, bot, sending, renew_seconds=0.02)
    emu.fail_next(1, status=429, retry_after=3, methods={"sendMessage"})
    run = asyncio.create_task(d.run())
    await until(lambda: _status(db, "sending"), what="the message is claimed")
    sending.now = start + LEASE * 0.9  # still waiting, near the end of the lease
    renewed_at = sending.now
    await until(lambda: _claimed_at(db, renewed_at), what="the claim is renewed")

    other = dispatcher(
        with_instance(config, "branch-library-bot"), db, bot, Clock(start + LEASE * 1.5)
    )
    assert (await other.run()).sent == 0  # past the first lease, but renewed: not taken over
    assert (await row(db)).claimed_by == d.worker
    tally = await run
    assert tally.sent == 1
    assert (await user.next_reply()).text
    assert len(user.messages) == 1  # once


async def _status(db: Database, status: str) -> bool:
    return (await row(db)).status == status


async def _claimed_at(db: Database, when: datetime) -> bool:
    claimed_at = (await row(db)).claimed_at
    return claimed_at is not None and claimed_at.replace(tzinfo=UTC) == when
