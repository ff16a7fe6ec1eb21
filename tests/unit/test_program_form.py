"""Reading the answers of /newprogram: the period, the texts, the stored answers."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.event_form import FormError
from bot.domain.program_form import (
    ProgramAnswers,
    ProgramStep,
    next_step,
    parse_answer,
    parse_period,
)


@pytest.mark.parametrize(
    "text",
    [
        "01.03.2026 – 30.11.2026",
        "01.03.2026-30.11.2026",
        "1.3.2026 — 30.11.2026",
        "01.03.2026 до 30.11.2026",
        "2026-03-01 - 2026-11-30",
        "  01.03.2026   –   30.11.2026 ",
    ],
)
def test_a_period_is_read_in_the_ways_librarians_write_it(text: str) -> None:
    assert parse_period(text) == (date(2026, 3, 1), date(2026, 11, 30))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("березень – листопад", "period_format"),
        ("01.03.2026", "period_format"),
        ("30.11.2026 – 01.03.2026", "period_order"),
        ("31.02.2026 – 30.11.2026", "date_invalid"),
    ],
)
def test_a_period_that_cannot_be_taken_says_why(text: str, code: str) -> None:
    with pytest.raises(FormError) as caught:
        parse_period(text)
    assert caught.value.code == code


def test_a_one_day_period_is_fine() -> None:
    assert parse_period("15.05.2026 – 15.05.2026") == (date(2026, 5, 15), date(2026, 5, 15))


def test_paragraphs_and_the_position_keep_their_lines_a_name_does_not() -> None:
    position = "Директор КЗ «Волочиська ЦРБ»\r\nВолочиської міської ради"
    assert parse_answer(ProgramStep.POSITION, position) == (
        "Директор КЗ «Волочиська ЦРБ»\nВолочиської міської ради"
    )
    assert parse_answer(ProgramStep.NAME, " Поінформована\nгромада ") == "Поінформована громада"
    with pytest.raises(FormError) as caught:
        parse_answer(ProgramStep.SIGNER, "Я" * 101)
    assert caught.value.params == {"max": 100, "length": 101}
    with pytest.raises(FormError):
        parse_answer(ProgramStep.LINK, "   ")


def test_the_questions_come_in_order_and_end() -> None:
    steps = [ProgramStep.NAME]
    while (following := next_step(steps[-1])) is not None:
        steps.append(following)
    assert steps == list(ProgramStep)


def test_answers_survive_their_round_trip_and_skipped_ones_are_empty() -> None:
    answers = (
        ProgramAnswers()
        .answer(ProgramStep.NAME, "N")
        .answer(ProgramStep.PURPOSE, None)
        .answer(ProgramStep.PERIOD, (date(2026, 3, 1), date(2026, 11, 30)))
        .answer(ProgramStep.POSITION, "A\nB")
    )
    assert answers.purpose == ""
    assert ProgramAnswers.from_json(answers.to_json()) == answers
    assert answers.to_json() == {
        "name": "N",
        "period": ["2026-03-01", "2026-11-30"],
        "position": "A\nB",
    }
    with pytest.raises(TypeError):
        answers.answer(ProgramStep.PERIOD, "01.03.2026")
