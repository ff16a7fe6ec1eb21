"""The seed report's programme run through the bot, from /newprogram and /newevent to /report.

A librarian adds the project with /newprogram, creates the eleven events of the district library's project in Telegram,
residents sign up, the year passes, the librarian marks who came (the information
campaign also counts walk-ins), and ``/report 2026`` gives the report's own figures:
11 events of four kinds and 93 people trained.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from telegram.ext import Application

from bot.app import build_application, start, stop
from bot.config import Config
from bot.services import registration
from emulator import BotApiEmulator, SimUser
from emulator.messages import SimMessage
from storage.database import Database
from storage.models import Event, Person, Program
from tests.conftest import REMINDERS
from tests.factories import LIBRARIAN, make_person

pytestmark = pytest.mark.staff
PROGRAM = "Поінформована громада"
# (kind as the librarian taps it, title, how many of those registered came)
PROGRAMME = [
    ("Тренінг", "Електронні послуги для бібліотекарів", 9),
    ("Тренінг", "Дія: цифрові послуги держави", 9),
    ("Тренінг", "Пошук місцевих нормативних актів", 9),
    ("Тренінг", "Безпека в інтернеті", 8),
    ("Тренінг", "Розрахунок субсидії онлайн", 8),
    ("Тренінг", "Пенсійний фонд онлайн", 8),
    ("Тренінг", "Електронна черга до лікаря", 8),
    ("Семінар", "Легальна зайнятість для ВПО", 9),
    ("Семінар", "Як знайти роботу: разом із центром зайнятості", 9),
    ("Практичне заняття", "Бібліотека для дітей: безпечний інтернет", 8),
    ("Інформаційна акція", "Поінформована громада: день відкритих дверей", 3),
]
PURPOSE = (
    "Даний проект започаткований щоб широко інформувати громадян про наявні інструменти та "
    "ресурси е-урядування, якими можна скористатись у публічних бібліотеках."
)
FRAME = (
    "що є частиною Національного плану дій у рамках «Партнерства «Відкритий уряд» і "
    "реалізується за сприяння програми «Бібліоміст»"
)
LINK = "vollibrary.ucoz.net"
POSITION = (
    "Відповідальна за впровадження\nе-урядування у Волочиському районі,\n"
    "провідний бібліотекар Волочиської ЦРБ"
)
SIGNER = "Задорожна Н.М."
WALK_INS = 5  # the information campaign's visitors who had not registered
CATEGORIES = ["library_specialists", "library_users", "government", "ngo_activists"]


class Clock:
    """The bot's clock, moved by the test: events are created ahead, marked after."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2025, 12, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
