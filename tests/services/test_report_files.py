"""The report's attachments: the XLSX workbook read back, the PNG chart opened as an image."""

from __future__ import annotations

import io
import warnings
from collections import Counter
from datetime import date, datetime, timedelta

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from PIL import Image

from bot.config import Config
from bot.exports.report_chart import COLOURS, report_chart
from bot.exports.report_xlsx import report_xlsx
from bot.i18n import Catalogs
from bot.services import attendance, registration, report
from bot.services.report import Report
from storage.database import Database
from storage.models import Event, Person
from tests.conftest import REMINDERS
from tests.factories import make_event, make_person
from tests.services.test_report import (
    CAME,
    CATEGORIES,
    KINDS,
    PROGRAM,
    YEAR_START,
    make_program,
    seed,
    set_program,
)

UK = Catalogs().get("uk")
NEXT_YEAR = YEAR_START.replace(year=2027)


async def build(db: Database, program: str | None = None) -> Report:
    async with db.session() as session:
        return await report.build(
            session, start=YEAR_START, end=NEXT_YEAR, now=NEXT_YEAR, program_name=program
        )


def kind_name(config: Config, key: str) -> str:
    kind = config.event_kind(key)
    assert kind is not None
    return kind.name("uk")


def rows(sheet: Worksheet) -> list[tuple[object, ...]]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


async def test_attendance_is_counted_per_event_and_per_kind_by_category(db: Database) -> None:
    created = YEAR_START
    training = await make_event(db, now=created, starts_in=timedelta(days=10), kind="training")
    seminar = await make_event(db, now=created, starts_in=timedelta(days=20), kind="seminar")
    cancelled = await make_event(db, now=created, starts_in=timedelta(days=30))
    anonymous = await make_person(db, 1, now=created)
    known = await make_person(db, 2, now=created)
    async with db.transaction() as session:
        row = await session.get(Person, anonymous.id)
        assert row is not None
        row.category = None  # never answered: counted as "other", as in the text
    for event in (training, seminar, cancelled):
        for person in (anonymous, known):
            async with db.transaction() as session:
                await registration.register(
                    session,
                    event_id=event.id,
                    person_id=person.id,
                    default_reminders=REMINDERS,
                    now=created,
                )
        async with db.transaction() as session:
            await attendance.everyone_came(session, event_id=event.id)
            await attendance.add_walk_ins(session, event_id=event.id, category="idp", delta=3)
    async with db.transaction() as session:
        await attendance.mark(session, event_id=seminar.id, person_id=known.id, came=False)
        await attendance.add_walk_ins(session, event_id=seminar.id, category="government", delta=1)
        await attendance.add_walk_ins(session, event_id=seminar.id, category="government", delta=-1)
        row = await session.get(Event, cancelled.id)
        assert row is not None
        row.status = "cancelled"

    result = await build(db)
    assert result.by_event_category == {
        (training.id, "other"): 1,
        (training.id, "library_users"): 1,
        (training.id, "idp"): 3,
        (seminar.id, "other"): 1,
        (seminar.id, "idp"): 3,
    }
    assert result.by_kind_category == {
        ("training", "other"): 1,
        ("training", "library_users"): 1,
        ("training", "idp"): 3,
        ("seminar", "other"): 1,
        ("seminar", "idp"): 3,
    }
    assert sum(result.by_kind_category.values()) == result.trained == 9


async def test_the_workbook_holds_the_reports_figures(db: Database, config: Config) -> None:
    expected, attendees = await seed(db)
    result = await build(db, PROGRAM)
    book = load_workbook(io.BytesIO(report_xlsx(config, UK, result)))
    assert book.sheetnames == ["Заходи", "Відвідування", "Підсумки"]
    events, visits, totals = (book[name] for name in book.sheetnames)

    header, *lines = rows(events)
    assert header == (
        "Дата",
        "Захід",
        "Вид",
        "Проєкт",
        "Місце",
        "Записалися",
        "Прийшли",
        "Без реєстрації",
        "Усього прийшли",
        "Відвідування позначено",
    )
    assert len(lines) == 11
    tz = config.library.timezone
    for line, event in zip(lines, result.events, strict=True):
        assert line == (
            datetime.combine(event.starts_at.astimezone(tz).date(), datetime.min.time()),
            event.title,
            kind_name(config, event.kind),
            PROGRAM,
            "Читальна зала",
            event.registered,
            event.came,
            event.walk_ins,
            event.came + event.walk_ins,
            "так",
        )
    assert events["A2"].is_date and events["A2"].number_format == "DD.MM.YYYY"
    assert events["A1"].font.bold and events.freeze_panes == "A2"
    assert 20 <= events.column_dimensions["D"].width <= 60  # the project name fits
    assert (lines[-2][2], lines[-1][2]) == ("Практичне заняття", "Інформаційна акція")

    header, *lines = rows(visits)
    labels = header[2:-1]
    assert labels[:4] == (
        "Бібліотечні фахівці",
        "Користувачі бібліотеки",
        "Представники влади",
        "Активісти громадських організацій",
    )
    assert header[-1] == "Усього"
    column_sums = [sum(line[2 + i] for line in lines) for i in range(len(labels))]  # type: ignore[misc]
    assert column_sums == [expected[c] for c in CATEGORIES] + [0, 0]  # IDPs and other: none
    for line, event in zip(lines, result.events, strict=True):
        assert sum(line[2:-1]) == line[-1] == event.came + event.walk_ins  # type: ignore[arg-type]

    table = rows(totals)
    assert table[:2] == [
        ("Звіт за 01.01.2026 – 31.12.2026", None, None),
        (f"Проєкт: {PROGRAM}", None, None),
    ]
    kinds = table[table.index(("Вид заходу", "Проведено заходів", "Відвідали")) + 1 :][:5]
    assert kinds == [
        ("Тренінг", 7, sum(CAME[:7])),
        ("Семінар", 2, CAME[7] + CAME[8]),
        ("Практичне заняття", 1, CAME[9]),
        ("Інформаційна акція", 1, CAME[10] + 5),  # with its walk-ins
        ("Усього", 11, 93),
    ]
    assert [n for _, n, _ in kinds[:4]] == list(Counter(KINDS).values())
    categories = table[table.index(("Категорія учасників", "Відвідали", None)) + 1 :][:5]
    assert [n for _, n, _ in categories] == [expected[c] for c in CATEGORIES] + [93]
    assert table[-1] == (
        "Зареєстрованих учасників, кожного враховано один раз",
        len(attendees),
        None,
    )


