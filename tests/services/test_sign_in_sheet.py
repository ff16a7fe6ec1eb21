"""The sign-in sheet: what the query puts on it, and the DOCX and PDF read back."""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import docx
import pytest
import sqlalchemy
from docx.oxml.ns import qn
from docx.shared import Mm
from fpdf import FPDF
from pypdf import PageObject, PdfReader

from bot.config import Config, DocumentsConfig
from bot.domain.errors import EventNotFoundError
from bot.exports import sign_in_sheet
from bot.exports.sign_in_sheet import MARGIN, Sheet, font_files
from bot.i18n import Catalogs
from bot.services import phone_registrants, registration, sign_in
from bot.services.event_admin import EventCancelledError, cancel_event
from bot.services.sign_in import SheetPerson, SignInSheet
from storage.database import Database
from storage.models import Event, Person, Program
from tests.conftest import REMINDERS
from tests.factories import LIBRARIAN, make_event, make_person

UK = Catalogs().get("uk")
EN = Catalogs().get("en")
# 3 December 2026, 14:00–16:00 in Kyiv.
STARTS = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
CREATED = STARTS - timedelta(days=20)
PROGRAMME = "Бібліотека — простір цифрових можливостей"
LONG_NAME = (
    "Олександра-Марія Костянтинівна Кирилюк-Вишневецька-Долгорукова "
    "Святославівна-Ярославівна Вишнепольська-Оберемко Тарасенко-Коваленко-Шевчишин Мирослава"
)
POINTS_PER_MM = 72 / 25.4


async def _event(
    db: Database, *, capacity: int | None = 4, program: str | None = PROGRAMME
) -> Event:
    event = await make_event(
        db, now=CREATED, starts_in=STARTS - CREATED, capacity=capacity, title="Цифрова грамотність"
    )
    async with db.transaction() as session:
        row = await session.get(Event, event.id)
        assert row is not None
        row.ends_at = STARTS + timedelta(hours=2)
        if program is not None:
            programme = Program(name=program, created_at=CREATED)
            session.add(programme)
            await session.flush()
            row.program_id = programme.id
    return event


async def _phoned(db: Database, name: str, phone: str) -> Person:
    """A resident who phoned: written down by staff, no Telegram (built directly here)."""
    async with db.transaction() as session:
        person = Person(
            telegram_id=None,
            full_name=name,
            phone=phone,
            category="idp",
            created_at=CREATED,
            added_by=LIBRARIAN,
        )
        session.add(person)
    return person


async def _seat(db: Database, event: Event, person: Person, minutes: int) -> None:
    async with db.transaction() as session:
        await registration.register(
            session,
            event_id=event.id,
            person_id=person.id,
            default_reminders=REMINDERS,
            now=CREATED + timedelta(minutes=minutes),
        )


async def _sheet(db: Database, event: Event) -> SignInSheet:
    async with db.session() as session:
        return await sign_in.sheet(session, event_id=event.id)


async def _scene(db: Database) -> tuple[Event, SignInSheet]:
    """4 seats: Андрій, Віра, Ганна (phoned), Дмитро; Євген waits; Віра cancels, so Євген
    is promoted; Жанна waits."""
    event = await _event(db)
    names = [
        "Андрій Бондар",
        "Віра Гнатюк",
        "Ганна Дорош",
        "Дмитро Єрмак",
        "Євген Жук",
        "Жанна Зуб",
    ]
    people = []
    for i, name in enumerate(names):
        if name == "Ганна Дорош":
            person = await _phoned(db, name, "+380501112233")
        else:
            person = await make_person(db, 900 + i, now=CREATED, name=name)
        people.append(person)
    for minutes, person in enumerate(people[:5], start=1):
        await _seat(db, event, person, minutes)
    async with db.transaction() as session:
        await registration.cancel(
            session,
            event_id=event.id,
            person_id=people[1].id,
            default_reminders=REMINDERS,
            now=CREATED + timedelta(minutes=10),
        )
    await _seat(db, event, people[5], 11)
    return event, await _sheet(db, event)


async def test_the_sheet_lists_the_seated_in_registration_order_with_the_programme(
    db: Database,
) -> None:
    _, facts = await _scene(db)
    assert facts.event.program == PROGRAMME
    assert (facts.event.title, facts.event.place) == ("Цифрова грамотність", "Читальна зала")
    assert [(p.name, p.without_telegram) for p in facts.people] == [
        ("Андрій Бондар", False),
        ("Ганна Дорош", True),
        ("Дмитро Єрмак", False),
        ("Євген Жук", False),  # promoted from the waiting list; Жанна still waits
    ]
    assert facts.people[1].phone == "+380501112233"


