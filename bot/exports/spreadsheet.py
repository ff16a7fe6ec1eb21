"""Text cells that a spreadsheet shows as they are and never runs as formulas.

Titles and names are typed by people, so one may start with ``=`` (or ``+ - @``, a tab or
a carriage return, which Excel also reads as the start of a formula).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # openpyxl is loaded only where a workbook is built
    from openpyxl.cell.cell import Cell, MergedCell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A phone as the bot stores it: "+380501234567" is data, not a formula.
_PHONE = re.compile(r"\+?\d{5,15}\Z")
# What XLSX (XML) cannot hold: openpyxl's ILLEGAL_CHARACTERS_RE (the C0 controls but tab,
# line feed and carriage return) and the two noncharacters it does not cover.
_NOT_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def csv_safe(text: str) -> str:
    """For CSV: a leading apostrophe, which spreadsheets read as "this is text"."""
    if text.startswith(FORMULA_START) and not _PHONE.match(text):
        return "'" + text
    return text


def xlsx_safe(text: str) -> str:
    """Without the characters XLSX cannot hold (control characters): for cells and for
    the workbook's properties, which openpyxl writes unchecked."""
    return _NOT_IN_XLSX.sub("", text)


def set_text(cell: Cell | MergedCell, text: str) -> None:
    """For XLSX: stored as text (openpyxl would make "=…" a formula and "#N/A" an error),
    marked as typed with an apostrophe so editing it keeps it text; characters XLSX
    cannot hold are dropped."""
    from openpyxl.cell.cell import Cell  # noqa: PLC0415  (loaded with the workbook anyway)

    assert isinstance(cell, Cell), "the workbooks here merge no cells"
    cell.value = xlsx_safe(text)
    cell.data_type = "s"
    cell.quotePrefix = text.startswith(FORMULA_START)
