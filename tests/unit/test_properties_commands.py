"""Property tests (issue 9, item 7): command arguments (/report, /attendance), deep-link
payloads and callback data. No exception but the documented one escapes; what is
accepted is within range and what the bot builds reads back."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.period import parse_period
from handlers import callbacks
from handlers.attendance import event_id_argument
from handlers.resident import DEEP_LINK
from tests.unit.strategies import FAST, ODD, odd_text

TODAY = date(2026, 11, 25)
ZONES = ["Europe/Kyiv", "America/Los_Angeles", "Pacific/Kiritimati", "UTC"]
# Typed arguments: PTB splits the text after the command on whitespace.
args = st.lists(st.text(alphabet=ODD, min_size=1, max_size=12), max_size=4).map(
    lambda words: " ".join(words).split()
)
period_words = st.lists(
    st.one_of(
        st.sampled_from(["2026", "0001", "9999", "2026-03", "0001-01", "9999-12", "2026-13"]),
        st.dates().map(lambda d: f"{d.day:02d}.{d.month:02d}.{d.year:04d}"),
        st.dates().map(lambda d: d.isoformat()),
        st.text(alphabet=ODD, min_size=1, max_size=10),
    ),
    max_size=4,
).map(" ".join)


@pytest.mark.parametrize("zone", ZONES)
@FAST
@given(text=st.one_of(period_words, odd_text()))
def test_a_period_is_a_utc_range_or_unreadable(zone: str, text: str) -> None:
    tz = ZoneInfo(zone)
    try:
        period = parse_period(text, tz=tz, today=TODAY)
    except ValueError:
        return
    assert period.start.tzinfo is UTC and period.end.tzinfo is UTC
    assert period.start < period.end
    # The report shows the last day: the moment before the end exists in the library's zone.
    (period.end - timedelta(seconds=1)).astimezone(tz)
    assert period.program is None or period.program == " ".join(period.program.split()) != ""


def dmy(day: date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"  # %Y drops zeros before 1000


@pytest.mark.parametrize("zone", ZONES)
@FAST
@given(first=st.dates(), length=st.integers(min_value=0, max_value=800))
def test_two_days_are_the_library_days_from_the_first_to_the_last(
    zone: str, first: date, length: int
) -> None:
    tz = ZoneInfo(zone)
    last = min(first + timedelta(days=length), date.max) if first < date.max else first
    text = f"{dmy(first)} {last.isoformat()} Проєкт"
    try:
        start = datetime.combine(first, time(), tzinfo=tz).astimezone(UTC)
        end = datetime.combine(last + timedelta(days=1), time(), tzinfo=tz).astimezone(UTC)
    except OverflowError:  # no UTC moment for a bound at the calendar's ends: refused
        with pytest.raises(ValueError):
            parse_period(text, tz=tz, today=TODAY)
        return
    period = parse_period(text, tz=tz, today=TODAY)
    assert (period.start, period.end, period.program) == (start, end, "Проєкт")


@FAST
@given(st.one_of(args, st.integers(min_value=0, max_value=10**9 - 1).map(lambda n: [str(n)])))
def test_the_attendance_argument_is_an_event_number_or_nothing(words: list[str]) -> None:
    event_id = event_id_argument(words)
    if event_id is not None:
        assert 0 <= event_id < 10**9 and words == [words[0]]
        assert event_id_argument([str(event_id)]) == event_id


@FAST
@given(st.one_of(odd_text(), st.integers(min_value=0, max_value=10**9 - 1).map("event_{}".format)))
def test_a_deep_link_names_an_event_number_or_nothing(payload: str) -> None:
    match = DEEP_LINK.match(payload)
    if match is not None:
        event_id = int(match.group(1))
        assert 0 <= event_id < 10**9 and DEEP_LINK.match(f"event_{event_id}")


buttons = st.sampled_from(callbacks.ALL)
# Every kind of button, in one run each: a run per kind would make these the slowest tests.
BUTTONS = settings(FAST, max_examples=400)


@BUTTONS
@given(
    button=buttons,
    data=st.one_of(
        odd_text(max_size=64),
        st.text(alphabet="0123456789:abcdefghijklmnopxyz+-*٣", max_size=30),
        buttons.map(lambda b: b.prefix + ":").flatmap(
            lambda prefix: st.text(alphabet="0123456789:abcnpxy+-*٣", max_size=20).map(
                lambda rest: prefix + rest
            )
        ),
    ),
)
def test_callback_data_parses_to_values_the_button_builds_again(
    button: callbacks.Button, data: str
) -> None:
    values = button.parse(data)
    assert (values is None) == (button.match(data) is None)
    if values is not None:
        assert data.isascii()
        assert button.parse(button.data(*values)) == values


@BUTTONS
@given(button=buttons, data=st.data())
def test_the_data_a_button_builds_reads_back(button: callbacks.Button, data: st.DataObject) -> None:
    texts = [data.draw(st.from_regex(f.pattern, fullmatch=True)) for f in button.fields]
    values = tuple(f.convert(t) for f, t in zip(button.fields, texts, strict=True))
    try:
        built = button.data(*values)
    except ValueError:  # over Telegram's 64 bytes: refused where it is built
        assert len(":".join([button.prefix, *map(str, values)]).encode()) > callbacks.MAX_BYTES
        return
    assert len(built.encode()) <= callbacks.MAX_BYTES
    assert button.parse(built) == values