async def seed_app(
    bot_config: Config, emu: BotApiEmulator, db: Database, clock: Clock
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    application = build_application(bot_config, token=emu.token, db=db, clock=clock)
    await start(application)
    yield application
    await stop(application)


async def new_message(user: SimUser) -> SimMessage:
    """The next message the bot sent, past edits that take buttons off answered questions."""
    while True:
        action = await user.next_action()
        if action.kind == "message":
            return action.message


async def say(user: SimUser, text: str) -> SimMessage:
    await user.send_text(text)
    return await new_message(user)


async def tap(user: SimUser, message: SimMessage, button: str) -> SimMessage:
    await user.press(message, text=button)
    return await new_message(user)


async def create_programme(librarian: SimUser) -> None:
    """/newprogram answered with the seed report's own paragraphs."""
    await librarian.send_command("/newprogram")
    await new_message(librarian)  # what the flow is about
    await new_message(librarian)  # the name
    await say(librarian, PROGRAM)
    await say(librarian, PURPOSE)
    await say(librarian, FRAME)
    await say(librarian, "01.01.2026 – 31.12.2026")
    await say(librarian, LINK)
    await say(librarian, POSITION)
    created = await say(librarian, SIGNER)
    assert "Програму додано" in created.text, created.text


async def create_event(librarian: SimUser, n: int, kind: str, title: str) -> None:
    """/newevent answered as a librarian would: typed text, and buttons where offered."""
    day = datetime(2026, 2, 2) + timedelta(days=25 * n)
    await librarian.send_command("/newevent")
    await new_message(librarian)  # what the flow is about
    await new_message(librarian)  # the first question
    kinds = await say(librarian, title)
    await tap(librarian, kinds, kind)
    await say(librarian, day.strftime("%d.%m.%Y"))
    durations = await say(librarian, "11:00")
    repeat = await tap(librarian, durations, "2 год")
    await tap(librarian, repeat, "Ні")
    await say(librarian, "Центральна районна бібліотека, читальна зала")
    await say(librarian, "25")
    await say(librarian, "мешканці громади")
    await say(librarian, PROGRAM)
    reminders = await say(librarian, "Безкоштовно, з власним телефоном")
    preview = await tap(librarian, reminders, "Без нагадувань")
    assert title in preview.text and kind in preview.text, preview.text
    done = await tap(librarian, preview, "Опублікувати")
    assert "Опубліковано" in done.text, done.text


async def mark_attendance(librarian: SimUser, event_id: int, absent: str, *, walk_ins: int) -> None:
    """Everyone registered came, except one; walk-ins counted with the + button."""
    await librarian.send_command(f"/attendance {event_id}")
    sheet = await librarian.next_reply()
    await librarian.press(sheet, text="✅ Усі записані прийшли")
    sheet = await librarian.next_reply()
    while f"✅ {absent}" not in sheet.button_texts:  # eight names a page
        await librarian.press(sheet, text="▶️")
        sheet = await librarian.next_reply()
    await librarian.press(sheet, text=f"✅ {absent}")
    sheet = await librarian.next_reply()
    assert f"❌ {absent}" in sheet.button_texts
    for _ in range(walk_ins):
        await librarian.press(sheet, callback_data=f"wk:{event_id}:ngo_activists:+")
        sheet = await librarian.next_reply()


async def test_the_seed_programme_from_newevent_to_report(
    seed_app: Application,  # type: ignore[type-arg]
    emu: BotApiEmulator,
    db: Database,
    clock: Clock,
) -> None:
    librarian = emu.add_user(first_name="Бібліотекарка", user_id=LIBRARIAN)
    await create_programme(librarian)
    for n, (kind, title, _) in enumerate(PROGRAMME):
        await create_event(librarian, n, kind, title)
    async with db.session() as session:
        events = list((await session.execute(select(Event).order_by(Event.starts_at))).scalars())
        program = (await session.execute(select(Program))).scalar_one()
    assert [e.title for e in events] == [title for _, title, _ in PROGRAMME]
    assert {e.program_id for e in events} == {program.id}  # the name typed picks it
    assert (program.name, program.purpose, program.frame) == (PROGRAM, PURPOSE, FRAME)
    assert (program.starts_on, program.ends_on) == (date(2026, 1, 1), date(2026, 12, 31))
    assert (program.link, program.signer_position, program.signer_name) == (LINK, POSITION, SIGNER)

    # 40 residents of four categories; for each event one more registers than comes.
    people: list[Person] = []
    for i in range(40):
        person = await make_person(db, 5000 + i, now=clock.now, name=f"Мешканка {i:02}")
        async with db.transaction() as session:
            row = await session.get(Person, person.id)
            assert row is not None
            row.category = CATEGORIES[i % 4]
        people.append(person)
    cursor = 0
    absentees: list[str] = []
    trained = Counter({"ngo_activists": WALK_INS})
    for event, (_, _, came) in zip(events, PROGRAMME, strict=True):
        for i in range(came + 1):
            person = people[cursor % len(people)]
            if i < came:
                trained[CATEGORIES[cursor % len(people) % 4]] += 1
            cursor += 1
            async with db.transaction() as session:
                await registration.register(
                    session,
                    event_id=event.id,
                    person_id=person.id,
                    default_reminders=REMINDERS,
                    now=clock.now,
                )
        assert person.full_name is not None
        absentees.append(person.full_name)

    clock.now = datetime(2026, 12, 28, 9, 0, tzinfo=UTC)  # the year is over
    for event, (kind, _, _), absent in zip(events, PROGRAMME, absentees, strict=True):
        walk_ins = WALK_INS if kind == "Інформаційна акція" else 0
        await mark_attendance(librarian, event.id, absent, walk_ins=walk_ins)

    await librarian.send_command("/report 2026")
    text = (await librarian.next_reply()).text
    assert (
        "Проведено 11 заходів: 7 тренінгів, 2 семінари, 1 практичне заняття, "
        "1 інформаційну акцію." in text
    ), text
    assert sum(trained.values()) == 93
    assert (
        "Навчання пройшли 93 особи, серед яких: "
        f"бібліотечні фахівці — {trained['library_specialists']}, "
        f"користувачі бібліотеки — {trained['library_users']}, "
        f"представники влади — {trained['government']}, "
        f"активісти громадських організацій — {trained['ngo_activists']}." in text
    ), text
    assert "Зареєстрованих учасників, кожного враховано один раз: 40." in text
    assert "відвідування не позначено" not in text
    chart = await librarian.next_reply()
    workbook = await librarian.next_reply()
    table = await librarian.next_reply()
    assert chart.photo is not None
    assert workbook.document is not None and workbook.document.file_name.endswith(".xlsx")
    assert table.document is not None and table.document.file_name.endswith(".csv")
