from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.period import parse_period

KYIV = ZoneInfo("Europe/Kyiv")
TODAY = date(2026, 11, 25)


def local(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, tzinfo=KYIV)


@pytest.mark.parametrize(
    ("text", "start", "end", "program"),
    [
        ("", local(2026, 1, 1), local(2027, 1, 1), None),
        ("2025", local(2025, 1, 1), local(2026, 1, 1), None),
        ("2026-03", local(2026, 3, 1), local(2026, 4, 1), None),
        ("2026-12", local(2026, 12, 1), local(2027, 1, 1), None),
        ("01.01.2026 31.12.2026", local(2026, 1, 1), local(2027, 1, 1), None),
        (
            "2026-02-01 2026-02-28 Поінформована громада",
            local(2026, 2, 1),
            local(2026, 3, 1),
            "Поінформована громада",
        ),
        (
            "2026 Поінформована   громада",
            local(2026, 1, 1),
            local(2027, 1, 1),
            "Поінформована громада",
        ),
    ],
)
def test_periods(text: str, start: datetime, end: datetime, program: str | None) -> None:
    period = parse_period(text, tz=KYIV, today=TODAY)
    assert (period.start, period.end, period.program) == (start, end, program)


def test_a_day_is_the_librarys_day() -> None:
    period = parse_period("2026-07", tz=KYIV, today=TODAY)
    assert period.start.astimezone(UTC) == datetime(2026, 6, 30, 21, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text", ["вчора", "2026-13", "31.12.2026 01.01.2026", "32.01.2026 01.02.2026", "01.01.2026"]
)
def test_unreadable_periods(text: str) -> None:
    with pytest.raises(ValueError):
        parse_period(text, tz=KYIV, today=TODAY)


@pytest.mark.parametrize(
    "text", ["31.12.9999 31.12.9999", "0001-01", "01.01.0001 02.01.0001", "0001", "9999", "9999-12"]
)
def test_periods_beyond_the_calendar_are_unreadable_not_an_overflow(text: str) -> None:
    with pytest.raises(ValueError):
        parse_period(text, tz=KYIV, today=TODAY)


def test_the_bounds_are_in_utc() -> None:
    period = parse_period("01.01.0002 30.12.9999", tz=KYIV, today=TODAY)
    assert period.start.tzinfo is UTC and period.end.tzinfo is UTC