async def test_a_title_that_looks_like_a_formula_stays_text(db: Database, config: Config) -> None:
    titles = ['=HYPERLINK("http://evil.example","click")', "#N/A", "-1+2", "Звичайний\x07 захід"]
    for days, title in enumerate(titles, start=10):
        await make_event(db, now=YEAR_START, starts_in=timedelta(days=days), title=title)
    book = load_workbook(io.BytesIO(report_xlsx(config, UK, await build(db))))
    cells = [book["Заходи"].cell(row, 2) for row in range(2, 6)]
    assert [c.value for c in cells] == [*titles[:3], "Звичайний захід"]  # a control character
    assert {c.data_type for c in cells} == {"s"}  # never "f" (formula) or "e" (error)
    assert [c.quotePrefix for c in cells] == [True, False, True, False]
    unmarked = rows(book["Відвідування"])[1]
    assert unmarked[2:] == (None,) * (len(unmarked) - 2)  # not marked is not zero


async def test_english_headers_for_english_staff(db: Database, config: Config) -> None:
    await make_event(db, now=YEAR_START, starts_in=timedelta(days=10))
    book = load_workbook(io.BytesIO(report_xlsx(config, Catalogs().get("en"), await build(db))))
    assert book.sheetnames == ["Events", "Attendance", "Totals"]
    assert rows(book["Events"])[1][2:10] == (
        "Training",
        None,
        "Читальна зала",
        0,
        None,
        None,
        None,
        "no",
    )


def colours(png: bytes) -> Counter[tuple[int, int, int]]:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (1200, 700)
    found = image.convert("RGB").getcolors(maxcolors=1200 * 700)
    assert found is not None
    return Counter({colour: n for n, colour in found})


def rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


async def test_the_chart_is_a_png_with_a_bar_colour_per_category(
    db: Database, config: Config
) -> None:
    await seed(db)
    result = await build(db, PROGRAM)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing Cyrillic glyph would warn
        png = report_chart(config, UK, result)
    seen = colours(png)
    assert seen.most_common(1)[0][0] == (255, 255, 255)  # a white background
    bars = [rgb(c) for c in COLOURS[:4]]  # four categories came
    assert all(seen[colour] > 1000 for colour in bars)
    assert seen[rgb(COLOURS[4])] == 0  # nobody of the fifth category


async def test_an_empty_or_unmarked_report_still_draws_a_chart(
    db: Database, config: Config
) -> None:
    empty = colours(report_chart(config, UK, await build(db)))
    await make_event(db, now=YEAR_START, starts_in=timedelta(days=10))
    unmarked = colours(report_chart(config, UK, await build(db)))
    for seen in (empty, unmarked):
        assert len(seen) > 10  # text, antialiased: not a blank image
        assert not any(seen[rgb(c)] for c in COLOURS[:7])  # and no bars (the rest are grey)


async def test_past_years_and_other_projects_stay_out_of_the_files(
    db: Database, config: Config
) -> None:
    await make_event(db, now=YEAR_START - timedelta(days=30), starts_in=timedelta(days=1))
    kept = await make_event(db, now=YEAR_START, starts_in=timedelta(days=1), title="Цей рік")
    await set_program(db, kept.id, await make_program(db))
    book = load_workbook(io.BytesIO(report_xlsx(config, UK, await build(db, PROGRAM))))
    assert [line[1] for line in rows(book["Заходи"])[1:]] == ["Цей рік"]
    assert date(2026, 1, 2) == rows(book["Заходи"])[1][0].date()  # type: ignore[union-attr]
