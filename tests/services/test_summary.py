"""The staff's morning summary against a real database: who gets it, once a day, and what."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot import morning_summary
from bot.config import Config, StaffConfig
from bot.deps import Deps
from bot.domain.status import NotificationKind
from bot.i18n import Catalogs
from bot.services import event_admin, registration, summary
from bot.services.event_admin import Changes
from storage import phone_registrants, staff
from storage.database import Database
from storage.models import Event, Notification, Person
from tests.conftest import REMINDERS
from tests.factories import LIBRARIAN, make_event, make_person

KYIV = ZoneInfo("Europe/Kyiv")
# 08:00 in Kyiv on 10 March 2026 (UTC+2).
MORNING = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
TODAY = MORNING.astimezone(KYIV).date()
MEMBER, FORMER, QUIET = 801, 802, 803


async def choose(db: Database, telegram_id: int, *, on: bool) -> None:
    async with db.transaction() as session:
        await summary.choose(session, telegram_id, on=on, now=MORNING)


async def queue(db: Database, now: datetime = MORNING) -> int:
    async with db.transaction() as session:
        return await summary.queue(session, day=TODAY, tz=KYIV, admins=(LIBRARIAN,), now=now)


async def summaries(db: Database) -> list[tuple[int | None, str]]:
    async with db.session() as session:
        rows = await session.execute(
            select(Person.telegram_id, Notification.variant)
            .join(Person, Person.id == Notification.person_id)
            .where(Notification.kind == NotificationKind.SUMMARY)
            .order_by(Person.telegram_id)
        )
        return [(telegram_id, variant) for telegram_id, variant in rows.all()]


async def staff_who_want_it(db: Database) -> None:
    """The administrator and a member want it; a former member and a quiet member do not
    get it (one no longer staff, the other never asked)."""
    async with db.transaction() as session:
        for telegram_id in (MEMBER, QUIET):
            await staff.add_member(
                session, telegram_id=telegram_id, name="x", added_by=LIBRARIAN, now=MORNING
            )
    for telegram_id in (LIBRARIAN, MEMBER, FORMER):
        await choose(db, telegram_id, on=True)


async def test_choosing_makes_a_person_row_for_staff_and_is_remembered(db: Database) -> None:
    async with db.session() as session:
        assert not await summary.wanted(session, LIBRARIAN)
    await choose(db, LIBRARIAN, on=True)
    async with db.session() as session:
        assert await summary.wanted(session, LIBRARIAN)
    await choose(db, LIBRARIAN, on=False)
    async with db.session() as session:
        assert not await summary.wanted(session, LIBRARIAN)


async def test_queued_once_a_day_for_staff_who_want_it(db: Database) -> None:
    await staff_who_want_it(db)
    await make_event(db, now=MORNING, starts_in=timedelta(hours=6))
    assert await queue(db) == 2
    assert await summaries(db) == [(LIBRARIAN, TODAY.isoformat()), (MEMBER, TODAY.isoformat())]
    # A restart at 08:05, after an earlier event was added: the day's first event is another
    # one now, yet nobody gets a second summary.
    await make_event(db, now=MORNING, starts_in=timedelta(hours=1))
    assert await queue(db, MORNING + timedelta(minutes=5)) == 0
    assert len(await summaries(db)) == 2


async def test_the_day_before_an_event_too_but_not_on_a_day_without_events(
    db: Database,
) -> None:
    await staff_who_want_it(db)
    await make_event(db, now=MORNING, starts_in=timedelta(days=3))
    await make_event(db, now=MORNING, starts_in=timedelta(hours=6), status="draft")
    assert await queue(db) == 0
    assert await summaries(db) == []
    await make_event(db, now=MORNING, starts_in=timedelta(days=1))  # tomorrow
    assert await queue(db) == 2


async def test_a_summary_counts_the_days_events_and_lists_whom_to_call_tomorrow(
    db: Database,
) -> None:
    today = await make_event(db, now=MORNING, starts_in=timedelta(hours=6), capacity=1)
    tomorrow = await make_event(
        db, now=MORNING, starts_in=timedelta(days=1), capacity=2, title="Завтрашній"
    )
    await make_event(db, now=MORNING, starts_in=timedelta(days=2), title="Післязавтра")
    resident = await make_person(db, 501, now=MORNING)
    async with db.transaction() as session:
        phoned = await phone_registrants.add_person(
            session,
            name="Марія Коваль",
            category="library_users",
            phone="+380501112233",
            added_by=LIBRARIAN,
            now=MORNING,
        )
        for event_id, person_id in (
            (today.id, resident.id),
            (today.id, phoned.id),
            (tomorrow.id, phoned.id),
        ):
            await registration.register(
                session,
                event_id=event_id,
                person_id=person_id,
                default_reminders=REMINDERS,
                now=MORNING,
            )
    async with db.session() as session:
        found = await summary.contents(session, day=TODAY, tz=KYIV)
    assert [d.figures.event.id for d in found.today] == [today.id]
    assert [d.figures.event.id for d in found.tomorrow] == [tomorrow.id]
    (first,) = found.today
    assert (first.figures.registered, first.figures.waiting, len(first.callers)) == (1, 1, 1)
    (second,) = found.tomorrow
    assert [(c.name, c.phone) for c in second.callers] == [("Марія Коваль", "+380501112233")]


async def test_the_job_queues_only_once_the_configured_time_has_come(
    db: Database, config: Config
) -> None:
    """The daily job and the run at start-up both call this: before 08:00 nothing, after
    it the day's summary, and a restart at 08:05 adds nothing."""
    configured = dataclasses.replace(config, staff=StaffConfig(admins=(LIBRARIAN,)))
    clock = [MORNING - timedelta(minutes=1)]
    deps = Deps(config=configured, db=db, catalogs=Catalogs(), clock=lambda: clock[0])
    await staff_who_want_it(db)
    await make_event(db, now=MORNING, starts_in=timedelta(hours=6))
    assert await morning_summary.queue_due(deps) == 0
    clock[0] = MORNING
    assert await morning_summary.queue_due(deps) == 2
    clock[0] = MORNING + timedelta(minutes=5)
    assert await morning_summary.queue_due(deps) == 0
    assert len(await summaries(db)) == 2


