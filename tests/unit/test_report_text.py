"""Every number in the report takes the right Ukrainian form."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import load_config
from bot.exports.report_text import report_text
from bot.i18n import Catalogs
from bot.services.report import Report

CONFIG = load_config(Path("/nonexistent/config.toml"), environ={}, missing_ok=True)


def make(by_kind: dict[str, int], trained: dict[str, int]) -> Report:
    return Report(
        start=datetime(2026, 1, 1, tzinfo=UTC),
        end=datetime(2027, 1, 1, tzinfo=UTC),
        program=None,
        by_kind=by_kind,
        trained_by_category=trained,
        distinct_people=0,
        events=[],
    )


@pytest.mark.parametrize(
    ("n", "held", "trained"),
    [
        (1, "Проведено 1 захід: 1 тренінг.", "Навчання пройшла 1 особа"),
        (2, "Проведено 2 заходи: 2 тренінги.", "Навчання пройшли 2 особи"),
        (5, "Проведено 5 заходів: 5 тренінгів.", "Навчання пройшли 5 осіб"),
        (11, "Проведено 11 заходів: 11 тренінгів.", "Навчання пройшли 11 осіб"),
        (21, "Проведено 21 захід: 21 тренінг.", "Навчання пройшла 21 особа"),
        (22, "Проведено 22 заходи: 22 тренінги.", "Навчання пройшли 22 особи"),
        (25, "Проведено 25 заходів: 25 тренінгів.", "Навчання пройшли 25 осіб"),
        (101, "Проведено 101 захід: 101 тренінг.", "Навчання пройшла 101 особа"),
        (111, "Проведено 111 заходів: 111 тренінгів.", "Навчання пройшли 111 осіб"),
        (112, "Проведено 112 заходів: 112 тренінгів.", "Навчання пройшли 112 осіб"),
    ],
)
def test_numbers_take_the_right_form(n: int, held: str, trained: str) -> None:
    text = report_text(CONFIG, Catalogs().get("uk"), make({"training": n}, {"idp": n}))
    assert held in text
    assert f"{trained}, серед яких: внутрішньо переміщені особи — {n}." in text


@pytest.mark.parametrize(
    ("kind", "forms"),
    [
        ("seminar", ("1 семінар", "3 семінари", "12 семінарів")),
        ("practical", ("1 практичне заняття", "3 практичні заняття", "12 практичних занять")),
        ("campaign", ("1 інформаційну акцію", "3 інформаційні акції", "12 інформаційних акцій")),
        ("lecture", ("1 лекцію", "3 лекції", "12 лекцій")),
        ("master_class", ("1 майстер-клас", "3 майстер-класи", "12 майстер-класів")),
        ("meeting", ("1 зустріч", "3 зустрічі", "12 зустрічей")),
    ],
)
def test_every_default_kind_is_counted_in_the_accusative(
    kind: str, forms: tuple[str, str, str]
) -> None:
    for n, phrase in zip((1, 3, 12), forms, strict=True):
        assert f": {phrase}." in report_text(CONFIG, Catalogs().get("uk"), make({kind: n}, {}))


def test_kinds_and_categories_with_zero_are_left_out() -> None:
    text = report_text(
        CONFIG,
        Catalogs().get("uk"),
        make({"training": 2, "seminar": 0}, {"government": 3, "idp": 0}),
    )
    assert "семінар" not in text and "переміщені" not in text
    assert "серед яких: представники влади — 3." in text


def test_an_empty_period_says_so() -> None:
    assert "За цей період заходів не проводилося." in report_text(
        CONFIG, Catalogs().get("uk"), make({}, {})
    )


def test_the_csv_neutralises_formulas_and_marks_unmarked_and_planned_events() -> None:
    import csv
    import io

    from bot.exports.report_text import report_csv
    from storage.report import EventLine

    lines = [
        EventLine(
            1, datetime(2026, 3, 2, 10, tzinfo=UTC), '=HYPERLINK("x")', "training", 5, 4, 1, True
        ),
        EventLine(2, datetime(2026, 3, 3, 10, tzinfo=UTC), "Семінар", "seminar", 3, 0, 0, False),
    ]
    planned = [
        EventLine(3, datetime(2026, 12, 3, 10, tzinfo=UTC), "Акція", "campaign", 2, 0, 0, False)
    ]
    report = Report(
        datetime(2026, 1, 1, tzinfo=UTC),
        datetime(2027, 1, 1, tzinfo=UTC),
        None,
        {},
        {},
        0,
        lines,
        planned=planned,
    )
    uk = Catalogs().get("uk")
    for delimiter in (",", ";"):
        data = report_csv(CONFIG, uk, report, delimiter=delimiter)
        assert data.startswith("\ufeff".encode())  # Excel reads Cyrillic as UTF-8
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))
        assert rows[0][-1] == "Статус"
        assert rows[1] == [
            "02.03.2026",
            '\'=HYPERLINK("x")',
            "Тренінг",
            "5",
            "4",
            "1",
            "так",
            "проведено",
        ]
        assert rows[2] == ["03.03.2026", "Семінар", "Семінар", "3", "", "", "ні", "проведено"]
        assert rows[3] == [
            "03.12.2026",
            "Акція",
            "Інформаційна акція",
            "2",
            "",
            "",
            "ні",
            "заплановано",
        ]
    assert report_csv(CONFIG, uk, report, delimiter=";").decode("utf-8-sig").splitlines()[0] == (
        "Дата;Захід;Вид;Записалися;Прийшли;Без реєстрації;Відвідування позначено;Статус"
    )
