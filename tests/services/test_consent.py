"""Name, category and phone are kept only once the person agrees; abandoned answers go."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot import housekeeping
from bot.config import Config
from bot.deps import Deps
from bot.domain.signup import Step
from bot.i18n import Catalogs
from bot.services import dialogs, signup
from storage.database import Database
from storage.models import Dialog, Person
from tests.conftest import REMINDERS
from tests.e2e.test_forget import on_disk
from tests.factories import make_event
from tests.services.test_signup_and_people import answer

NAME, PHONE = "Ганна Стопченко", "+380671112233"


async def _stop_at_consent(db: Database, now: datetime, telegram_id: int) -> None:
    event = await make_event(db, now=now)
    async with db.transaction() as session:
        await signup.begin(
            session,
            telegram_id=telegram_id,
            event_id=event.id,
            now=now,
            default_reminders=REMINDERS,
        )
    await answer(db, telegram_id, Step.NAME, NAME, now)
    await answer(db, telegram_id, Step.CATEGORY, "idp", now)
    asked = await answer(db, telegram_id, Step.PHONE, PHONE, now)
    assert isinstance(asked, signup.Ask) and asked.step == Step.CONSENT


async def _profile(db: Database, telegram_id: int) -> tuple[str | None, ...]:
    async with db.session() as session:
        person = (
            await session.execute(select(Person).where(Person.telegram_id == telegram_id))
        ).scalar_one()
        return person.full_name, person.category, person.phone


async def test_answers_wait_in_the_dialog_until_consent(db: Database, now: datetime) -> None:
    await _stop_at_consent(db, now, 31)
    assert await _profile(db, 31) == (None, None, None)
    await answer(db, 31, Step.CONSENT, "yes", now)
    assert await _profile(db, 31) == (NAME, "idp", PHONE)


async def test_declining_keeps_nothing(db: Database, now: datetime) -> None:
    await _stop_at_consent(db, now, 32)
    assert isinstance(await answer(db, 32, Step.CONSENT, "no", now), signup.Declined)
    assert await _profile(db, 32) == (None, None, None)
    async with db.session() as session:
        assert (await session.execute(select(Dialog))).first() is None


async def test_sign_ups_abandoned_for_a_day_are_purged(db: Database, now: datetime) -> None:
    await _stop_at_consent(db, now, 33)
    await _stop_at_consent(db, now + timedelta(hours=23), 34)
    async with db.transaction() as session:
        purged = await dialogs.purge_abandoned_signups(session, before=now + timedelta(hours=1))
    assert purged == 1
    async with db.session() as session:
        left = (await session.execute(select(Dialog.telegram_id))).scalars().all()
        raw = [row.data for row in (await session.execute(select(Dialog))).scalars()]
    assert left == [34]
    assert not any(NAME in data for data in raw if "33" in data)
    assert await _profile(db, 33) == (None, None, None)  # nothing of theirs is left anywhere


async def test_the_hourly_job_purges_what_was_abandoned_a_day_ago(
    db: Database, now: datetime, config: Config
) -> None:
    await _stop_at_consent(db, now, 35)
    later = now + timedelta(days=1, minutes=1)
    deps = Deps(config=config, db=db, catalogs=Catalogs("uk"), clock=lambda: later)
    assert await housekeeping.purge_abandoned(deps) == 1
    async with db.session() as session:
        assert (await session.execute(select(Dialog))).first() is None
    if db.is_sqlite:  # the answers are gone from the file and its write-ahead log too
        assert on_disk(db, NAME, PHONE) == []