async def test_cancelling_or_moving_the_event_it_is_keyed_to_keeps_the_summary(
    db: Database,
) -> None:
    await staff_who_want_it(db)
    first = await make_event(db, now=MORNING, starts_in=timedelta(hours=2))
    await make_event(db, now=MORNING, starts_in=timedelta(hours=6))
    assert await queue(db) == 2
    async with db.transaction() as session:
        await event_admin.update_event(
            session,
            first.id,
            Changes(starts_at=MORNING + timedelta(hours=1)),
            default_reminders=REMINDERS,
            now=MORNING,
        )
        await event_admin.cancel_event(session, first.id, now=MORNING)
    async with db.session() as session:
        rows = (
            await session.execute(
                select(Notification.status, Notification.expires_at).where(
                    Notification.kind == NotificationKind.SUMMARY
                )
            )
        ).all()
    midnight = datetime(2026, 3, 11, tzinfo=KYIV)
    assert rows == [("pending", midnight), ("pending", midnight)]


async def calls(db: Database) -> list[tuple[int | None, int, str]]:
    async with db.session() as session:
        rows = await session.execute(
            select(Person.telegram_id, Notification.event_id, Notification.variant)
            .join(Person, Person.id == Notification.person_id)
            .where(Notification.kind == NotificationKind.CALLS)
            .order_by(Person.telegram_id, Notification.event_id)
        )
        return [(telegram_id, event_id, variant) for telegram_id, event_id, variant in rows.all()]


