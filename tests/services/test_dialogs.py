"""Open questions in the database: rows of the version before typed dialogs still load."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta

import pytest

from bot.domain.event_form import EventAnswers, FormStep
from bot.domain.signup import Step
from bot.services import dialogs
from bot.services.dialogs import Edit, NewEvent, Offered, SignUp, SignUpAnswers, Unknown
from storage import dialogs as dialog_storage
from storage import staff as staff_storage
from storage.database import Database
from storage.models import Dialog


async def test_rows_written_before_the_upgrade_load_and_are_written_back_alike(
    db: Database, now: datetime
) -> None:
    async with db.transaction() as session:
        await dialog_storage.put(session, 5, "signup", {"event_id": 7, "step": "phone"}, now=now)
        await staff_storage.put_input(
            session, 5, "ne:prog", {"title": "T", "programs": ["ВПО"]}, now=now
        )
        await staff_storage.put_input(session, 6, "ed:place", {"event": 12}, now=now)
        await staff_storage.put_input(session, 7, "newevent:title", {}, now=now)
    async with db.session() as session:
        assert await dialogs.signup(session, 5) == SignUp(Step.PHONE, SignUpAnswers(7))
        # Free-text projects offered before programmes: the offer is dropped, the
        # question stays open (asked again, it offers the programmes).
        assert await dialogs.staff_input(session, 5) == NewEvent(
            FormStep.PROG, EventAnswers(title="T"), ()
        )
        assert await dialogs.staff_input(session, 6) == Edit(12, FormStep.PLACE)
        assert await dialogs.staff_input(session, 7) == Unknown(None)
    async with db.transaction() as session:
        await dialogs.ask_signup(
            session, 5, SignUp(Step.CONSENT, SignUpAnswers(7, phone_done=True)), now=now
        )
        await dialogs.ask_staff(session, 6, Edit(12, FormStep.PROG, (Offered(3, "A"),)), now=now)
    async with db.session() as session:
        assert await dialog_storage.get(session, 5) == (
            "signup",
            {"event_id": 7, "step": "consent", "phone_done": True},
        )
        assert await staff_storage.get_input(session, 6) == (
            "ed:prog",
            {"event": 12, "programs": [[3, "A"]]},
        )


async def test_typed_text_answers_the_question_asked_last(db: Database, now: datetime) -> None:
    async with db.transaction() as session:
        await dialogs.ask_staff(session, 5, NewEvent(FormStep.TITLE), now=now)
    async with db.session() as session:
        assert await dialogs.input_for_text(session, 5) == NewEvent(FormStep.TITLE)
    async with db.transaction() as session:
        later = now + timedelta(seconds=1)
        await dialogs.ask_signup(session, 5, SignUp(Step.NAME, SignUpAnswers(7)), now=later)
    async with db.session() as session:
        assert await dialogs.input_for_text(session, 5) is None
        assert await dialogs.staff_input(session, 5) == NewEvent(FormStep.TITLE)
    async with db.transaction() as session:
        assert await dialogs.close_staff(session, 5) == NewEvent(FormStep.TITLE)
        await dialogs.close_signup(session, 5)
    async with db.session() as session:
        assert await dialogs.staff_input(session, 5) is None
        assert await dialogs.signup(session, 5) is None


async def test_a_row_the_session_holds_follows_its_update_and_its_deletion(
    db: Database, now: datetime
) -> None:
    """The row is written on the table, not through the ORM: a copy the session holds
    (found again without a statement) must still be what was written."""
    async with db.transaction() as session:
        await dialog_storage.put(session, 5, "signup", {"step": "name"}, now=now)
    async with db.transaction() as session:
        held = await session.get(Dialog, 5)  # as a use case that read the row would hold it
        assert held is not None
        await dialog_storage.put(session, 5, "signup", {"step": "phone"}, now=now)
        assert json.loads(held.data) == {"step": "phone"}
        assert await dialog_storage.get(session, 5) == ("signup", {"step": "phone"})
        await dialog_storage.clear(session, 5)
        assert held not in session  # else a new question would clash with the gone row
        assert await dialog_storage.get(session, 5) is None
        await dialog_storage.put(session, 5, "feedback", {"event_id": 3}, now=now)
        assert await dialog_storage.get(session, 5) == ("feedback", {"event_id": 3})
    async with db.session() as session:
        assert await dialog_storage.get(session, 5) == ("feedback", {"event_id": 3})


async def test_two_processes_asking_a_first_question_at_once_both_go_through(
    db: Database, now: datetime
) -> None:
    """PostgreSQL, two bot processes: neither sees the other's uncommitted row, so both
    write the first question; the later one waits for the earlier and its question stays
    (it used to fail on the primary key)."""
    if db.is_sqlite:
        pytest.skip("SQLite writers hold the database lock: this interleaving cannot happen")
    first_written = asyncio.Event()

    async def first() -> None:
        async with db.transaction() as session:
            await dialog_storage.put(session, 5, "signup", {"step": "name"}, now=now)
            first_written.set()
            await asyncio.sleep(0.3)  # the other process writes meanwhile, and waits

    async def second() -> None:
        await first_written.wait()
        async with db.transaction() as session:
            await dialog_storage.put(session, 5, "signup", {"step": "category"}, now=now)

    await asyncio.gather(first(), second())
    async with db.session() as session:
        assert await dialog_storage.get(session, 5) == ("signup", {"step": "category"})
