"""Residents and branches: the list narrowed to a branch, events nearest first, and
announcements only for the branches a subscriber chose."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot.domain.branches import join_keys, parse_keys, wanted
from bot.domain.interests import Interests
from bot.domain.status import NotificationKind
from bot.services import announcements, catalog, people
from storage.database import Database
from storage.models import Event, Notification, Subscription
from tests.conftest import REMINDERS
from tests.factories import make_event, make_person

KINDS = ["training", "seminar"]
BRANCHES = ["centre", "verbivka"]


async def placed(
    db: Database,
    now: datetime,
    title: str,
    *,
    days: float = 3,
    branch: str | None = None,
    place: str | None = None,
) -> Event:
    event = await make_event(db, now=now, title=title, starts_in=timedelta(days=days))
    async with db.transaction() as session:
        await session.execute(
            update(Event).where(Event.id == event.id).values(branch_key=branch, place_key=place)
        )
    return event


async def announced_to(db: Database, event_id: int) -> set[int]:
    async with db.session() as session:
        rows = await session.execute(
            select(Notification.person_id).where(
                Notification.event_id == event_id,
                Notification.kind == NotificationKind.ANNOUNCEMENT,
            )
        )
        return set(rows.scalars())


async def test_a_subscriber_of_a_branch_hears_of_its_events_and_of_the_librarys(
    db: Database, now: datetime
) -> None:
    of_centre, of_verbivka, everywhere = [await make_person(db, i, now=now) for i in (1, 2, 3)]
    async with db.transaction() as session:
        await announcements.choose(
            session, 1, "b:centre", known_kinds=KINDS, known_branches=BRANCHES, now=now
        )
        await announcements.choose(
            session, 2, "b:verbivka", known_kinds=KINDS, known_branches=BRANCHES, now=now
        )
        await announcements.choose(session, 3, "*", known_kinds=KINDS, now=now)
    centre = await placed(db, now, "У центральній", branch="centre")
    verbivka = await placed(db, now, "У Вербівці", branch="verbivka")
    library = await placed(db, now, "Для всіх", branch=None)
    for event in (centre, verbivka, library):
        async with db.transaction() as session:
            await announcements.announce(session, event_id=event.id, now=now)
    assert await announced_to(db, centre.id) == {of_centre.id, everywhere.id}
    assert await announced_to(db, verbivka.id) == {of_verbivka.id, everywhere.id}
    assert await announced_to(db, library.id) == {of_centre.id, of_verbivka.id, everywhere.id}


async def test_who_hears_of_an_event_is_what_the_domain_rule_says(
    db: Database, now: datetime
) -> None:
    """The SQL filter against ``bot.domain.branches.wanted``, every pair; "_" in a key is a
    letter there, not LIKE's wildcard."""
    keys = ["a", "b", "a_b", "axb"]
    chosen = {1: [], 2: ["a"], 3: ["b"], 4: ["a", "b"], 5: ["a_b"], 6: ["axb", "b"]}
    persons = {tid: (await make_person(db, tid, now=now)).id for tid in chosen}
    async with db.transaction() as session:
        for tid, branches in chosen.items():
            await announcements.choose(session, tid, "*", known_kinds=KINDS, now=now)
            for key in branches:
                await announcements.choose(
                    session, tid, "b:" + key, known_kinds=KINDS, known_branches=keys, now=now
                )
    for branch in [None, *keys]:
        event = await placed(db, now, f"Захід {branch}", branch=branch)
        async with db.transaction() as session:
            await announcements.announce(session, event_id=event.id, now=now)
        expected = {
            persons[tid]
            for tid, branches in chosen.items()
            if wanted(parse_keys(join_keys(branches)), branch)
        }
        assert await announced_to(db, event.id) == expected, branch