async def test_the_day_before_whoever_wrote_people_down_gets_the_call_list_once(
    db: Database,
) -> None:
    """The administrator (no summary) and a quiet member wrote people down for tomorrow:
    each gets that event's call list; the member who gets the summary (it lists them) and
    a former member do not; nor for today's or the day after tomorrow's events."""
    await staff_who_want_it(db)
    today = await make_event(db, now=MORNING, starts_in=timedelta(hours=6))
    tomorrow = await make_event(db, now=MORNING, starts_in=timedelta(days=1), title="Завтра")
    later = await make_event(db, now=MORNING, starts_in=timedelta(days=2), title="Пізніше")
    await choose(db, LIBRARIAN, on=False)
    async with db.transaction() as session:
        for i, (writer, event_id) in enumerate(
            [
                (LIBRARIAN, tomorrow.id),
                (LIBRARIAN, tomorrow.id),
                (QUIET, tomorrow.id),
                (MEMBER, tomorrow.id),
                (FORMER, tomorrow.id),
                (QUIET, today.id),
                (QUIET, later.id),
            ]
        ):
            phoned = await phone_registrants.add_person(
                session,
                name=f"Людина {i}",
                category="library_users",
                phone=None,
                added_by=writer,
                now=MORNING,
            )
            await registration.register(
                session,
                event_id=event_id,
                person_id=phoned.id,
                default_reminders=REMINDERS,
                now=MORNING,
            )

    async def queue_calls() -> int:
        async with db.transaction() as session:
            return await summary.queue_calls(
                session, day=TODAY, tz=KYIV, admins=(LIBRARIAN,), now=MORNING
            )

    assert await queue_calls() == 2
    assert await queue_calls() == 0  # a restart: nothing twice
    variant = TODAY.isoformat()
    assert await calls(db) == [(LIBRARIAN, tomorrow.id, variant), (QUIET, tomorrow.id, variant)]


async def test_at_start_up_the_summary_is_queued_only_in_the_morning(
    db: Database, config: Config
) -> None:
    """A restart at 23:30 sends no "good morning"; the daily job (run late after a pause)
    still does."""
    configured = dataclasses.replace(config, staff=StaffConfig(admins=(LIBRARIAN,)))
    late = MORNING + timedelta(hours=15, minutes=30)  # 23:30 in Kyiv
    clock = [late]
    deps = Deps(config=configured, db=db, catalogs=Catalogs(), clock=lambda: clock[0])
    await staff_who_want_it(db)
    await make_event(db, now=MORNING, starts_in=timedelta(days=1))
    assert await morning_summary.queue_due(deps, at_start=True) == 0
    clock[0] = MORNING + timedelta(hours=4)  # 12:00
    assert await morning_summary.queue_due(deps, at_start=True) == 0
    clock[0] = MORNING + timedelta(hours=3, minutes=59)  # 11:59
    assert await morning_summary.queue_due(deps, at_start=True) == 2
    assert len(await summaries(db)) == 2


def test_a_summary_set_after_noon_may_still_be_queued_at_start_up_for_an_hour() -> None:
    assert morning_summary.start_until(time(8, 0)) == time(12, 0)
    assert morning_summary.start_until(time(14, 30)) == time(15, 30)
    assert morning_summary.start_until(time(23, 30)) == time.max


async def test_branch_staff_hear_only_of_their_branchs_events(db: Database) -> None:
    """A branch's staff get the summary only on days their branch has events, and it
    counts only those; the administrator and staff of the whole library get every event."""
    async with db.transaction() as session:
        await staff.add_member(
            session,
            telegram_id=MEMBER,
            name="x",
            added_by=LIBRARIAN,
            now=MORNING,
            branch="verbivka",
        )
        await staff.add_member(
            session, telegram_id=QUIET, name="y", added_by=LIBRARIAN, now=MORNING
        )
    for telegram_id in (LIBRARIAN, MEMBER, QUIET):
        await choose(db, telegram_id, on=True)
    central = await make_event(db, now=MORNING, starts_in=timedelta(hours=6), title="Центр")
    async with db.transaction() as session:
        (await session.get_one(Event, central.id)).branch_key = "central"
    assert await queue(db) == 2
    assert [t for t, _ in await summaries(db)] == [LIBRARIAN, QUIET]

    village = await make_event(db, now=MORNING, starts_in=timedelta(days=1), title="Вербівка")
    async with db.transaction() as session:
        (await session.get_one(Event, village.id)).branch_key = "verbivka"
    assert await queue(db) == 1
    assert [t for t, _ in await summaries(db)] == [LIBRARIAN, MEMBER, QUIET]
    async with db.session() as session:
        assert await summary.branch_of(session, MEMBER, admins=(LIBRARIAN,)) == "verbivka"
        assert await summary.branch_of(session, QUIET, admins=(LIBRARIAN,)) is None
        mine = await summary.contents(session, day=TODAY, tz=KYIV, branch="verbivka")
        everything = await summary.contents(session, day=TODAY, tz=KYIV)
    assert (mine.today, [d.figures.event.id for d in mine.tomorrow]) == ([], [village.id])
    assert [d.figures.event.id for d in everything.today] == [central.id]
    assert [d.figures.event.id for d in everything.tomorrow] == [village.id]
