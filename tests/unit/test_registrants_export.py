"""Registrants' files: what a spreadsheet would run as a formula stays text."""

from __future__ import annotations

import pytest

from bot.registrants_export import spreadsheet_safe


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
    assert spreadsheet_safe(typed) == written