async def test_someone_who_phoned_and_was_deleted_is_not_marked_without_telegram(
    db: Database,
) -> None:
    """Their data deleted after the event began: the seat stays, without a name, and
    without the «no Telegram» mark (the one rule of storage.phone_registrants)."""
    event, facts = await _scene(db)
    ganna = facts.people[1]
    async with db.session() as session:
        person = (
            await session.execute(sqlalchemy.select(Person).where(Person.full_name == ganna.name))
        ).scalar_one()
    async with db.transaction() as session:
        await phone_registrants.forget(
            session,
            person_id=person.id,
            default_reminders=REMINDERS,
            now=STARTS + timedelta(minutes=5),
        )
    facts = await _sheet(db, event)
    assert [(p.name, p.without_telegram) for p in facts.people][1] == (None, False)
    assert facts.people[1].phone is None


async def test_an_event_without_a_programme_has_none_and_a_cancelled_one_has_no_sheet(
    db: Database,
) -> None:
    event = await _event(db, program=None)
    facts = await _sheet(db, event)
    assert facts.event.program is None and facts.people == []
    async with db.transaction() as session:
        await cancel_event(session, event.id, now=CREATED)
    with pytest.raises(EventCancelledError):
        await _sheet(db, event)
    with pytest.raises(EventNotFoundError):
        async with db.session() as session:
            await sign_in.sheet(session, event_id=event.id + 1000)


def _with(config: Config, *, phones: bool = False, blank: int = 10) -> Config:
    return dataclasses.replace(
        config, documents=DocumentsConfig(sign_in_phones=phones, sign_in_blank_rows=blank)
    )


def _docx(config: Config, facts: SignInSheet, language: str = "uk") -> docx.document.Document:
    tr = UK if language == "uk" else EN
    content = sign_in_sheet.sheet(config, tr, facts.event, facts.people)
    return docx.Document(io.BytesIO(sign_in_sheet.render_docx(content)))


async def test_the_docx_has_the_facts_a_repeating_header_the_people_and_blank_lines(
    db: Database, config: Config
) -> None:
    _, facts = await _scene(db)
    document = _docx(_with(config), facts)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # type: ignore[union-attr]
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs == [
        config.library.name,
        "РЕЄСТРАЦІЙНИЙ ЛИСТ",
        f"Проєкт: {PROGRAMME}",
        "Захід: Цифрова грамотність",
        "Дата: 03.12.2026",
        "Час: 14:00–16:00",
        "Місце: Читальна зала",
    ]
    (table,) = document.tables
    header, *rows = table.rows
    assert [c.text for c in header.cells] == ["№", "ПІБ", "Категорія", "Підпис"]
    repeat = header._tr.trPr.find(qn("w:tblHeader"))
    assert repeat is not None and repeat.get(qn("w:val")) == "true"
    assert all(r._tr.trPr is None or r._tr.trPr.find(qn("w:tblHeader")) is None for r in rows)
    cells = [[c.text for c in r.cells] for r in rows]
    assert cells[:4] == [
        ["1", "Андрій Бондар", "Користувачі бібліотеки", ""],
        ["2", "Ганна Дорош", "Внутрішньо переміщені особи\n(без Telegram)", ""],
        ["3", "Дмитро Єрмак", "Користувачі бібліотеки", ""],
        ["4", "Євген Жук", "Користувачі бібліотеки", ""],
    ]
    assert cells[4:] == [[str(n), "", "", ""] for n in range(5, 15)]  # 10 blank lines
    assert "+380501112233" not in "".join(c.text for r in rows for c in r.cells)
    assert all(
        abs(c.width - Mm(w)) < Mm(1) for c, w in zip(header.cells, (10, 70, 50, 50), strict=True)
    )  # type: ignore[operator]


async def test_the_phone_column_is_there_only_when_the_config_says_so(
    db: Database, config: Config
) -> None:
    _, facts = await _scene(db)
    (table,) = _docx(_with(config, phones=True, blank=0), facts).tables
    header, *rows = table.rows
    assert [c.text for c in header.cells] == ["№", "ПІБ", "Категорія", "Телефон", "Підпис"]
    assert [r.cells[3].text for r in rows] == ["", "+380501112233", "", ""]  # no blank lines


async def test_english_staff_get_english_labels(db: Database, config: Config) -> None:
    _, facts = await _scene(db)
    document = _docx(_with(config, blank=1), facts, language="en")
    assert [p.text for p in document.paragraphs][1:4] == [
        "SIGN-IN SHEET",
        f"Programme: {PROGRAMME}",
        "Event: Цифрова грамотність",
    ]
    header, *rows = document.tables[0].rows
    assert [c.text for c in header.cells] == ["No.", "Full name", "Category", "Signature"]
    assert rows[1].cells[2].text == "Internally displaced persons\n(no Telegram)"
    assert [c.text for c in rows[-1].cells] == ["5", "", "", ""]


# --- the PDF, read back ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Drawn:
    """A piece of text as drawn on a page, in points from the bottom left."""

    text: str
    x: float
    y: float
    width: float


