"""The report document: the seed report reproduced from data, planned events apart, the
library's own template and the template's mistakes."""

from __future__ import annotations

import csv
import dataclasses
import io
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from PIL import Image

from bot.config import Config
from bot.exports.report_chart import COLOURS, report_chart
from bot.exports.report_docx import TemplateError, default_template, report_docx
from bot.exports.report_text import report_csv, report_text
from bot.exports.report_xlsx import report_xlsx
from bot.i18n import Catalogs
from bot.services import registration, report
from bot.services.report import Report
from storage.database import Database
from tests import seed_report
from tests.conftest import REMINDERS
from tests.factories import make_event, make_person
from tests.services.test_report import make_program, set_program

UK, EN = Catalogs().get("uk"), Catalogs().get("en")
FIRST_DAY = datetime(2026, 2, 2, 8, tzinfo=UTC)
START, END = datetime(2025, 12, 31, 22, tzinfo=UTC), datetime(2026, 12, 31, 22, tzinfo=UTC)
NOW = datetime(2026, 6, 1, 9, tzinfo=UTC)  # the eleven events are over


@pytest.fixture
def volochysk(config: Config) -> Config:
    return dataclasses.replace(
        config,
        library=dataclasses.replace(
            config.library,
            name=seed_report.LIBRARY,
            name_genitive=seed_report.LIBRARY_GENITIVE,
        ),
    )


async def build(db: Database, *, now: datetime = NOW, program: str | None = None) -> Report:
    async with db.session() as session:
        return await report.build(session, start=START, end=END, now=now, program_name=program)


def paragraphs(data: bytes) -> list[tuple[str, str]]:
    """(style, text) of every paragraph of the document, read back with python-docx."""
    document = Document(io.BytesIO(data))
    return [(p.style.name if p.style else "", p.text) for p in document.paragraphs]


def bullets(data: bytes) -> list[str]:
    return [text for style, text in paragraphs(data) if style == "List Bullet"]


async def test_the_seed_report_as_a_document(db: Database, volochysk: Config) -> None:
    await seed_report.load(db, first_day=FIRST_DAY)
    result = await build(db, program="поінформована громада – демократична КРАЇНА")
    assert (result.held, result.trained) == (11, 93)
    texts = [text for _, text in paragraphs(report_docx(volochysk, UK, result))]
    assert texts[:5] == [
        "Звіт",
        "Волочиської ЦРБ за проектом",
        "«Поінформована громада – демократична країна»",
        seed_report.PURPOSE,
        seed_report.INTRO,
    ]
    assert texts[5:16] == seed_report.LINES  # character for character
    assert texts[16:18] == [seed_report.TOTALS, seed_report.MORE]
    assert texts[-6:] == [
        "",
        "Відповідальна за впровадження",
        "е-урядування у Волочиському районі,",
        "провідний бібліотекар Волочиської ЦРБ",
        "",
        "Задорожна Н.М.",
    ]
    assert seed_report.TOTALS in report_text(volochysk, UK, result)  # the words /report writes


async def test_the_seed_report_in_english(db: Database, volochysk: Config) -> None:
    await seed_report.load(db, first_day=FIRST_DAY)
    result = await build(db, program=seed_report.NAME)
    texts = [text for _, text in paragraphs(report_docx(volochysk, EN, result))]
    assert texts[:3] == [
        "Report",
        "Волочиська ЦРБ on the project",
        "“Поінформована громада – демократична країна”",
    ]
    assert texts[4] == (
        "During the project “Поінформована громада – демократична країна”, "
        f"{seed_report.FRAME}, the following were held:"
    )
    assert texts[5:16] == seed_report.LINES_EN
    assert texts[16] == seed_report.TOTALS_EN
    assert texts[17] == "More about the events held can be found " + seed_report.LINK


async def test_without_a_programme_named_the_only_one_titles_the_document(
    db: Database, volochysk: Config
) -> None:
    ids = await seed_report.load(db, first_day=FIRST_DAY)
    alone = await build(db)
    assert alone.program is not None and alone.program.name == seed_report.NAME
    assert report_text(volochysk, UK, alone).splitlines()[1] == f"Проєкт: {seed_report.NAME}"
    assert bullets(report_docx(volochysk, UK, alone)) == seed_report.LINES

    # An event of another programme in the period: no programme's title block.
    await set_program(db, ids[-1], await make_program(db, "Інша програма"))
    mixed = await build(db)
    assert mixed.program is None and mixed.held == 11
    texts = [text for _, text in paragraphs(report_docx(volochysk, UK, mixed))]
    assert texts[:3] == [
        "Звіт",
        "Волочиської ЦРБ за 01.01.2026 – 31.12.2026",
        "За цей час проведено:",
    ]
    assert texts[3:14] == seed_report.LINES
    assert not any("Задорожна" in text or "Більш детальну" in text for text in texts)


async def test_an_unknown_programme_is_refused_with_the_known_ones(db: Database) -> None:
    await make_program(db, "Цифрова грамотність")
    await make_program(db, "Бібліотека для всіх")
    with pytest.raises(report.UnknownProgramError) as info:
        await build(db, program="Поінформована")
    assert info.value.known == ["Бібліотека для всіх", "Цифрова грамотність"]


