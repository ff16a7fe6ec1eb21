"""The printable sign-in sheet (реєстраційний лист) of an event, A4, as DOCX and PDF.

Above the table: the library, the programme, the event's title, date, time and place.
The table: №, full name, category, the phone if the configuration asks for it, and an
empty cell to sign; the people with a seat in registration order, then numbered blank
lines for walk-ins. On every page the table's header row is repeated, and a long name
wraps inside its cell. Names and phones are personal data: the sheet is for staff only.

python-docx and fpdf2 are imported inside the functions that draw, in the worker thread
that builds the file: the bot starts without them.
"""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Config
from bot.exports.spreadsheet import xlsx_safe
from bot.i18n import Translator
from bot.services.places import where
from storage.sign_in import SheetEvent, SheetPerson

if TYPE_CHECKING:  # python-docx is loaded only where a document is built
    from docx.table import _Cell

# A4 portrait, in millimetres.
PAGE_WIDTH, PAGE_HEIGHT = 210, 297
MARGIN = 15
TABLE_WIDTH = PAGE_WIDTH - 2 * MARGIN
ROW_HEIGHT = 9  # a line to sign on, at least
# Relative widths: №, name, category, (phone,) signature.
WIDTHS = (10, 70, 50, 50)
WIDTHS_WITH_PHONE = (10, 60, 42, 33, 35)


@dataclass(frozen=True)
class Sheet:
    """What the sheet says, laid out by neither format yet (every text translated)."""

    library: str
    heading: str
    facts: list[tuple[str, str]]  # label, value: programme, event, date, time, place
    columns: list[str]
    widths: tuple[int, ...]  # millimetres, summing to TABLE_WIDTH
    rows: list[list[str]]  # people, then blank lines; a cell may hold a line break
    registered: int  # how many of the rows are people
    title: str  # the file's title (the event's)


def sheet(
    config: Config, tr: Translator, event: SheetEvent, people: Sequence[SheetPerson]
) -> Sheet:
    tz = config.library.timezone
    time = tr.time(event.starts_at, tz)
    if event.ends_at is not None:
        time += "–" + tr.time(event.ends_at, tz)
    facts = []
    if event.program:
        facts.append((tr.gettext("Programme"), event.program))
    facts += [
        (tr.gettext("Event"), event.title),
        (tr.gettext("Date"), tr.date(event.starts_at, tz)),
        (tr.gettext("Time"), time),
        (tr.gettext("Place"), where(config, event, tr.language).line),
    ]
    phones = config.documents.sign_in_phones
    columns = [tr.gettext("No."), tr.gettext("Full name"), tr.gettext("Category")]
    if phones:
        columns.append(tr.gettext("Phone"))
    columns.append(tr.gettext("Signature"))
    rows: list[list[str]] = []
    for number, person in enumerate(people, start=1):
        category = config.category(person.category) if person.category else None
        kind = category.label(tr.language) if category else person.category or ""
        if person.without_telegram:
            marker = "(" + tr.gettext("no Telegram") + ")"
            kind = f"{kind}\n{marker}" if kind else marker
        name = person.name if person.name is not None else tr.gettext("(data deleted)")
        row = [str(number), name, kind]
        if phones:
            row.append(person.phone or "")
        rows.append([*row, ""])
    blank = [""] * (len(columns) - 1)
    rows += [
        [str(number), *blank]
        for number in range(len(people) + 1, len(people) + 1 + config.documents.sign_in_blank_rows)
    ]
    return Sheet(
        library=config.library.name,
        heading=tr.gettext("Sign-in sheet"),
        facts=facts,
        columns=columns,
        widths=WIDTHS_WITH_PHONE if phones else WIDTHS,
        rows=[[_printable(cell) for cell in row] for row in rows],
        registered=len(people),
        title=_printable(event.title),
    )


def file_name(config: Config, event: SheetEvent) -> str:
    """``sign-in_42_2026-12-03``: ASCII, so every mail client and printer keeps it."""
    day = event.starts_at.astimezone(config.library.timezone).date().isoformat()
    return f"sign-in_{event.id}_{day}"


