"""A network of branches for the per-branch report: three configured branches (one with
no events), events in two of them and one of no branch, with registrations, attendance,
walk-ins and answers after events; and the figures each branch must show."""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.config import Branch, Config
from bot.services import attendance, registration
from storage import feedback
from storage.database import Database
from storage.models import Event, Person
from tests.conftest import REMINDERS
from tests.factories import make_event, make_person

BRANCHES = (
    Branch("central", {"uk": "Центральна бібліотека", "en": "Central library"}),
    Branch("verbivka", {"uk": "Вербівська сільська бібліотека", "en": "Verbivka village library"}),
    Branch("zhytnyky", {"uk": "Житниківська бібліотека", "en": "Zhytnyky library"}),
)


def with_branches(config: Config) -> Config:
    return dataclasses.replace(config, branches=BRANCHES)


@dataclass
class Expected:
    """What the report of all branches must count, per branch (None: no branch)."""

    by_kind: dict[str | None, Counter[str]] = field(default_factory=dict)
    by_category: dict[str | None, Counter[str]] = field(default_factory=dict)
    people: dict[str | None, set[int]] = field(default_factory=dict)
    """Registered people who came, per branch."""
    events: dict[str | None, list[int]] = field(default_factory=dict)
    """The ids of the events held, per branch."""
    planned: dict[str | None, list[int]] = field(default_factory=dict)


# (branch, kind, days before ``now`` (negative: later), the categories of the registered
# who came, how many registered did not come, walk-ins by category, marked)
EVENTS: tuple[tuple[str | None, str, float, list[str], int, dict[str, int], bool], ...] = (
    (
        "central",
        "training",
        30,
        ["library_users", "library_users", "government"],
        1,
        {"idp": 2},
        True,
    ),
    ("central", "seminar", 20, ["ngo_activists", "library_users"], 0, {}, True),
    # The first who came is the central library's first resident: one person, two branches.
    ("verbivka", "training", 25, ["library_users", "government"], 1, {"other": 1}, True),
    ("verbivka", "training", 10, [], 2, {}, False),  # attendance not marked
    (None, "campaign", 15, ["library_users"], 0, {"government": 3}, True),
    ("verbivka", "training", -5, [], 2, {}, False),  # planned
)


async def seed(db: Database, *, now: datetime) -> Expected:
    """The events above, a cancelled one of the central library (not counted), and two
    answers after events (one with a comment). ``now`` is when the report is made."""
    expected = Expected()
    telegram_id = 7000
    shared = None  # one resident came to a central and a village event: one person
    for branch, kind, days_ago, came, absent, walk_ins, marked in EVENTS:
        event = await make_event(
            db,
            now=now - timedelta(days=60),
            starts_in=timedelta(days=60 - days_ago),
            kind=kind,
            capacity=None,
            title=f"{kind} {branch} {days_ago}",
        )
        await _set(db, event.id, branch_key=branch)
        held = days_ago > 0
        (expected.events if held else expected.planned).setdefault(branch, []).append(event.id)
        if held:
            expected.by_kind.setdefault(branch, Counter())[kind] += 1
            expected.by_category.setdefault(branch, Counter())
            expected.people.setdefault(branch, set())
        people: list[Person] = []
        for index, category in enumerate([*came, *(["library_users"] * absent)]):
            if shared is not None and index == 0 and branch == "verbivka" and came:
                person = shared
            else:
                telegram_id += 1
                person = await make_person(db, telegram_id, now=now - timedelta(days=90))
                await _category(db, person.id, category)
                if shared is None and branch == "central":
                    shared = person
            people.append(person)
            async with db.transaction() as session:
                await registration.register(
                    session,
                    event_id=event.id,
                    person_id=person.id,
                    default_reminders=REMINDERS,
                    now=now - timedelta(days=60),
                )
        if not marked:
            continue
        async with db.transaction() as session:
            for index, person in enumerate(people):
                await attendance.mark(
                    session, event_id=event.id, person_id=person.id, came=index < len(came)
                )
            for category, n in walk_ins.items():
                await attendance.add_walk_ins(
                    session, event_id=event.id, category=category, delta=n
                )
        for category, person in zip(came, people, strict=False):
            expected.by_category[branch][category] += 1
            expected.people[branch].add(person.id)
        for category, n in walk_ins.items():
            expected.by_category[branch][category] += n
        if branch in ("central", "verbivka") and kind == "training":
            async with db.transaction() as session:
                await feedback.rate(
                    session,
                    event_id=event.id,
                    person_id=people[0].id,
                    rating=5 if branch == "central" else 3,
                    now=now - timedelta(days=days_ago - 1),
                )
                if branch == "verbivka":
                    await feedback.add_comment(
                        session, event_id=event.id, person_id=people[0].id, text="Добре"
                    )
    cancelled = await make_event(
        db, now=now - timedelta(days=60), starts_in=timedelta(days=50), title="Скасований"
    )
    await _set(db, cancelled.id, branch_key="central", status="cancelled")
    return expected


async def _set(db: Database, event_id: int, **values: object) -> None:
    async with db.transaction() as session:
        row = await session.get(Event, event_id)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)


async def _category(db: Database, person_id: int, category: str) -> None:
    async with db.transaction() as session:
        row = await session.get(Person, person_id)
        assert row is not None
        row.category = category
