from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.event_import import (
    EventImportError,
    decode_csv,
    parse_events_csv,
    parse_local_datetime,
)
from bot.i18n import Catalogs
from bot.import_texts import describe

KYIV = ZoneInfo("Europe/Kyiv")
KINDS = {"training": "training", "seminar": "seminar", "тренінг": "training"}
HEADER = "title,kind,starts_at,ends_at,place,capacity,audience,program,description"


def parse(text: str) -> list:  # type: ignore[type-arg]
    return parse_events_csv(text, kinds=KINDS, tz=KYIV)


def test_a_good_file_with_both_date_formats() -> None:
    drafts = parse(
        HEADER + "\n"
        "Навчаємось вираховувати субсидію,training,2026-03-15 14:00,2026-03-15 15:30,"
        "Читальна зала,20,"
        'пенсіонери,Поінформована громада,"Приносьте паспорт, будь ласка"\n'
        "Легальна зайнятість,Тренінг,01.04.2026 10:00,,ЦРБ,,ВПО,,\n"
    )
    first, second = drafts
    assert first.starts_at == datetime(2026, 3, 15, 12, 0, tzinfo=UTC)  # UTC+2 in winter
    assert first.ends_at == datetime(2026, 3, 15, 13, 30, tzinfo=UTC)
    assert (first.capacity, first.program, first.description) == (
        20,
        "Поінформована громада",
        "Приносьте паспорт, будь ласка",
    )
    assert second.starts_at == datetime(2026, 4, 1, 7, 0, tzinfo=UTC)  # UTC+3 in summer
    assert (second.kind, second.capacity, second.ends_at, second.program) == (
        "training",
        None,
        None,
        None,
    )


def test_excel_bom_and_semicolons_are_understood() -> None:
    data = (
        "\ufeff" + HEADER.replace(",", ";") + "\nТренінг;training;2026-03-15 14:00;;Зала;5;;;\n"
    ).encode()
    (draft,) = parse(decode_csv(data))
    assert draft.title == "Тренінг" and draft.capacity == 5


def test_a_capacity_with_thousands_separated_is_read_as_the_form_reads_it() -> None:
    # Excel in a Ukrainian locale writes 1000 as "1 000" with a no-break space.
    data = (HEADER + "\nТренінг,training,2026-03-15 14:00,,Зала,1\u00a0000,,,\n").encode()
    (draft,) = parse(decode_csv(data))
    assert draft.capacity == 1000


@pytest.mark.parametrize(
    ("row", "code", "column"),
    [
        (",training,2026-03-15 14:00,,Зала,,,,", "required", "title"),
        ("T,party,2026-03-15 14:00,,Зала,,,,", "unknown_kind", "kind"),
        ("T,training,15/03/2026 14:00,,Зала,,,,", "datetime", "starts_at"),
        ("T,training,2026-03-29 03:30,,Зала,,,,", "time_gap", "starts_at"),
        ("T,training,2026-03-15 14:00,2026-03-15 13:00,Зала,,,,", "ends_before_start", "ends_at"),
        ("T,training,2026-03-15 14:00,,Зала,0,,,", "capacity", "capacity"),
        ("T,training,2026-03-15 14:00,,Зала,many,,,", "capacity", "capacity"),
        # The form's rule: ASCII digits only, whatever Python's int() also reads.
        ("T,training,2026-03-15 14:00,,Зала,1_000,,,", "capacity", "capacity"),
        ("T,training,2026-03-15 14:00,,Зала,+5,,,", "capacity", "capacity"),
        ("T,training,2026-03-15 14:00,,Зала,٣,,,", "capacity", "capacity"),
        ("T,training,2026-03-15 14:00,,,,,,", "required", "place"),
        ("T,training,2026-03-15 14:00,,Зала,,,,,extra", "extra_cells", ""),
        ("T" * 201 + ",training,2026-03-15 14:00,,Зала,,,,", "too_long", "title"),
    ],
)
def test_a_bad_row_is_reported_with_its_row_number_and_nothing_is_returned(
    row: str, code: str, column: str
) -> None:
    good = "Добрий,training,2026-03-15 14:00,,Зала,,,,"
    with pytest.raises(EventImportError) as info:
        parse(f"{HEADER}\n{good}\n{row}\n{good}\n")
    (problem,) = info.value.problems
    assert (problem.row, problem.code, problem.column) == (3, code, column)