def _printable(text: str) -> str:
    """Without control characters, which neither XML nor a PDF font can hold."""
    return xlsx_safe(text)


def font_files() -> tuple[Path, Path]:
    """DejaVu Sans, regular and bold, as matplotlib ships them (Cyrillic included);
    found without importing matplotlib."""
    spec = importlib.util.find_spec("matplotlib")
    assert spec is not None and spec.submodule_search_locations is not None
    fonts = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
    return fonts / "DejaVuSans.ttf", fonts / "DejaVuSans-Bold.ttf"


def render_docx(content: Sheet) -> bytes:
    # Imported here, in the worker thread that builds the file: the bot starts faster.
    from docx import Document  # noqa: PLC0415
    from docx.enum.table import WD_ROW_HEIGHT_RULE  # noqa: PLC0415
    from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: PLC0415
    from docx.oxml import OxmlElement  # noqa: PLC0415
    from docx.oxml.ns import qn  # noqa: PLC0415
    from docx.shared import Mm, Pt  # noqa: PLC0415

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN))
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    document.core_properties.title = content.title

    def centred(text: str, *, size: int) -> None:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold = True
        run.font.size = Pt(size)

    centred(content.library, size=13)
    centred(content.heading.upper(), size=14)
    for label, value in content.facts:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(2)
        paragraph.add_run(label + ": ").bold = True
        paragraph.add_run(value)

    table = document.add_table(rows=1, cols=len(content.columns))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, content.widths, strict=True):
        column.width = Mm(width)  # the grid LibreOffice reads

    def fill(cells: Sequence[_Cell], texts: Sequence[str], *, bold: bool = False) -> None:
        for cell, text, width in zip(cells, texts, content.widths, strict=True):
            cell.width = Mm(width)  # what Word reads
            first, *more = text.split("\n")
            cell.paragraphs[0].add_run(first).bold = bold
            for line in more:  # the «no Telegram» marker, on a line of its own
                cell.add_paragraph().add_run(line).italic = True

    header = table.rows[0]
    fill(header.cells, content.columns, bold=True)
    for text_row in content.rows:
        row = table.add_row()
        row.height = Mm(ROW_HEIGHT)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        fill(row.cells, text_row)
    for row in table.rows:
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))  # a line is never cut by a page break
    # Word and LibreOffice repeat a row marked so at the top of every page.
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render_pdf(content: Sheet) -> bytes:
    # Imported here, in the worker thread that builds the file: the bot starts faster.
    from fpdf import FPDF  # noqa: PLC0415
    from fpdf.enums import TableHeadingsDisplay, WrapMode  # noqa: PLC0415
    from fpdf.fonts import FontFace  # noqa: PLC0415

    regular, bold = font_files()
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=MARGIN)
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    pdf.set_title(content.title)
    pdf.set_creator("hromada-bot")
    pdf.add_page()

    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(0, 6, content.library, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(0, 8, content.heading.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for label, value in content.facts:
        pdf.set_font("DejaVu", "B", 11)
        pdf.write(6, label + ": ")
        pdf.set_font("DejaVu", "", 11)
        pdf.write(6, value)
        pdf.ln(7)
    pdf.ln(3)

    pdf.set_font("DejaVu", "", 10)
    number_column = 0
    with pdf.table(
        col_widths=content.widths,
        width=TABLE_WIDTH,
        line_height=5,
        padding=1.5,
        min_row_height=ROW_HEIGHT,
        text_align="LEFT",
        headings_style=FontFace(emphasis="BOLD"),
        repeat_headings=TableHeadingsDisplay.ON_TOP_OF_EVERY_PAGE,
        # Lines break between words; a word wider than its cell is broken, not spilled.
        wrapmode=WrapMode.WORD,
    ) as table:
        heading = table.row()
        for text in content.columns:
            heading.cell(text, align="CENTER")
        for texts in content.rows:
            row = table.row()
            for index, text in enumerate(texts):
                row.cell(text, align="CENTER" if index == number_column else "LEFT")
    return bytes(pdf.output())