async def test_an_event_next_week_is_planned_not_held(db: Database, volochysk: Config) -> None:
    """Not «Проведено 1 захід … 0 осіб»: listed apart, with its registrations so far."""
    event = await make_event(
        db, now=NOW, starts_in=timedelta(days=7), title="Навчаємось вираховувати субсидію"
    )
    for telegram_id in (1, 2):
        person = await make_person(db, telegram_id, now=NOW)
        async with db.transaction() as session:
            await registration.register(
                session,
                event_id=event.id,
                person_id=person.id,
                default_reminders=REMINDERS,
                now=NOW,
            )
    result = await build(db)
    assert (result.held, result.trained, len(result.planned)) == (0, 0, 1)

    text = report_text(volochysk, UK, result)
    assert "Проведено" not in text
    assert "За цей період заходів не проводилося." in text
    assert (
        "Заплановано (ще не відбулися, у підсумки не входять): 1 захід\n"
        "08.06.2026 — Навчаємось вираховувати субсидію: записалися досі: 2"
    ) in text

    rows = list(csv.reader(io.StringIO(report_csv(volochysk, UK, result).decode("utf-8-sig"))))
    assert rows[1:] == [
        [
            "08.06.2026",
            "Навчаємось вираховувати субсидію",
            "Тренінг",
            "2",
            "",
            "",
            "ні",
            "заплановано",
        ]
    ]

    book = load_workbook(io.BytesIO(report_xlsx(volochysk, UK, result)))
    assert book.sheetnames == ["Заходи", "Відвідування", "Підсумки", "Заплановані"]
    assert book["Заходи"].max_row == 1  # the header only
    planned = [tuple(row) for row in book["Заплановані"].iter_rows(values_only=True)]
    assert planned[1][1:] == (
        "Навчаємось вираховувати субсидію",
        "Тренінг",
        None,
        "Читальна зала",
        2,
    )

    image = Image.open(io.BytesIO(report_chart(volochysk, UK, result))).convert("RGB")
    found = image.getcolors(maxcolors=1200 * 700)
    assert found is not None
    seen = Counter({colour: n for n, colour in found})
    assert not any(seen[tuple(int(c[i : i + 2], 16) for i in (1, 3, 5))] for c in COLOURS[:7])

    texts = [text for _, text in paragraphs(report_docx(volochysk, UK, result))]
    assert "За цей період заходів не проводилося." in texts
    assert not [text for text in texts if text.endswith("проведено:")]  # no lead-in to nothing
    assert texts[
        texts.index("Заплановано (ще не відбулися, у підсумки не входять): 1 захід") + 1
    ] == ("08.06.2026 — тренінг «Навчаємось вираховувати субсидію» (записалися досі: 2).")

    # A week later it has happened: held (attendance not marked yet), nothing planned.
    later = await build(db, now=NOW + timedelta(days=8))
    assert (later.held, later.planned) == (1, [])


async def test_planned_events_of_the_programme_stay_out_of_the_totals(
    db: Database, volochysk: Config
) -> None:
    await seed_report.load(db, first_day=FIRST_DAY)
    result = await build(db, now=FIRST_DAY + timedelta(days=7 * 3, hours=1))  # four held
    assert (result.held, len(result.planned)) == (4, 7)
    assert result.trained == sum(sum(came) for came in seed_report.CAME[:4])
    lines = bullets(report_docx(volochysk, UK, result))
    assert lines[:4] == [*seed_report.LINES[:3], seed_report.LINES[3][:-1] + "."]
    assert len(lines) == 11 and lines[4].endswith("(записалися досі: 0);")


async def test_the_librarys_own_template(db: Database, volochysk: Config, tmp_path: Path) -> None:
    await seed_report.load(db, first_day=FIRST_DAY)
    own = Document()
    own.add_paragraph(
        "ЛИСТ {{ library_genitive }}: {{ programme_name }}, {{ held }} / {{ trained }}"
    )
    own.add_paragraph("{%p for line in lines %}")
    own.add_paragraph("• {{ line }}")
    own.add_paragraph("{%p endfor %}")
    path = tmp_path / "наш-звіт.docx"
    own.save(str(path))
    texts = [t for _, t in paragraphs(report_docx(volochysk, UK, await build(db), path))]
    assert texts[0] == f"ЛИСТ Волочиської ЦРБ: {seed_report.NAME}, 11 / 93"
    assert texts[1:] == [f"• {line}" for line in seed_report.LINES]


def test_the_shipped_template_is_the_one_the_tool_builds() -> None:
    from tools.make_report_template import build as build_template

    assert default_template() == build_template()


def broken(tmp_path: Path, paragraph: str) -> Path:
    document = Document()
    document.add_paragraph(paragraph)
    path = tmp_path / "шаблон.docx"
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda tmp: tmp / "немає.docx", "file not found"),
        (
            lambda tmp: (tmp / "лист.docx").write_text("привіт") and tmp / "лист.docx",
            "not a DOCX document",
        ),
        (lambda tmp: broken(tmp, "Звіт {{ library "), "mistake in a {{ }} or {% %} tag"),
        (lambda tmp: broken(tmp, "{%p for line in lines %}"), "mistake in a {{ }} or {% %} tag"),
        (lambda tmp: broken(tmp, "Звіт {{ libary_genitive }}"), "'libary_genitive' is undefined"),
    ],
)
def test_a_template_with_a_mistake_is_one_line_naming_it(
    tmp_path: Path, config: Config, make: object, problem: str
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    empty = Report(START, END, None, {}, {}, 0, [])
    with pytest.raises(TemplateError) as info:
        report_docx(config, UK, empty, path)
    message = str(info.value)
    assert "\n" not in message and problem in message and str(path) in message, message
