"""The report by branch: a per-branch table counted in SQL whose rows sum to the totals,
and a report of one branch that counts only that branch's events."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from openpyxl import load_workbook
from PIL import Image

from bot.config import Config
from bot.exports.report_chart import COLOURS, report_chart
from bot.exports.report_docx import report_docx
from bot.exports.report_text import report_csv, report_file_name, report_text
from bot.exports.report_xlsx import report_xlsx
from bot.i18n import Catalogs
from bot.services import report
from storage.database import Database
from tests.seed_branches import BRANCHES, seed, with_branches
from tests.services.test_report_files import rgb
from tests.services.test_staff_events import statements

NOW = datetime(2026, 6, 30, 12, tzinfo=UTC)
KYIV = ZoneInfo("Europe/Kyiv")
START, END = datetime(2026, 1, 1, tzinfo=KYIV), datetime(2027, 1, 1, tzinfo=KYIV)
KEYS = [b.key for b in BRANCHES]
UK = Catalogs().get("uk")


async def build(db: Database, **kwargs: object) -> report.Report:
    async with db.session() as session:
        return await report.build(session, start=START, end=END, now=NOW, **kwargs)  # type: ignore[arg-type]


def total(counters: dict[str | None, Counter[str]]) -> Counter[str]:
    return sum(counters.values(), Counter())


async def test_the_per_branch_table_counts_each_branch_in_sql_and_sums_to_the_totals(
    db: Database,
) -> None:
    expected = await seed(db, now=NOW)
    async with db.session() as session:
        with statements(db) as plain:
            without = await report.build(session, start=START, end=END, now=NOW)
        with statements(db) as seen:
            result = await report.build(session, start=START, end=END, now=NOW, branches=KEYS)
    # Two statements more, each grouped by the event's branch in SQL.
    assert len(seen) == len(plain) + 2
    assert sum("GROUP BY event.branch_key" in s for s in seen) == 2
    assert without.branches == []

    # Every configured branch in the configuration's order (the one with no events too),
    # then the events of no branch.
    assert [row.key for row in result.branches] == ["central", "verbivka", "zhytnyky", None]
    rows = {row.key: row for row in result.branches}
    assert rows["central"].by_kind == {"training": 1, "seminar": 1}
    assert rows["verbivka"].by_kind == {"training": 2}  # one of them not marked
    assert rows["zhytnyky"].by_kind == {} and rows["zhytnyky"].by_category == {}
    assert rows[None].by_kind == {"campaign": 1}
    for key in ("central", "verbivka", None):
        assert rows[key].by_kind == dict(expected.by_kind[key])
        assert rows[key].by_category == {k: n for k, n in expected.by_category[key].items() if n}
    assert (rows["central"].trained, rows["verbivka"].trained, rows[None].trained) == (7, 3, 4)

    # The totals are the sums of the branches' rows.
    assert result.held == sum(row.held for row in result.branches) == 5
    assert result.trained == sum(row.trained for row in result.branches) == 14
    assert result.by_kind == dict(sum((Counter(r.by_kind) for r in result.branches), Counter()))
    assert result.trained_by_category == dict(
        sum((Counter(r.by_category) for r in result.branches), Counter())
    )
    assert result.trained_by_category == dict(total(expected.by_category))
    # One resident came to a central and a village event: counted once.
    assert result.distinct_people == len(set().union(*expected.people.values())) == 7


async def test_a_report_of_one_branch_counts_only_that_branchs_events(db: Database) -> None:
    expected = await seed(db, now=NOW)
    central = await build(db, branch="central", branches=KEYS)
    village = await build(db, branch="verbivka", branches=KEYS)
    empty = await build(db, branch="zhytnyky", branches=KEYS)

    assert central.branch == "central" and central.branches == []
    assert [e.event_id for e in central.events] == expected.events["central"]
    assert central.planned == []  # the planned event is the village's
    assert central.by_kind == {"training": 1, "seminar": 1}
    assert central.trained_by_category == dict(expected.by_category["central"])
    assert central.distinct_people == len(expected.people["central"]) == 5
    assert sum(central.by_event_category.values()) == central.trained == 7
    assert list(central.feedback) == expected.events["central"][:1]  # the training's answer
    assert central.comments == []

    assert [e.event_id for e in village.events] == expected.events["verbivka"]
    assert [e.event_id for e in village.planned] == expected.planned["verbivka"]
    assert village.by_kind == {"training": 2}
    assert village.trained == 3 and village.distinct_people == 2
    assert [comment for _, _, comment in village.comments] == ["Добре"]
    assert village.feedback_overall.average == 3

    assert (empty.held, empty.trained, empty.events, empty.planned) == (0, 0, [], [])


async def test_an_unknown_branch_is_refused_with_the_known_ones(db: Database) -> None:
    with pytest.raises(report.UnknownBranchError) as raised:
        await build(db, branch="nowhere", branches=KEYS)
    assert raised.value.known == KEYS
    with pytest.raises(report.UnknownBranchError):  # no branches configured at all
        await build(db, branch="central")


async def test_the_files_add_the_branch_table_and_its_rows_sum_to_the_totals(
    db: Database, config: Config
) -> None:
    """Read back from the real files: the XLSX with openpyxl, the DOCX with python-docx."""
    await seed(db, now=NOW)
    config = with_branches(config)
    result = await build(db, branches=KEYS)

    text = report_text(config, UK, result)
    assert (
        "За філіями:\n"
        "Центральна бібліотека: проведено 2 заходи (1 тренінг, 1 семінар); навчання пройшли 7 осіб "
        "(користувачі бібліотеки — 3, представники влади — 1, активісти громадських "
        "організацій — 1, внутрішньо переміщені особи — 2).\n"
        "Вербівська сільська бібліотека: проведено 2 заходи (2 тренінги); навчання пройшли 3 особи "
        "(користувачі бібліотеки — 1, представники влади — 1, інше — 1).\n"
        "Житниківська бібліотека: заходів не проведено.\n"
        "Бібліотека загалом: проведено 1 захід (1 інформаційну акцію); навчання пройшли 4 особи "
        "(користувачі бібліотеки — 1, представники влади — 3).\n"
    ) in text
    assert "Проведено 5 заходів: 3 тренінги, 1 семінар, 1 інформаційну акцію." in text

    book = load_workbook(io.BytesIO(report_xlsx(config, UK, result)))
    assert book.sheetnames[:4] == ["Заходи", "Відвідування", "Підсумки", "Філії"]
    sheet = [[c.value for c in row] for row in book["Філії"].iter_rows()]
    header, *branch_rows, totals = sheet
    assert header[0] == "Філія" and header[-1] == "Відвідали" and totals[0] == "Усього"
    assert [row[0] for row in branch_rows] == [
        "Центральна бібліотека",
        "Вербівська сільська бібліотека",
        "Житниківська бібліотека",
        "Бібліотека загалом",
    ]
    for column in range(1, len(header)):
        assert totals[column] == sum(row[column] for row in branch_rows), header[column]
    held = header.index("Проведено заходів")
    assert (totals[held], totals[-1]) == (5, 14)
    assert [row[held] for row in branch_rows] == [2, 2, 0, 1]
    # The same totals as the Totals sheet's.
    totals_sheet = [[c.value for c in row] for row in book["Підсумки"].iter_rows()]
    assert ["Усього", 5, 14] in [row[:3] for row in totals_sheet]
    events = [[c.value for c in row] for row in book["Заходи"].iter_rows()]
    assert events[0][-1] == "Філія"
    assert Counter(row[-1] for row in events[1:]) == {
        "Центральна бібліотека": 2,
        "Вербівська сільська бібліотека": 2,
        "Бібліотека загалом": 1,
    }

    document = Document(io.BytesIO(report_docx(config, UK, result)))
    (table,) = document.tables
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    header, *branch_rows, totals = cells
    assert header[:2] == ["Філія", "Проведено заходів"] and header[-1] == "Відвідали"
    assert [row[0] for row in branch_rows] == [
        "Центральна бібліотека",
        "Вербівська сільська бібліотека",
        "Житниківська бібліотека",
        "Бібліотека загалом",
    ]
    for column in range(1, len(header)):
        assert int(totals[column]) == sum(int(row[column]) for row in branch_rows)
    assert (totals[0], totals[1], totals[-1]) == ("Усього", "5", "14")
    paragraphs = [p.text for p in document.paragraphs]
    assert "За філіями:" in paragraphs
    # The table follows the totals paragraph.
    body = [child.tag.rsplit("}", 1)[1] for child in document.element.body]
    totals_at = paragraphs.index("За філіями:")
    assert body[totals_at + 1] == "tbl"

    rows = list(csv.reader(io.StringIO(report_csv(config, UK, result).decode("utf-8-sig"))))
    assert rows[0][-1] == "Філія"
    assert [row[-1] for row in rows[1:]].count("Житниківська бібліотека") == 0
    assert [row[-1] for row in rows[1:]].count("Бібліотека загалом") == 1
    assert [row[-1] for row in rows[1:]].count("Вербівська сільська бібліотека") == 3  # planned too


async def test_the_files_of_one_branch_name_it_and_have_no_branch_table(
    db: Database, config: Config
) -> None:
    await seed(db, now=NOW)
    config = with_branches(config)
    result = await build(db, branch="verbivka", branches=KEYS)

    text = report_text(config, UK, result)
    assert "Філія: Вербівська сільська бібліотека\n" in text
    assert "За філіями" not in text
    assert "Проведено 2 заходи: 2 тренінги. Навчання пройшли 3 особи" in text
    assert report_file_name(config, result, "xlsx") == "report_2026-01-01_2026-12-31_verbivka.xlsx"
    book = load_workbook(io.BytesIO(report_xlsx(config, UK, result)))
    assert "Філії" not in book.sheetnames
    assert book["Заходи"].cell(1, book["Заходи"].max_column).value != "Філія"
    assert book["Підсумки"].cell(2, 1).value == "Філія: Вербівська сільська бібліотека"
    document = Document(io.BytesIO(report_docx(config, UK, result)))
    assert document.tables == []
    assert "Філія: Вербівська сільська бібліотека" in [p.text for p in document.paragraphs]
    rows = list(csv.reader(io.StringIO(report_csv(config, UK, result).decode("utf-8-sig"))))
    assert rows[0][-1] == "Статус"


async def test_without_branches_configured_the_files_have_no_branch_table(
    db: Database, config: Config
) -> None:
    await seed(db, now=NOW)
    result = await build(db)  # no branches configured: as before
    assert result.branches == [] and result.branch is None
    text = report_text(config, UK, result)
    assert "філі" not in text.casefold() and "Бібліотека загалом" not in text
    book = load_workbook(io.BytesIO(report_xlsx(config, UK, result)))
    assert book.sheetnames == ["Заходи", "Відвідування", "Підсумки", "Заплановані", "Відгуки"]
    assert Document(io.BytesIO(report_docx(config, UK, result))).tables == []
    assert report_file_name(config, result, "csv") == "report_2026-01-01_2026-12-31.csv"


async def test_the_chart_of_all_branches_adds_a_bar_per_branch(
    db: Database, config: Config
) -> None:
    await seed(db, now=NOW)
    branches = with_branches(config)
    plain = report_chart(branches, UK, await build(db))
    split = report_chart(branches, UK, await build(db, branches=KEYS))
    image = Image.open(io.BytesIO(split))
    assert (image.format, image.size) == ("PNG", (1200, 700))
    assert split != plain  # the panel of branches is drawn under the kinds
    seen = image.convert("RGB").getcolors(maxcolors=1200 * 700)
    assert seen is not None
    colours = {colour for _, colour in seen}
    # Every category that came has its colour (five of them: see the text above).
    assert {rgb(c) for c in COLOURS[:5]} <= colours
