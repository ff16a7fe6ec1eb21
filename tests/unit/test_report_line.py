"""The report document's line per event, in the seed's own form."""

from __future__ import annotations

import pytest

from bot.config import default_event_kinds
from bot.domain.report_line import ENGLISH, UKRAINIAN, Language, LineWords, punctuate, report_line
from tests.seed_report import EVENTS, LINES, LINES_EN, SeedEvent

KINDS = {kind.key: kind for kind in default_event_kinds()}


def words(event: SeedEvent, language: str) -> LineWords:
    return LineWords(
        kind_accusative=KINDS[event.kind].accusative(language),
        title=event.title,
        report_label=event.report_label,
        report_title=event.report_title,
        audience=event.audience,
        partner=event.partner,
        report_note=event.report_note,
    )


@pytest.mark.parametrize(
    ("language", "wording", "expected"), [("uk", UKRAINIAN, LINES), ("en", ENGLISH, LINES_EN)]
)
def test_the_seeds_eleven_lines(language: str, wording: Language, expected: list[str]) -> None:
    lines = punctuate([report_line(words(event, language), wording) for event in EVENTS])
    assert lines == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (LineWords("семінар", "Легальна зайнятість"), "семінар «Легальна зайнятість»"),
        (
            LineWords(
                "семінар", "  Легальна   зайнятість ", audience=" ", partner="", report_note=None
            ),
            "семінар «Легальна зайнятість»",
        ),
        (
            LineWords("тренінг", "Т", report_label="практикум-тренінг", audience="для молоді"),
            "практикум-тренінг «Т» (для молоді)",
        ),
        (
            LineWords("тренінг", "Т", report_title="по використанню е-послуг", report_note="далі"),
            "тренінг по використанню е-послуг, далі",
        ),
        (
            LineWords(
                "тренінг", "Т", audience="для ВПО", partner="центром", report_note="з е-послугами"
            ),
            "тренінг «Т» (для ВПО) (спільно з центром), з е-послугами",
        ),
        (LineWords("", "Т"), "«Т»"),
    ],
)
def test_each_part_is_left_out_when_empty(line: LineWords, expected: str) -> None:
    assert report_line(line) == expected


def test_english_words_and_quotes() -> None:
    line = LineWords("seminar", "Legal work", audience="for IDPs", partner="the job centre")
    assert (
        report_line(line, ENGLISH)
        == "seminar “Legal work” (for IDPs) (together with the job centre)"
    )


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([], []),
        (["один"], ["один."]),
        (["один", "два ", "три"], ["один;", "два;", "три."]),
    ],
)
def test_a_list_ends_each_line_with_a_semicolon_and_the_last_with_a_full_stop(
    lines: list[str], expected: list[str]
) -> None:
    assert punctuate(lines) == expected
