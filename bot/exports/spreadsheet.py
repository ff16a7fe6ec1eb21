"""Text cells that a spreadsheet shows as they are and never runs as formulas.

Titles and names are typed by people, so one may start with ``=`` (or ``+ - @``, a tab or
a carriage return, which Excel also reads as the start of a formula).
"""

from __future__ import annotations

import re

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A phone as the bot stores it: "+380501234567" is data, not a formula.
_PHONE = re.compile(r"\+?\d{5,15}\Z")
# XML refuses these too; openpyxl's ILLEGAL_CHARACTERS_RE covers only the C0 controls.
_NONCHARACTERS = re.compile("[\ufffe\uffff]")


def csv_safe(text: str) -> str:
    """For CSV: a leading apostrophe, which spreadsheets read as "this is text"."""
    if text.startswith(FORMULA_START) and not _PHONE.match(text):
        return "'" + text
    return text


def xlsx_safe(text: str) -> str:
    """Without the characters XLSX cannot hold (control characters): for cells and for
    the workbook's properties, which openpyxl writes unchecked."""
    return _NONCHARACTERS.sub("", ILLEGAL_CHARACTERS_RE.sub("", text))


def set_text(cell: Cell | MergedCell, text: str) -> None:
    """For XLSX: stored as text (openpyxl would make "=…" a formula and "#N/A" an error),
    marked as typed with an apostrophe so editing it keeps it text; characters XLSX
    cannot hold are dropped."""
    assert isinstance(cell, Cell), "the workbooks here merge no cells"
    cell.value = xlsx_safe(text)
    cell.data_type = "s"
    cell.quotePrefix = text.startswith(FORMULA_START)