async def test_choosing_branches_toggles_keeps_the_kinds_and_never_unsubscribes(
    db: Database, now: datetime
) -> None:
    person = await make_person(db, 1, now=now)

    async def choose(choice: str) -> Interests | None:
        async with db.transaction() as session:
            return await announcements.choose(
                session, 1, choice, known_kinds=KINDS, known_branches=BRANCHES, now=now
            )

    # Not subscribed: choosing a branch subscribes to every event of it.
    assert await choose("b:verbivka") == Interests(branches=frozenset({"verbivka"}))
    assert await choose("training") == Interests(
        kinds=frozenset({"training"}), branches=frozenset({"verbivka"})
    )
    assert await choose("b:centre") == Interests(
        kinds=frozenset({"training"}), branches=frozenset({"verbivka", "centre"})
    )
    async with db.session() as session:
        row = await session.get(Subscription, person.id)
        assert row is not None and row.branches == "centre,verbivka"
    assert await choose("*") == Interests(branches=frozenset({"verbivka", "centre"}))
    assert await choose("b:*") == Interests()  # every branch, still subscribed
    assert await choose("b:verbivka") == Interests(branches=frozenset({"verbivka"}))
    assert await choose("b:verbivka") == Interests()  # the last one off: every branch
    with pytest.raises(ValueError):
        await choose("b:nowhere")  # a forged or removed branch


async def test_forgetting_removes_the_branches_chosen(db: Database, now: datetime) -> None:
    person = await make_person(db, 1, now=now)
    async with db.transaction() as session:
        await announcements.choose(
            session, 1, "b:centre", known_kinds=KINDS, known_branches=BRANCHES, now=now
        )
    async with db.transaction() as session:
        await people.forget(session, 1, default_reminders=REMINDERS, now=now)
    async with db.session() as session:
        assert await session.get(Subscription, person.id) is None


async def test_the_list_narrowed_to_a_branch_keeps_the_librarys_events(
    db: Database, now: datetime
) -> None:
    for day in range(1, 8):
        await placed(db, now, f"Центр {day}", days=day, branch="centre")
    await placed(db, now, "Вербівка", days=2.5, branch="verbivka")
    await placed(db, now, "Бібліотека", days=7.5, branch=None)
    async with db.session() as session:
        first = await catalog.upcoming_page(session, page=0, now=now, branch="centre")
        second = await catalog.upcoming_page(session, page=1, now=now, branch="centre")
        verbivka = await catalog.upcoming_page(session, page=0, now=now, branch="verbivka")
        everything = await catalog.upcoming_page(session, page=0, now=now)
    assert (first.pages, first.branch, second.page) == (2, "centre", 1)
    assert [e.title for e in first.events] == [f"Центр {d}" for d in range(1, 7)]
    assert [e.title for e in second.events] == ["Центр 7", "Бібліотека"]
    assert [e.title for e in verbivka.events] == ["Вербівка", "Бібліотека"]
    assert (everything.pages, everything.branch) == (2, None)


async def test_nearest_first_only_events_at_located_places(db: Database, now: datetime) -> None:
    places = {"far": (50.2, 30.0), "near": (50.0, 30.0167), "middle": (50.05, 30.0)}
    await placed(db, now, "Далеко", days=1, place="far")
    await placed(db, now, "Посередині", days=2, place="middle")
    await placed(db, now, "Поруч, пізніше", days=4, place="near")
    await placed(db, now, "Поруч", days=3, place="near")
    await placed(db, now, "Без мапи", days=1, place=None)
    await placed(db, now, "Минуле", days=-1, place="near")
    async with db.session() as session:
        found = await catalog.nearest(
            session, latitude=50.0, longitude=30.0, places=places, now=now
        )
        two = await catalog.nearest(
            session, latitude=50.0, longitude=30.0, places=places, now=now, limit=2
        )
    assert [(e.title, round(km, 1)) for e, km in found.events] == [
        ("Поруч", 1.2),
        ("Поруч, пізніше", 1.2),
        ("Посередині", 5.6),
        ("Далеко", 22.2),
    ]
    assert found.others == 1  # the event of no known place
    assert ([e.title for e, _ in two.events], two.others) == (["Поруч", "Поруч, пізніше"], 3)
