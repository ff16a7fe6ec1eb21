"""A weekly series in Telegram: /newevent makes the occurrences, a resident signs up for
all of them with one tap (a full one puts them in its waiting list)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.domain.event_import import EventDraft
from bot.domain.status import EventStatus, RegistrationStatus
from bot.services.registration import register
from emulator import BotApiEmulator, SimUser
from emulator.messages import SimMessage
from storage import events
from storage.database import Database
from storage.models import Event, Person, Registration
from tests.e2e.test_new_event import answer, start_flow, tap
from tests.factories import LIBRARIAN, make_person

pytestmark = pytest.mark.usefixtures("app")
KYIV = ZoneInfo("Europe/Kyiv")
GONE = "Такого заходу не знайдено."


def next_monday(weeks: int = 2) -> date:
    today = datetime.now(UTC).astimezone(KYIV).date()
    return today + timedelta(days=7 * weeks - today.weekday())


async def fill_in(librarian: SimUser, day: date) -> SimMessage:
    """The questions up to «Повторювати?»; returns that question."""
    await start_flow(librarian)
    kinds = await answer(librarian, "Цифрова грамотність для старших", "Який це вид")
    await tap(librarian, kinds, "Тренінг", "Якого дня?")
    await answer(librarian, day.strftime("%d.%m.%Y"), "О котрій")
    await answer(librarian, "14:00", "Скільки він триває?")
    return await answer(librarian, "90", "Повторювати?")


async def the_rest(librarian: SimUser) -> SimMessage:
    """From the place to the preview."""
    await answer(librarian, "Читальна зала", "Скільки є місць?")
    await answer(librarian, "12", "Для кого він?")
    programs = await answer(librarian, "пенсіонери", "До якої програми")
    await tap(librarian, programs, "Пропустити", "Кілька слів")
    reminders = await answer(librarian, "Смартфон з собою", "Коли нагадати")
    return await tap(librarian, reminders, "Як у бібліотеці", "Попередній перегляд")


@pytest.mark.staff
async def test_newevent_makes_a_weekly_series_of_published_events(
    emu: BotApiEmulator, db: Database
) -> None:
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    first = next_monday()
    repeat = await fill_in(librarian, first)
    assert [row[0].text for row in repeat.buttons] == ["🚫 Ні", "🔁 Щотижня…", "✖️ Скасувати"]
    weekly = await tap(librarian, repeat, "Щотижня…", "скільки разів загалом")
    assert "запитання 6 з 12" in weekly.text
    assert [row[0].text for row in weekly.buttons] == [
        "4 рази",
        "8 разів",
        "12 разів",
        "✖️ Скасувати",
    ]
    await answer(librarian, "53", "⚠️ Щотижневий захід повторюється від 2 до 52 разів.")
    await tap(librarian, weekly, "8 разів", "Де він відбудеться?")
    preview = await the_rest(librarian)
    assert "🔁 щопонеділка о 14:00, 8 разів: " in preview.text
    assert f"{first.day}, " in preview.text and " … " in preview.text
    done = await tap(librarian, preview, "Опублікувати", "✅ Опубліковано: 8 заходів")
    async with db.session() as session:
        created = (await session.execute(select(Event).order_by(Event.starts_at))).scalars().all()
    assert len(created) == 8
    assert f"номери {created[0].id}–{created[-1].id}" in done.text
    assert f"?start=event_{created[0].id}" in done.text
    assert {e.series_id for e in created} == {created[0].id}
    assert {e.status for e in created} == {EventStatus.PUBLISHED}
    assert [e.starts_at.astimezone(KYIV).date() for e in created] == [
        first + timedelta(weeks=n) for n in range(8)
    ]
    assert {e.starts_at.astimezone(KYIV).time() for e in created} == {time(14, 0)}
    assert {(e.ends_at - e.starts_at) for e in created if e.ends_at} == {timedelta(minutes=90)}
    assert {(e.title, e.capacity, e.audience) for e in created} == {
        ("Цифрова грамотність для старших", 12, "пенсіонери")
    }


@pytest.mark.staff
async def test_newevent_repeats_until_a_typed_day_and_keeps_drafts_together(
    emu: BotApiEmulator, db: Database
) -> None:
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    first = next_monday()
    repeat = await fill_in(librarian, first)
    await tap(librarian, repeat, "Щотижня…", "скільки разів загалом")
    too_far = (first + timedelta(weeks=60)).strftime("%d.%m.%Y")
    latest = (first + timedelta(weeks=51)).strftime("%d.%m.%Y")
    await answer(librarian, too_far, f"не пізніше {latest}")
    # Until a Thursday: the Mondays up to it, three in all.
    until = first + timedelta(weeks=2, days=3)
    await answer(librarian, until.strftime("%d.%m.%Y"), "Де він відбудеться?")
    preview = await the_rest(librarian)
    assert "щопонеділка о 14:00, 3 рази" in preview.text
    await tap(librarian, preview, "Зберегти як чернетку", "📝 Збережено як чернетки: 3 заходи")
    async with db.session() as session:
        created = (await session.execute(select(Event))).scalars().all()
    assert len(created) == 3 and {e.status for e in created} == {EventStatus.DRAFT}
    assert len({e.series_id for e in created}) == 1 and created[0].series_id is not None


async def make_series(db: Database, capacities: list[int | None]) -> list[Event]:
    """A published weekly series, the first occurrence three days ahead."""
    now = datetime.now(UTC)
    first = now + timedelta(days=3)
    drafts = [
        EventDraft(
            title="Англійська для початківців",
            kind="training",
            starts_at=first + timedelta(weeks=n),
            ends_at=None,
            place="Читальна зала",
            capacity=capacity,
        )
        for n, capacity in enumerate(capacities)
    ]
    async with db.transaction() as session:
        return await events.add_many(session, drafts, now=now, series=True)


async def test_sign_up_for_all_takes_a_seat_or_a_place_in_line_at_each(
    emu: BotApiEmulator, db: Database
) -> None:
    series = await make_series(db, [5, 1, 5, 5])
    now = datetime.now(UTC)
    resident = await make_person(db, 501, now=now)
    other = await make_person(db, 502, now=now, name="Інший Мешканець")
    async with db.transaction() as session:
        # The second week is full; the third the resident holds already.
        for event, person in ((series[1], other), (series[2], resident)):
            await register(
                session, event_id=event.id, person_id=person.id, default_reminders=(), now=now
            )
    user = emu.add_user(first_name="Олена", user_id=501, language_code="uk")
    await user.send_command(f"/start event_{series[0].id}")
    card = await user.next_reply()
    # Three of the four are open to them: this one, the full one, the last one.
    labels = [row[0].text for row in card.buttons]
    assert "✍️ Записатися на всі (3)" in labels
    await user.press(card, text="✍️ Записатися на всі (3)")
    done = await user.next_reply()
    assert done.message_id == card.message_id  # the card becomes the answer: no new message
    lines = done.text.splitlines()
    assert lines[0] == "Англійська для початківців: щотижня"
    marks = [line.split(" ", 1)[0] for line in lines[2:6]]
    assert marks == ["✅", "⏳", "☑️", "✅"]
    assert "ви в списку очікування: номер 1" in lines[3]
    async with db.session() as session:
        rows = (
            await session.execute(
                select(Registration.event_id, Registration.status).where(
                    Registration.person_id == resident.id
                )
            )
        ).all()
        full = await session.get(Event, series[1].id)
    assert dict(rows) == {
        series[0].id: RegistrationStatus.CONFIRMED,
        series[1].id: RegistrationStatus.WAITING,
        series[2].id: RegistrationStatus.CONFIRMED,
        series[3].id: RegistrationStatus.CONFIRMED,
    }
    assert full is not None and full.seats_taken == 1  # never overbooked
    # Registered everywhere now: the card offers it no more.
    await user.send_command(f"/start event_{series[0].id}")
    labels = [row[0].text for row in (await user.next_reply()).buttons]
    assert not any("на всі" in label for label in labels)


async def test_a_newcomer_answers_the_sign_up_then_gets_every_week(
    emu: BotApiEmulator, db: Database
) -> None:
    series = await make_series(db, [5, 1, 5])
    now = datetime.now(UTC)
    other = await make_person(db, 602, now=now, name="Інший Мешканець")
    async with db.transaction() as session:
        await register(
            session, event_id=series[1].id, person_id=other.id, default_reminders=(), now=now
        )
    user = emu.add_user(first_name="Новенька", user_id=601, language_code="uk")
    await user.send_command(f"/start event_{series[0].id}")
    card = await user.next_reply()
    await user.press(card, text="✍️ Записатися на всі (3)")
    assert "ім’я та прізвище" in (await user.next_reply()).text
    await user.send_text("Ганна Мельник")
    categories = await user.next_reply()
    await user.press(categories, text="Користувачі бібліотеки")
    await user.next_reply()  # the phone, optional
    await user.send_text("Пропустити")
    await user.next_reply()  # «без номера»
    consent = await user.next_reply()
    assert "Ви погоджуєтеся?" in consent.text
    await user.press(consent, text="Погоджуюся")
    done = await user.next_reply()
    lines = done.text.splitlines()
    assert lines[0] == "Англійська для початківців: щотижня"
    assert [line.split(" ", 1)[0] for line in lines[2:5]] == ["✅", "⏳", "✅"]
    async with db.session() as session:
        statuses = (
            await session.execute(
                select(Registration.event_id, Registration.status)
                .join(Person, Person.id == Registration.person_id)
                .where(Person.telegram_id == 601)
            )
        ).all()
    assert dict(statuses) == {
        series[0].id: RegistrationStatus.CONFIRMED,
        series[1].id: RegistrationStatus.WAITING,
        series[2].id: RegistrationStatus.CONFIRMED,
    }
    # The last week of a series has no further one: no button there.
    await user.send_command(f"/start event_{series[2].id}")
    assert not any("на всі" in row[0].text for row in (await user.next_reply()).buttons)


async def test_forged_sign_up_for_all_buttons_are_refused_politely(
    emu: BotApiEmulator, db: Database
) -> None:
    await make_series(db, [5, 5])
    now = datetime.now(UTC)
    async with db.transaction() as session:
        (single,) = await events.add_many(
            session,
            [EventDraft("Одинокий", "training", now + timedelta(days=2), None, "Зала", 5)],
            now=now,
        )
    await make_person(db, 701, now=now)
    user = emu.add_user(first_name="Олена", user_id=701, language_code="uk")
    await user.send_command("/start")
    menu = await user.next_reply()
    for data in (f"rgs:{single.id}", "rgs:999999", "rgs:-1", "rgs:1:2"):
        query = await user.press_raw(menu.message_id, data)
        text = (await user.callback_answer(query))["text"]
        assert text in (GONE, "Ця кнопка вже не діє."), (data, text)
    async with db.session() as session:
        assert (await session.execute(select(Registration))).first() is None