def test_every_bad_row_is_listed_at_once() -> None:
    with pytest.raises(EventImportError) as info:
        parse(f"{HEADER}\n,training,x,,Зала,,,,\nT,party,2026-03-15 14:00,,Зала,,,,\n")
    assert [(p.row, p.code) for p in info.value.problems] == [
        (2, "required"),
        (2, "datetime"),
        (3, "unknown_kind"),
    ]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"title,kind\nx,y\n", "bad_header"),
        (HEADER.encode() + b",colour\n", "bad_header"),
        (HEADER.encode() + b"\n", "no_rows"),
        ("Тренінг".encode("cp1251"), "encoding"),
        (HEADER.encode("utf-16-le"), "encoding"),  # no BOM: valid UTF-8, but full of NULs
        (HEADER.encode() + b'\n"' + b"x" * 200_000 + b",training\n", "unreadable"),
        (b'"' + HEADER.encode() + b"\n" + b"x" * 200_000 + b"\n", "unreadable"),  # the header
    ],
)
def test_unusable_files(data: bytes, code: str) -> None:
    with pytest.raises(EventImportError) as info:
        parse(decode_csv(data))
    assert info.value.problems[0].code == code


def test_old_mac_line_ends_are_read_as_line_ends() -> None:
    first, second = parse(
        f"{HEADER}\rТренінг,training,2026-03-15 14:00,,Зала,,,,\r"
        f'Семінар,seminar,2026-03-16 14:00,,Зала,,,,"Два\rрядки"\r\r'
    )
    assert (first.title, second.title, second.description) == ("Тренінг", "Семінар", "Два\nрядки")
    assert first.row == 2


def test_control_characters_in_text_cells_are_refused_and_line_breaks_kept_or_folded() -> None:
    with pytest.raises(EventImportError) as info:
        parse(f"{HEADER}\nBad\x01Title,training,2026-03-15 14:00,,Зала\x7f,,,,Опис\x00\n")
    assert [(p.code, p.column) for p in info.value.problems] == [
        ("control_chars", "title"),
        ("control_chars", "place"),
        ("control_chars", "description"),
    ]
    (draft,) = parse(
        f'{HEADER}\n"Два\nрядки",training,2026-03-15 14:00,,Зала,,,,"Опис\n\tз відступом"\n'
    )
    assert (draft.title, draft.description) == ("Два рядки", "Опис\n\tз відступом")


def test_ambiguous_autumn_hour_takes_the_first_occurrence() -> None:
    # 2026-10-25 03:30 happens twice in Kyiv; summer time (UTC+3) comes first.
    assert parse_local_datetime("2026-10-25 03:30", KYIV) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


@pytest.mark.parametrize("language", ["uk", "en"])
def test_every_problem_has_a_human_explanation(language: str) -> None:
    tr = Catalogs().get(language)
    with pytest.raises(EventImportError) as info:
        parse(f"{HEADER}\n,party,x,y,,0,,,\n")
    texts = [describe(tr, p) for p in info.value.problems]
    assert len(texts) == 6
    for text in texts:
        assert text.startswith("рядок 2" if language == "uk" else "row 2")
        assert "_" not in text.split(":", 1)[1].replace("starts_at", "").replace("ends_at", "")


def test_a_short_row_says_cells_are_missing() -> None:
    with pytest.raises(EventImportError) as info:
        parse(f"{HEADER}\nТренінг,training,2026-03-15 14:00\n")
    (problem,) = info.value.problems
    assert (problem.code, problem.params) == ("missing_cells", {"cells": 3, "columns": 9})
    assert describe(Catalogs().get("uk"), problem) == "рядок 2: у рядку клітинок: 3, а стовпців: 9"


def test_past_events_are_refused_when_importing_announcements() -> None:
    now = datetime(2026, 3, 20, tzinfo=UTC)
    with pytest.raises(EventImportError) as info:
        parse_events_csv(
            f"{HEADER}\nT,training,2026-03-15 14:00,,Зала,,,,\n", kinds=KINDS, tz=KYIV, now=now
        )
    assert [(p.code, p.column) for p in info.value.problems] == [("in_past", "starts_at")]


def test_an_optional_reminders_column_sets_the_events_own_reminders() -> None:
    drafts = parse(
        HEADER + ",reminders\n"
        'Для дітей,training,2026-03-15 14:00,,Зала,,,,,"18h, 1h"\n'
        "Для дорослих,training,2026-03-16 14:00,,Зала,,,,,\n"
    )
    assert [d.reminders for d in drafts] == ["18h,1h", None]
    with pytest.raises(EventImportError) as info:
        parse(HEADER + ",reminders\nT,training,2026-03-15 14:00,,Зала,,,,,вчора\n")
    assert info.value.problems[0].code == "reminders"