class _Widths:
    """The width a text takes in the sheet's own fonts (fpdf2's metrics)."""

    def __init__(self) -> None:
        regular, bold = font_files()
        self.pdf = FPDF(unit="pt")
        self.pdf.add_font("DejaVu", "", str(regular))
        self.pdf.add_font("DejaVu", "B", str(bold))

    def __call__(self, text: str, base_font: str, size: float) -> float:
        self.pdf.set_font("DejaVu", "B" if "Bold" in base_font else "", size)
        return float(self.pdf.get_string_width(text))


def _drawn(page: PageObject, widths: _Widths) -> list[Drawn]:
    found: list[Drawn] = []

    def visit(
        text: str, cm: Sequence[float], tm: Sequence[float], font: object, size: float
    ) -> None:
        if not text.strip() or not isinstance(font, dict):
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        found.append(Drawn(text, x, y, widths(text, str(font["/BaseFont"]), size * tm[0])))

    page.extract_text(visitor_text=visit)
    return found


def _pdf(config: Config, facts: SignInSheet) -> tuple[Sheet, PdfReader]:
    content = sign_in_sheet.sheet(config, UK, facts.event, facts.people)
    return content, PdfReader(io.BytesIO(sign_in_sheet.render_pdf(content)))


async def test_a_long_list_runs_over_pages_each_with_the_header_row(
    db: Database, config: Config
) -> None:
    event = await _event(db, capacity=None)
    for i in range(60):
        person = await make_person(db, 1000 + i, now=CREATED, name=f"Учасник {i + 1:02d}")
        await _seat(db, event, person, i)
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event_listener = sqlalchemy.event
    event_listener.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        facts = await _sheet(db, event)
    finally:
        event_listener.remove(db.engine.sync_engine, "before_cursor_execute", record)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 2, selects  # the header facts, the people: however many
    content, reader = _pdf(_with(config), facts)
    assert content.registered == 60 and len(content.rows) == 70
    assert len(reader.pages) > 1
    widths = _Widths()
    seen: list[str] = []
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            (595.28, 841.89), abs=0.1
        )
        drawn = _drawn(page, widths)
        top = max(d.y for d in drawn if d.text.strip() in ("№", "ПІБ", "Категорія", "Підпис"))
        # The header row, its four cells on one line, above every name on the page.
        header = sorted((d for d in drawn if abs(d.y - top) < 0.5), key=lambda d: d.x)
        assert [d.text.strip() for d in header] == ["№", "ПІБ", "Категорія", "Підпис"]
        names = [d for d in drawn if d.text.strip().startswith("Учасник")]
        assert all(d.y < top for d in names)
        seen += [d.text.strip() for d in sorted(names, key=lambda d: -d.y)]
    assert seen == [f"Учасник {i:02d}" for i in range(1, 61)]  # each once, in order
    assert "70" in reader.pages[-1].extract_text().split()  # the last blank line's number


async def test_a_long_name_wraps_inside_its_cell_and_nothing_passes_the_margin(
    db: Database, config: Config
) -> None:
    """Names typed in Telegram stop at 100 characters; the layout copes with more."""
    assert len(LONG_NAME) == 150
    event = await _event(db)
    facts = dataclasses.replace(
        await _sheet(db, event),
        people=[
            SheetPerson(name, "library_users", "+380501112233", False)
            for name in ("Андрій Бондар", LONG_NAME, "Віра Гнатюк")
        ],
    )
    content, reader = _pdf(_with(config, phones=True), facts)
    widths = _Widths()
    drawn = [d for page in reader.pages for d in _drawn(page, widths)]
    right_margin = 595.28 - MARGIN * POINTS_PER_MM
    for piece in drawn:
        assert piece.x + piece.width <= right_margin + 0.5, piece
    # Every piece of the table stays inside its column (a name spilling over would not).
    edges = [MARGIN * POINTS_PER_MM]
    for width in content.widths:
        edges.append(edges[-1] + width * POINTS_PER_MM)
    table_top = max(d.y for d in drawn if d.text.strip() == "ПІБ") + 1
    for piece in (d for d in drawn if d.y <= table_top):
        column = max(i for i, edge in enumerate(edges[:-1]) if piece.x >= edge - 0.5)
        assert piece.x + piece.width <= edges[column + 1] + 0.5, piece
    # The name is all there, on several lines of its cell, in order.
    lines = [d for d in drawn if edges[1] <= d.x < edges[2] and d.text.strip()]
    text = "".join(d.text for d in sorted(lines, key=lambda d: -d.y))
    squeezed = re.sub(r"\s", "", text)
    assert re.sub(r"\s", "", LONG_NAME) in squeezed
    name_lines = [d for d in lines if d.text.strip() and d.text.strip() in LONG_NAME]
    assert len(name_lines) >= 3
