"""Spreadsheet cells: what a spreadsheet would run as a formula stays text."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from bot.exports.spreadsheet import csv_safe, set_text


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("Олена Петренко", "Олена Петренко"),
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("+380501234567", "+380501234567"),  # a phone as the bot keeps it
        ("", ""),
    ],
)
def test_formulas_are_neutralised_and_phones_kept(typed: str, written: str) -> None:
    assert csv_safe(typed) == written


@pytest.mark.parametrize(
    ("typed", "stored", "quoted"),
    [
        ("=1+1", "=1+1", True),
        ("#N/A", "#N/A", False),
        ("Олена\x07 Петренко", "Олена Петренко", False),  # a control character XLSX refuses
    ],
)
def test_xlsx_text_cells_stay_text(typed: str, stored: str, quoted: bool) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    set_text(sheet.cell(1, 1), typed)
    out = io.BytesIO()
    workbook.save(out)
    cell = load_workbook(io.BytesIO(out.getvalue())).active.cell(1, 1)  # type: ignore[union-attr]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (stored, "s", quoted)


def test_registrants_workbook_properties_hold_no_control_characters() -> None:
    """A title stored before control characters were refused still gives a workbook."""
    from pathlib import Path

    from bot.config import load_config
    from bot.exports.registrants import registrants_xlsx
    from bot.i18n import Catalogs
    from storage.models import Event

    config = load_config(Path("/nonexistent/config.toml"), environ={}, missing_ok=True)
    event = Event(id=1, title="Bad\x01Title\uffff")
    data = registrants_xlsx(config, Catalogs().get("uk"), event, [])
    assert load_workbook(io.BytesIO(data)).properties.title == "BadTitle"
