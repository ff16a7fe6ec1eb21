"""Reading the typed answers of /newevent and of editing an event."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain import event_form
from bot.domain.event_form import FormError

KYIV = ZoneInfo("Europe/Kyiv")
TODAY = date(2026, 3, 10)


def code_of(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(FormError) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return caught.value.code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03.12.2026", date(2026, 12, 3)),
        ("3.12.2026", date(2026, 12, 3)),
        (" 2026-12-03 ", date(2026, 12, 3)),
        ("10.03.2026", TODAY),  # today is fine: the time decides
        ("29.02.2028", date(2028, 2, 29)),
    ],
)
def test_dates_in_both_formats(text: str, expected: date) -> None:
    assert event_form.parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("31.02.2026", "date_invalid"),
        ("2026-13-01", "date_invalid"),
        ("00.05.2026", "date_invalid"),
        ("09.03.2026", "date_past"),
        ("2025-12-31", "date_past"),
        ("завтра", "date_format"),
        ("03/12/2026", "date_format"),
        ("03.12.26", "date_format"),
        ("", "date_format"),
        ("٠٣.١٢.٢٠٢٦", "date_format"),  # digits of another script are not read
    ],
)
def test_bad_dates(text: str, code: str) -> None:
    assert code_of(event_form.parse_date, text, today=TODAY) == code


@pytest.mark.parametrize(
    ("text", "expected"),
    [("14:00", time(14)), ("9:30", time(9, 30)), ("14.05", time(14, 5)), ("00:00", time(0))],
)
def test_times(text: str, expected: time) -> None:
    assert event_form.parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("25:00", "time_invalid"),
        ("14:60", "time_invalid"),
        ("14", "time_format"),
        ("2 pm", "time_format"),
        ("14:0", "time_format"),
    ],
)
def test_bad_times(text: str, code: str) -> None:
    assert code_of(event_form.parse_time, text) == code


def test_a_start_is_local_time_and_must_be_ahead() -> None:
    now = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # 11:00 in Kyiv
    start = event_form.local_start(TODAY, time(11, 30), KYIV, now=now)
    assert start == datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
    assert code_of(event_form.local_start, TODAY, time(10, 59), KYIV, now=now) == "in_past"
    # 03:30 on 29 March 2026 does not exist in Kyiv: the clocks jump from 03:00 to 04:00.
    gap = (date(2026, 3, 29), time(3, 30), KYIV)
    assert code_of(event_form.local_start, *gap, now=now) == "time_gap"


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("90", 90),
        ("1:30", 90),
        ("2h", 120),
        ("2 h", 120),
        ("1.5h", 90),
        ("1,5", 90),
        ("1h30m", 90),
        ("1 год 30 хв", 90),
        ("2 години", 120),
        ("45 хв", 45),
        ("45min", 45),
        ("12h", 720),
        ("10", 10),
    ],
)
def test_durations(text: str, minutes: int) -> None:
    assert event_form.parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2", "duration_range"),  # two minutes: surely a mistake
        ("0", "duration_range"),
        ("13h", "duration_range"),
        ("1:75", "duration_format"),
        ("довго", "duration_format"),
        ("h", "duration_format"),
        ("", "duration_format"),
        ("-90", "duration_format"),
        ("99999999999", "duration_format"),
    ],
)
def test_bad_durations(text: str, code: str) -> None:
    assert code_of(event_form.parse_duration, text) == code


@pytest.mark.parametrize(("text", "seats"), [("20", 20), (" 1 000 ", 1000), ("100000", 100_000)])
def test_capacity(text: str, seats: int) -> None:
    assert event_form.parse_capacity(text) == seats


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("0", "capacity_range"),
        ("100001", "capacity_range"),
        ("9" * 40, "capacity_range"),
        ("-5", "capacity_format"),
        ("двадцять", "capacity_format"),
        ("²", "capacity_format"),
        ("2.5", "capacity_format"),
    ],
)
def test_bad_capacity(text: str, code: str) -> None:
    assert code_of(event_form.parse_capacity, text) == code


def test_text_fields_are_trimmed_and_limited_as_in_the_import() -> None:
    assert event_form.parse_text("  Навчаємось\n вираховувати   субсидію ", "title") == (
        "Навчаємось вираховувати субсидію"
    )
    assert event_form.parse_text(" рядок 1\nрядок 2 ", "desc") == "рядок 1\nрядок 2"
    assert code_of(event_form.parse_text, "   ", "place") == "empty"
    with pytest.raises(FormError) as caught:
        event_form.parse_text("т" * 201, "title")
    assert caught.value.code == "too_long" and caught.value.params == {"max": 200, "length": 201}
    assert event_form.parse_text("т" * 2000, "desc") == "т" * 2000
    assert code_of(event_form.parse_text, "т" * 2001, "desc") == "too_long"


@pytest.mark.parametrize("field", ["title", "place", "aud", "prog", "desc"])
@pytest.mark.parametrize("control", ["\x00", "\x01", "\x1b", "\x7f", "\x86", "\x9f", "\uffff"])
def test_control_characters_are_refused_in_every_text_field(field: str, control: str) -> None:
    assert code_of(event_form.parse_text, f"Bad{control}Title", field) == "control_chars"


def test_a_description_keeps_its_line_breaks_and_tabs() -> None:
    text = "Програма:\r\n\t1. Вступ\r\t2. Практика"
    assert event_form.parse_text(text, "desc") == "Програма:\n\t1. Вступ\n\t2. Практика"
    assert event_form.parse_text("Назва\tз табуляцією", "title") == "Назва з табуляцією"


def test_reminders_are_normalised() -> None:
    assert event_form.parse_reminders("24h, 1h") == "1d,1h"
    assert event_form.parse_reminders("1h 18h") == "18h,1h"
    for bad in ("завтра", "1h,2h,3h,4h,5h,6h", "0h", ","):
        assert code_of(event_form.parse_reminders, bad) == "reminders"


def test_kinds_typed_by_name_or_key() -> None:
    kinds = {"training": "training", "тренінг": "training"}
    assert event_form.parse_kind(" Тренінг ", kinds) == "training"
    assert code_of(event_form.parse_kind, "вечірка", kinds) == "kind"


def test_steps_end_in_the_preview() -> None:
    assert event_form.next_step("title") == "kind"
    assert event_form.next_step("rem") == event_form.DONE


def test_the_answers_make_an_event() -> None:
    data = {
        "title": "Легальна зайнятість",
        "kind": "seminar",
        "date": "2026-12-10",
        "time": "11:00",
        "dur": 90,
        "place": "ЦРБ",
        "cap": None,
        "aud": "",
        "prog": 4,
        "desc": "",
        "rem": "",
    }
    draft = event_form.draft(event_form.EventAnswers.from_json(data), KYIV)
    assert draft.starts_at == datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
    assert draft.ends_at == datetime(2026, 12, 10, 10, 30, tzinfo=UTC)
    assert (draft.capacity, draft.program_id, draft.reminders) == (None, 4, "")
    none = event_form.draft(event_form.EventAnswers.from_json({**data, "prog": None}), KYIV)
    assert none.program_id is None
