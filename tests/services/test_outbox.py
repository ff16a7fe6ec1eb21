"""The outbox against a real database: what is queued, claimed once, dropped."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.domain.interests import Interests, audience_key
from bot.domain.status import NotificationKind
from bot.services import announcements, event_admin, registration
from storage import notifications
from storage.database import Database
from storage.models import Event, Notification
from tests.conftest import REMINDERS
from tests.factories import make_event, make_person, queue

H = timedelta(hours=1)
LEASE = timedelta(seconds=60)
Kind = NotificationKind


async def queued(db: Database, **where: object) -> list[tuple[int, str, str, datetime]]:
    async with db.session() as session:
        stmt = select(
            Notification.person_id, Notification.kind, Notification.status, Notification.due_at
        )
        for column, value in where.items():
            stmt = stmt.where(getattr(Notification, column) == value)
        rows = await session.execute(stmt.order_by(Notification.due_at, Notification.id))
        return [tuple(r) for r in rows.all()]  # type: ignore[misc]


async def register(
    db: Database, event_id: int, person_id: int, now: datetime
) -> registration.Outcome:
    async with db.transaction() as session:
        return await registration.register(
            session, event_id=event_id, person_id=person_id, default_reminders=REMINDERS, now=now
        )


async def test_a_registration_queues_the_reminders_still_ahead(db: Database, now: datetime) -> None:
    event = await make_event(db, now=now, starts_in=3 * H)  # 24h has passed, 2h has not
    person = await make_person(db, 1, now=now)
    await register(db, event.id, person.id, now)
    assert await queued(db) == [(person.id, Kind.REMINDER, "pending", event.starts_at - 2 * H)]


async def test_per_event_offsets_override_the_default(db: Database, now: datetime) -> None:
    event = await make_event(db, now=now, starts_in=48 * H)
    async with db.transaction() as session:
        await event_admin.update_event(
            session,
            event.id,
            event_admin.Changes(reminders="18h, 1h"),
            default_reminders=REMINDERS,
            now=now,
        )
    person = await make_person(db, 1, now=now)
    await register(db, event.id, person.id, now)
    assert [due for *_, due in await queued(db)] == [event.starts_at - 18 * H, event.starts_at - H]


async def test_waiting_gets_no_reminders_until_promoted(db: Database, now: datetime) -> None:
    event = await make_event(db, now=now, starts_in=30 * H, capacity=1)
    first, second = await make_person(db, 1, now=now), await make_person(db, 2, now=now)
    await register(db, event.id, first.id, now)
    await register(db, event.id, second.id, now)
    assert {pid for pid, *_ in await queued(db)} == {first.id}

    later = now + 10 * H  # 20 hours before the start: only the 2h reminder is still ahead
    async with db.transaction() as session:
        await registration.cancel(
            session, event_id=event.id, person_id=first.id, default_reminders=REMINDERS, now=later
        )
    assert await queued(db, person_id=first.id) == [
        (first.id, Kind.REMINDER, "dropped", event.starts_at - 24 * H),
        (first.id, Kind.REMINDER, "dropped", event.starts_at - 2 * H),
    ]
    assert await queued(db, person_id=second.id) == [
        (second.id, Kind.PROMOTED, "pending", later),
        (second.id, Kind.REMINDER, "pending", event.starts_at - 2 * H),
    ]


async def test_concurrent_workers_claim_each_notification_once(db: Database, now: datetime) -> None:
    event = await make_event(db, now=now, starts_in=30 * H, capacity=None)
    people = [await make_person(db, 100 + i, now=now) for i in range(60)]
    async with db.transaction() as session:
        await notifications.enqueue(
            session,
            [
                {
                    "event_id": event.id,
                    "person_id": p.id,
                    "kind": Kind.ANNOUNCEMENT,
                    "due_at": now,
                    "created_at": now,
                }
                for p in people
            ],
        )
    claimed: dict[str, list[int]] = {}

    async def worker(name: str) -> None:
        claimed[name] = []
        while True:
            async with db.transaction() as session:
                row = await notifications.claim_next(session, now=now, worker=name, lease=LEASE)
            if row is None:
                return
            claimed[name].append(row.id)
            await asyncio.sleep(0)

    await asyncio.gather(*(worker(f"w{i}") for i in range(4)))
    every = [i for ids in claimed.values() for i in ids]
    assert len(every) == 60 and len(set(every)) == 60


async def test_a_claim_of_a_dead_worker_is_taken_over_after_the_lease(
    db: Database, now: datetime
) -> None:
    event = await make_event(db, now=now, starts_in=30 * H)
    person = await make_person(db, 1, now=now)
    await queue(db, events=[event], person_id=person.id, kind=Kind.PROMOTED, due=now)
    async with db.transaction() as session:
        first = await notifications.claim_next(session, now=now, worker="dead", lease=LEASE)
    assert first is not None
    async with db.transaction() as session:
        assert (
            await notifications.claim_next(
                session, now=now + LEASE / 2, worker="alive", lease=LEASE
            )
            is None
        )
    async with db.transaction() as session:
        again = await notifications.claim_next(
            session, now=now + LEASE * 2, worker="alive", lease=LEASE
        )
    assert again is not None and again.id == first.id and again.attempts == 2


async def test_unreachable_people_are_skipped_until_they_return(
    db: Database, now: datetime
) -> None:
    from storage import people

    event = await make_event(db, now=now, starts_in=30 * H)
    person = await make_person(db, 1, now=now)
    await queue(db, events=[event], person_id=person.id, kind=Kind.PROMOTED, due=now)
    async with db.transaction() as session:
        await people.mark_unreachable(session, person.id, now=now)
    async with db.transaction() as session:
        assert await notifications.claim_next(session, now=now, worker="w", lease=LEASE) is None
        assert await notifications.next_due(session, now=now) is None
    async with db.transaction() as session:
        assert await people.mark_reachable(session, 1)
    async with db.transaction() as session:
        assert await notifications.claim_next(session, now=now, worker="w", lease=LEASE) is not None


async def test_after_downtime_begun_events_are_dropped_and_only_the_latest_reminder_goes(
    db: Database, now: datetime
) -> None:
    soon = await make_event(db, now=now, starts_in=30 * H, title="Скоро")
    past = await make_event(db, now=now, starts_in=26 * H, title="Вже почався")
    person = await make_person(db, 1, now=now)
    await register(db, soon.id, person.id, now)
    await register(db, past.id, person.id, now)
    back_at = now + 29 * H  # the bot was down for 29 hours
    async with db.transaction() as session:
        expired = await notifications.drop_expired(session, now=back_at, lease=LEASE)
        superseded = await notifications.drop_superseded_reminders(session, now=back_at)
    assert (expired, superseded) == (2, 1)
    assert [(s, due) for _, _, s, due in await queued(db, event_id=soon.id)] == [
        ("dropped", soon.starts_at - 24 * H),
        ("pending", soon.starts_at - 2 * H),
    ]


async def test_moving_an_event_tells_registrants_and_moves_their_reminders(
    db: Database, now: datetime
) -> None:
    event = await make_event(db, now=now, starts_in=72 * H, capacity=1)
    a, b = await make_person(db, 1, now=now), await make_person(db, 2, now=now)
    await register(db, event.id, a.id, now)
    await register(db, event.id, b.id, now)  # waiting
    new_start = event.starts_at + 24 * H
    async with db.transaction() as session:
        result = await event_admin.update_event(
            session,
            event.id,
            event_admin.Changes(starts_at=new_start, place="Актова зала"),
            default_reminders=REMINDERS,
            now=now,
        )
    assert result.notified == 2
    rows = await queued(db)
    assert sorted((pid, kind, status) for pid, kind, status, _ in rows if kind == Kind.CHANGED) == [
        (a.id, Kind.CHANGED, "pending"),
        (b.id, Kind.CHANGED, "pending"),
    ]
    pending_reminders = [
        due for pid, kind, status, due in rows if kind == Kind.REMINDER and status == "pending"
    ]
    assert pending_reminders == [new_start - 24 * H, new_start - 2 * H]


async def test_what_is_on_its_way_about_a_moved_event_expires_at_the_new_start(
    db: Database, now: datetime
) -> None:
    later = await make_event(db, now=now, starts_in=3 * H, title="Пізніше")
    sooner = await make_event(db, now=now, starts_in=3 * H, title="Раніше")
    person = await make_person(db, 1, now=now)
    await queue(db, events=[later, sooner], person_id=person.id, kind=Kind.ANNOUNCEMENT, due=now)
    for event, moved_by in ((later, 24 * H), (sooner, -2 * H)):
        async with db.transaction() as session:
            await event_admin.update_event(
                session,
                event.id,
                event_admin.Changes(starts_at=event.starts_at + moved_by),
                default_reminders=REMINDERS,
                now=now,
            )
    async with db.transaction() as session:
        # After the old start, the event moved later still is worth announcing...
        claimed = await notifications.claim_next(
            session, now=now + 4 * H, worker="w", lease=LEASE, kind=Kind.ANNOUNCEMENT
        )
        assert claimed is not None and claimed.event_id == later.id
        # ...and the one moved sooner has begun: its announcement is not sent.
        assert (
            await notifications.claim_next(
                session, now=now + 2 * H, worker="w", lease=LEASE, kind=Kind.ANNOUNCEMENT
            )
            is None
        )


async def test_cancelling_an_event_tells_everyone_and_drops_reminders(
    db: Database, now: datetime
) -> None:
    event = await make_event(db, now=now, starts_in=72 * H, capacity=1)
    a, b = await make_person(db, 1, now=now), await make_person(db, 2, now=now)
    await register(db, event.id, a.id, now)
    await register(db, event.id, b.id, now)
    async with db.transaction() as session:
        assert await event_admin.cancel_event(session, event.id, now=now) == 2
    with pytest.raises(event_admin.EventCancelledError):
        async with db.transaction() as session:
            await event_admin.cancel_event(session, event.id, now=now)
    rows = await queued(db)
    assert {(pid, kind) for pid, kind, status, _ in rows if status == "pending"} == {
        (a.id, Kind.CANCELLED),
        (b.id, Kind.CANCELLED),
    }


async def test_more_seats_promote_the_waiting_list_in_order(db: Database, now: datetime) -> None:
    event = await make_event(db, now=now, starts_in=72 * H, capacity=1)
    people = [await make_person(db, i, now=now) for i in range(4)]
    for p in people:
        await register(db, event.id, p.id, now)
    async with db.transaction() as session:
        result = await event_admin.update_event(
            session, event.id, event_admin.Changes(capacity=3), default_reminders=REMINDERS, now=now
        )
    assert [p.person.id for p in result.promoted] == [people[1].id, people[2].id]
    with pytest.raises(event_admin.InvalidInputError):
        async with db.transaction() as session:
            await event_admin.update_event(
                session,
                event.id,
                event_admin.Changes(capacity=2),
                default_reminders=REMINDERS,
                now=now,
            )


async def test_announcements_reach_subscribers_of_the_kind_once(
    db: Database, now: datetime
) -> None:
    training = await make_event(db, now=now, kind="training")
    seminar = await make_event(db, now=now, kind="seminar")
    everything, trainings_only, nobody, registered = [
        await make_person(db, i, now=now) for i in (1, 2, 3, 4)
    ]
    kinds = ["training", "seminar"]
    async with db.transaction() as session:
        await announcements.choose(session, 1, "*", known_kinds=kinds, now=now)
        await announcements.choose(session, 2, "training", known_kinds=kinds, now=now)
        await announcements.choose(session, 4, "*", known_kinds=kinds, now=now)
    await register(db, training.id, registered.id, now)  # already coming: no need to announce
    for _ in range(2):  # announcing again queues nobody twice
        async with db.transaction() as session:
            assert (await announcements.announce(session, event_id=training.id, now=now)).total == 2
            assert (await announcements.announce(session, event_id=seminar.id, now=now)).total == 2
    assert {pid for pid, *_ in await queued(db, event_id=training.id, kind=Kind.ANNOUNCEMENT)} == {
        everything.id,
        trainings_only.id,
    }
    assert {pid for pid, *_ in await queued(db, event_id=seminar.id)} == {
        everything.id,
        registered.id,
    }
    async with db.transaction() as session:
        # from "every kind", a kind narrows it to that kind; toggling the last one off unsubscribes
        assert await announcements.choose(
            session, 1, "seminar", known_kinds=kinds, now=now
        ) == Interests(kinds=frozenset({"seminar"}))
        assert (
            await announcements.choose(session, 2, "training", known_kinds=kinds, now=now) is None
        )
        assert await announcements.subscription(session, 2) is None
        await announcements.unsubscribe(session, 1)
        assert await announcements.subscription(session, 1) is None
    assert nobody.id not in {pid for pid, *_ in await queued(db)}


async def enqueue_one(
    db: Database, event_id: int, person_id: int, now: datetime, *, expires: datetime | None
) -> None:
    async with db.transaction() as session:
        await notifications.enqueue(
            session,
            [
                {
                    "event_id": event_id,
                    "person_id": person_id,
                    "kind": Kind.REMINDER,
                    "variant": "x",
                    "due_at": now,
                    "expires_at": expires,
                    "created_at": now,
                }
            ],
        )


async def test_registering_again_after_cancelling_brings_the_reminders_back(
    db: Database, now: datetime
) -> None:
    event = await make_event(db, now=now, starts_in=72 * H)
    person = await make_person(db, 1, now=now)
    await register(db, event.id, person.id, now)
    async with db.transaction() as session:
        await registration.cancel(
            session,
            event_id=event.id,
            person_id=person.id,
            default_reminders=REMINDERS,
            now=now + H,
        )
    await register(db, event.id, person.id, now + 2 * H)
    assert [status for _, _, status, _ in await queued(db)] == ["pending", "pending"]


async def test_a_new_place_keeps_the_reminders_and_new_offsets_keep_the_common_one(
    db: Database, now: datetime
) -> None:
    event = await make_event(db, now=now, starts_in=72 * H)
    person = await make_person(db, 1, now=now)
    await register(db, event.id, person.id, now)
    async with db.transaction() as session:
        await event_admin.update_event(
            session,
            event.id,
            event_admin.Changes(place="Інша зала"),
            default_reminders=REMINDERS,
            now=now,
        )
    pending = [
        due
        for _, kind, status, due in await queued(db)
        if kind == Kind.REMINDER and status == "pending"
    ]
    assert pending == [event.starts_at - 24 * H, event.starts_at - 2 * H]
    async with db.transaction() as session:
        await event_admin.update_event(
            session,
            event.id,
            event_admin.Changes(reminders="24h,1h"),
            default_reminders=REMINDERS,
            now=now,
        )
    pending = [
        due
        for _, kind, status, due in await queued(db)
        if kind == Kind.REMINDER and status == "pending"
    ]
    assert pending == [event.starts_at - 24 * H, event.starts_at - H]


async def test_nothing_is_claimed_once_its_event_has_begun(db: Database, now: datetime) -> None:
    event = await make_event(db, now=now, starts_in=H)
    person = await make_person(db, 1, now=now)
    await enqueue_one(db, event.id, person.id, now, expires=event.starts_at)
    after_start = event.starts_at + timedelta(minutes=5)
    async with db.transaction() as session:
        assert (
            await notifications.claim_next(session, now=after_start, worker="w", lease=LEASE)
            is None
        )
        assert await notifications.next_due(session, now=after_start) is None


async def test_a_claim_orphaned_by_a_crash_is_dropped_when_the_event_begins(
    db: Database, now: datetime
) -> None:
    event = await make_event(db, now=now, starts_in=H)
    person = await make_person(db, 1, now=now)
    await enqueue_one(db, event.id, person.id, now, expires=event.starts_at)
    async with db.transaction() as session:
        assert await notifications.claim_next(
            session, now=event.starts_at - timedelta(seconds=30), worker="dead", lease=LEASE
        )
    async with db.transaction() as session:
        assert (
            await notifications.drop_expired(session, now=event.starts_at + 2 * LEASE, lease=LEASE)
            == 1
        )


async def test_a_message_dropped_while_being_sent_is_not_brought_back_by_a_retry(
    db: Database, now: datetime
) -> None:
    event = await make_event(db, now=now, starts_in=72 * H)
    person = await make_person(db, 1, now=now)
    await enqueue_one(db, event.id, person.id, now, expires=event.starts_at)
    async with db.transaction() as session:
        claimed = await notifications.claim_next(session, now=now, worker="w", lease=LEASE)
    assert claimed is not None
    async with db.transaction() as session:
        await event_admin.cancel_event(session, event.id, now=now)
    async with db.transaction() as session:  # the send failed with a network error
        await notifications.release(
            session, claimed.id, worker="w", retry_at=now + timedelta(seconds=5)
        )
    assert [status for _, kind, status, _ in await queued(db) if kind == Kind.REMINDER] == [
        "dropped"
    ]


async def test_residents_can_follow_audiences_as_well_as_kinds(db: Database, now: datetime) -> None:
    for_pensioners = await make_event(db, now=now, kind="seminar", title="Субсидії")
    async with db.transaction() as session:
        row = await session.get(Event, for_pensioners.id)
        assert row is not None
        row.audience = "пенсіонери"
    for_children = await make_event(db, now=now, kind="practical", title="Для дітей")
    async with db.transaction() as session:
        row = await session.get(Event, for_children.id)
        assert row is not None
        row.audience = "діти"
    training = await make_event(db, now=now, kind="training", title="Тренінг")
    follower = await make_person(db, 1, now=now)
    kinds = ["training", "seminar", "practical"]
    async with db.transaction() as session:
        assert await announcements.audience_options(session, now=now, interests=None) == [
            "діти",
            "пенсіонери",
        ]
        chosen = await announcements.choose(
            session, 1, f"a:{audience_key('Пенсіонери')}", known_kinds=kinds, now=now
        )
        assert chosen == Interests(audiences=frozenset({"пенсіонери"}))
        chosen = await announcements.choose(session, 1, "training", known_kinds=kinds, now=now)
        with pytest.raises(ValueError):
            await announcements.choose(session, 1, "a:00000000", known_kinds=kinds, now=now)
    for event, expected in ((for_pensioners, 1), (for_children, 0), (training, 1)):
        async with db.transaction() as session:
            assert (
                await announcements.announce(session, event_id=event.id, now=now)
            ).total == expected
        assert len(await queued(db, event_id=event.id, person_id=follower.id)) == expected
