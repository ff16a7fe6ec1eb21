from datetime import timedelta

import pytest

from bot.domain.durations import MAX_DURATION, format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24h", timedelta(hours=24)),
        ("2h", timedelta(hours=2)),
        ("30m", timedelta(minutes=30)),
        ("45s", timedelta(seconds=45)),
        ("1d", timedelta(days=1)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("1d2h3m4s", timedelta(days=1, hours=2, minutes=3, seconds=4)),
        ("2d12h", timedelta(days=2, hours=12)),
        ("90m", timedelta(minutes=90)),
        ("05m", timedelta(minutes=5)),
        ("0h30m", timedelta(minutes=30)),
        (" 1h 30m ", timedelta(hours=1, minutes=30)),
        ("\t2h\n", timedelta(hours=2)),
        ("2H", timedelta(hours=2)),
        ("60d", MAX_DURATION),
        ("1440h", MAX_DURATION),
    ],
)
def test_parse_valid(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "got an empty string"),
        ("   ", "got an empty string"),
        ("2x", 'expected a duration such as "24h", "2h", "30m" or "45s", got "2x"'),
        ("h", 'got "h"'),
        ("24", 'got "24"'),
        ("1.5h", 'got "1.5h"'),
        ("2 hours", 'got "2 hours"'),
        ("30m1h", 'got "30m1h"'),
        ("1h1h", 'got "1h1h"'),
        ("1w", 'got "1w"'),
        ("+2h", 'got "+2h"'),
        ("-2h", 'cannot be negative; expected e.g. "24h", "2h", "30m" or "45s", got "-2h"'),
        ("0h", 'must be greater than zero, such as "24h", "2h", "30m" or "45s", got "0h"'),
        ("0d0h0m0s", "must be greater than zero"),
        ("61d", 'must be at most 60d (e.g. "24h", "2h", "30m" or "45s"), got "61d"'),
        ("60d1s", "must be at most 60d"),
        ("2400h", "must be at most 60d"),
        ("99999999999999999999999d", "must be at most 60d"),
        ("٣h", 'got "٣h"'),  # non-ASCII digits
    ],
)
def test_parse_invalid(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_duration(text)
    text_of_error = str(info.value)
    assert message in text_of_error
    assert "\n" not in text_of_error
    assert '"24h"' in text_of_error  # every message shows an example


def test_parse_rejects_non_string() -> None:
    with pytest.raises(TypeError):
        parse_duration(24)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (timedelta(hours=1, minutes=30), "1h30m"),
        (timedelta(hours=24), "1d"),
        (timedelta(hours=2), "2h"),
        (timedelta(minutes=30), "30m"),
        (timedelta(seconds=45), "45s"),
        (timedelta(days=2, hours=12), "2d12h"),
        (timedelta(days=1, seconds=1), "1d1s"),
        (timedelta(minutes=90), "1h30m"),
        (timedelta(0), "0s"),
    ],
)
def test_format(duration: timedelta, text: str) -> None:
    assert format_duration(duration) == text


@pytest.mark.parametrize(
    "duration", [timedelta(seconds=-1), timedelta(milliseconds=1500), timedelta(days=-1)]
)
def test_format_rejects(duration: timedelta) -> None:
    with pytest.raises(ValueError):
        format_duration(duration)


@pytest.mark.parametrize(
    "text", ["2h", "30m", "45s", "1d", "1h30m", "1d2h3m4s", "59d23h59m59s", "60d"]
)
def test_round_trip(text: str) -> None:
    duration = parse_duration(text)
    assert parse_duration(format_duration(duration)) == duration
    assert format_duration(duration) == text
