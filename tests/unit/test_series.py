"""A weekly series: its days by the library's wall clock, its limits, the CSV columns and
how the days are written."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain import series
from bot.domain.event_form import FormError, check_repeat, parse_repeat
from bot.domain.event_import import EventImportError, occurrences, parse_events_csv
from bot.domain.series import Repeat, SeriesError
from bot.i18n import Catalogs
from bot.import_texts import describe

KYIV = ZoneInfo("Europe/Kyiv")
KINDS = {"training": "training"}
HEADER = "title,kind,starts_at,ends_at,place,capacity,repeat_weeks,repeat_until"


def kyiv(*args: int) -> datetime:
    return datetime(*args, tzinfo=KYIV).astimezone(UTC)


def test_14_00_stays_14_00_across_the_spring_clock_change() -> None:
    # Kyiv moves its clocks forward on Sunday 29 March 2026: 14:00 is 12:00 UTC before
    # and 11:00 UTC after.
    starts = series.starts(kyiv(2026, 3, 23, 14, 0), Repeat(times=3), KYIV)
    assert [s.astimezone(KYIV).replace(tzinfo=None) for s in starts] == [
        datetime(2026, 3, 23, 14, 0),
        datetime(2026, 3, 30, 14, 0),
        datetime(2026, 4, 6, 14, 0),
    ]
    assert starts[1] - starts[0] == timedelta(hours=167)  # not a plain 7 × 24 hours
    assert starts[1] == datetime(2026, 3, 30, 11, 0, tzinfo=UTC)


def test_14_00_stays_14_00_across_the_autumn_clock_change() -> None:
    starts = series.starts(kyiv(2026, 10, 19, 14, 0), Repeat(times=2), KYIV)
    assert starts == [
        datetime(2026, 10, 19, 11, 0, tzinfo=UTC),
        datetime(2026, 10, 26, 12, 0, tzinfo=UTC),
    ]


@pytest.mark.parametrize(
    ("repeat", "count"),
    [
        (Repeat(times=2), 2),
        (Repeat(times=52), 52),
        (Repeat(until=date(2026, 3, 30)), 2),  # the last day itself is included
        (Repeat(until=date(2026, 4, 5)), 2),  # a Sunday: the Mondays before it
        (Repeat(until=date(2026, 4, 6)), 3),
        (Repeat(until=date(2027, 3, 15)), 52),  # 51 weeks on: the longest series
    ],
)
def test_times_and_until_a_day(repeat: Repeat, count: int) -> None:
    days = series.days(repeat, date(2026, 3, 23))
    assert len(days) == count
    assert {d.weekday() for d in days} == {0}
    assert days[0] == date(2026, 3, 23)


@pytest.mark.parametrize(
    ("repeat", "code"),
    [
        (Repeat(times=1), "times_range"),
        (Repeat(times=53), "times_range"),
        (Repeat(until=date(2026, 3, 29)), "until_soon"),
        (Repeat(until=date(2026, 3, 1)), "until_soon"),
        (Repeat(until=date(2027, 3, 22)), "until_far"),
    ],
)
def test_a_series_has_two_to_52_weeks(repeat: Repeat, code: str) -> None:
    with pytest.raises(SeriesError) as caught:
        series.days(repeat, date(2026, 3, 23))
    assert caught.value.code == code


def test_a_week_whose_start_the_clocks_skip_is_refused_with_its_day() -> None:
    # 03:30 on Sunday 29 March 2026 does not exist in Kyiv.
    with pytest.raises(SeriesError) as caught:
        series.starts(kyiv(2026, 3, 22, 3, 30), Repeat(times=3), KYIV)
    assert (caught.value.code, caught.value.params) == ("time_gap", {"day": date(2026, 3, 29)})


@pytest.mark.parametrize(
    ("text", "stored"),
    [("8", "8"), (" 12 ", "12"), ("01.05.2026", "2026-05-01"), ("2026-05-01", "2026-05-01")],
)
def test_the_form_reads_a_number_of_times_or_a_last_day(text: str, stored: str) -> None:
    assert parse_repeat(text) == stored
    assert Repeat.from_text(stored).to_text() == stored


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1", "times_range"),
        ("99", "times_range"),
        ("щотижня", "repeat_format"),
        ("", "repeat_format"),
        ("31.02.2026", "until_invalid"),
    ],
)
def test_the_form_refuses_what_it_cannot_take(text: str, code: str) -> None:
    with pytest.raises(FormError) as caught:
        parse_repeat(text)
    assert caught.value.code == code


def test_the_form_checks_the_repetition_against_the_first_day() -> None:
    check_repeat("", date(2026, 3, 23), time(14), KYIV)  # once: nothing to check
    check_repeat("2026-04-06", date(2026, 3, 23), time(14), KYIV)
    with pytest.raises(FormError) as caught:
        check_repeat("2026-03-25", date(2026, 3, 23), time(14), KYIV)
    assert (caught.value.code, caught.value.params) == (
        "until_soon",
        {"earliest": date(2026, 3, 30)},
    )
    with pytest.raises(FormError) as caught:
        check_repeat("4", date(2026, 3, 22), time(3, 30), KYIV)
    assert caught.value.code == "repeat_gap"


def test_the_csv_repeats_a_row_every_week_keeping_its_length() -> None:
    (weekly, once, until) = parse_events_csv(
        HEADER + "\n"
        "Англійська,training,2026-03-23 14:00,2026-03-23 15:30,Зала,8,3,\n"
        "Разова,training,2026-03-24 10:00,,Зала,,,\n"
        "Шахи,training,25.03.2026 16:00,,Зала,,,08.04.2026\n",
        kinds=KINDS,
        tz=KYIV,
    )
    assert (weekly.repeat, once.repeat) == (Repeat(times=3), None)
    assert until.repeat == Repeat(until=date(2026, 4, 8))
    days = occurrences(weekly, KYIV)
    assert [d.starts_at.astimezone(KYIV).strftime("%d.%m %H:%M") for d in days] == [
        "23.03 14:00",
        "30.03 14:00",
        "06.04 14:00",
    ]
    assert {d.ends_at - d.starts_at for d in days if d.ends_at} == {timedelta(minutes=90)}
    assert {(d.title, d.capacity, d.row, d.repeat) for d in days} == {("Англійська", 8, 2, None)}
    assert len(occurrences(until, KYIV)) == 3
    assert occurrences(once, KYIV) == [once]


def test_the_csv_repeat_columns_and_their_problems() -> None:
    with pytest.raises(EventImportError) as caught:
        parse_events_csv(
            HEADER + "\n"
            "Обидва,training,2026-03-23 14:00,,Зала,,3,06.04.2026\n"
            "Один,training,2026-03-23 14:00,,Зала,,1,\n"
            "Слово,training,2026-03-23 14:00,,Зала,,багато,\n"
            "Дата,training,2026-03-23 14:00,,Зала,,,завтра\n"
            "Рано,training,2026-03-23 14:00,,Зала,,,25.03.2026\n"
            "Далеко,training,2026-03-23 14:00,,Зала,,,23.03.2028\n"
            "Ніч,training,2026-03-22 03:30,,Зала,,2,\n",
            kinds=KINDS,
            tz=KYIV,
        )
    found = [(p.row, p.code, p.column) for p in caught.value.problems]
    assert found == [
        (2, "repeat_both", "repeat_until"),
        (3, "repeat_weeks", "repeat_weeks"),
        (4, "repeat_weeks", "repeat_weeks"),
        (5, "repeat_until", "repeat_until"),
        (6, "repeat_soon", "repeat_until"),
        (7, "repeat_far", "repeat_until"),
        (8, "repeat_gap", "repeat_weeks"),
    ]
    tr = Catalogs().get("uk")
    texts = [describe(tr, p) for p in caught.value.problems]
    assert texts[0] == (
        "рядок 2, repeat_until: вкажіть або repeat_weeks (скільки тижнів), або repeat_until "
        "(останній день), але не обидва"
    )
    assert "«1» — не кількість тижнів" in texts[1]
    assert "найраніше — 30.03.2026" in texts[4]
    assert "найпізніше — 15.03.2027" in texts[5]
    assert texts[6].endswith(
        "29.03.2026 годинник переводять уперед і часу початку не буде; виберіть інший час"
    )
