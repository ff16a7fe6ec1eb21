"""Property tests (issue 9, item 7): the answers of /newevent and of editing an event, and
the durations and reminders staff type. No exception but the documented one escapes;
what is accepted round-trips or is within range."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.domain import durations, event_form, event_import, reminders
from bot.domain.event_form import FormError
from bot.domain.text import has_control_characters
from tests.unit.strategies import FAST, odd_text

KYIV = ZoneInfo("Europe/Kyiv")
TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
KINDS = {"training": "training", "тренінг": "training", "seminar": "seminar"}


@FAST
@given(odd_text())
def test_a_typed_date_is_a_day_from_today_on(text: str) -> None:
    try:
        day = event_form.parse_date(text, today=TODAY)
    except FormError:
        return
    assert day >= TODAY


@FAST
@given(st.dates(min_value=TODAY, max_value=date(9999, 12, 31)))
def test_a_date_written_either_way_reads_back(day: date) -> None:
    written = f"{day.day:02d}.{day.month:02d}.{day.year:04d}"
    assert event_form.parse_date(written, today=TODAY) == day
    assert event_form.parse_date(f"{day.year:04d}-{day.month}-{day.day}", today=TODAY) == day


@FAST
@given(odd_text())
def test_a_typed_time_is_a_time_of_day(text: str) -> None:
    try:
        at = event_form.parse_time(text)
    except FormError:
        return
    assert at.second == 0 and event_form.parse_time(at.strftime("%H:%M")) == at


@FAST
@given(st.times().map(lambda t: t.replace(second=0, microsecond=0)))
def test_a_time_reads_back(at: time) -> None:
    assert event_form.parse_time(f"{at.hour}:{at.minute:02d}") == at
    assert event_form.parse_time(f"{at.hour:02d}.{at.minute:02d}") == at


@FAST
@given(st.dates(min_value=date(1, 1, 2), max_value=date(9999, 12, 30)), st.times())
def test_a_start_is_ahead_and_in_utc(day: date, at: time) -> None:
    try:
        start = event_form.local_start(day, at, KYIV, now=NOW)
    except FormError as error:
        assert error.code in ("time_gap", "in_past")
        return
    assert start.tzinfo is UTC and start > NOW


@FAST
@given(odd_text())
def test_a_typed_duration_is_within_range(text: str) -> None:
    try:
        span = event_form.parse_duration(text)
    except FormError:
        return
    assert event_form.MIN_DURATION <= span <= event_form.MAX_DURATION


@FAST
@given(st.integers(min_value=10, max_value=720))
def test_a_duration_in_minutes_or_hours_reads_back(minutes: int) -> None:
    expected = timedelta(minutes=minutes)
    assert event_form.parse_duration(str(minutes)) == expected
    assert event_form.parse_duration(f"{minutes // 60}:{minutes % 60:02d}") == expected
    hours, rest = divmod(minutes, 60)
    with_units = (f"{hours}h" if hours else "") + (f"{rest}m" if rest else "")
    assert event_form.parse_duration(with_units) == expected


@FAST
@given(odd_text())
def test_a_typed_capacity_is_within_range(text: str) -> None:
    try:
        seats = event_form.parse_capacity(text)
    except FormError:
        return
    assert 1 <= seats <= event_import.MAX_CAPACITY
    assert event_form.parse_capacity(str(seats)) == seats


@FAST
@given(odd_text())
def test_typed_reminders_are_stored_in_a_form_that_reads_back(text: str) -> None:
    try:
        stored = event_form.parse_reminders(text)
    except FormError:
        return
    assert event_form.parse_reminders(stored) == stored
    assert 1 <= len(stored.split(",")) <= reminders.MAX_OFFSETS


@FAST
@given(odd_text(max_size=300), st.sampled_from(sorted(event_form.TEXT_FIELDS)))
def test_free_text_is_clean_within_its_limit_and_stable(text: str, field: str) -> None:
    try:
        value = event_form.parse_text(text, field)
    except FormError as error:
        assert error.code in ("empty", "too_long", "control_chars")
        return
    assert value and value == value.strip()
    assert len(value) <= event_import.LIMITS[event_form.TEXT_FIELDS[field]]
    assert not has_control_characters(value)
    if field not in event_form.MULTILINE:
        assert "\n" not in value and "\t" not in value
    assert event_form.parse_text(value, field) == value


@FAST
@given(st.one_of(odd_text(), st.sampled_from(["Тренінг", " training ", "SEMINAR", "семінар"])))
def test_a_typed_kind_is_one_of_the_kinds(text: str) -> None:
    try:
        kind = event_form.parse_kind(text, KINDS)
    except FormError:
        return
    assert kind in KINDS.values()


@FAST
@given(odd_text())
def test_a_written_duration_is_positive_and_at_most_sixty_days(text: str) -> None:
    try:
        span = durations.parse_duration(text)
    except ValueError as error:
        assert "\n" not in str(error)  # one line, for the configuration's message
        return
    assert timedelta(0) < span <= durations.MAX_DURATION
    assert durations.parse_duration(durations.format_duration(span)) == span


@FAST
@given(st.integers(min_value=1, max_value=int(durations.MAX_DURATION.total_seconds())))
def test_a_formatted_duration_reads_back(seconds: int) -> None:
    span = timedelta(seconds=seconds)
    assert durations.parse_duration(durations.format_duration(span)) == span


@FAST
@given(odd_text())
def test_reminder_offsets_are_few_and_longest_first(text: str) -> None:
    try:
        offsets = reminders.parse_offsets(text)
    except ValueError:
        return
    assert len(offsets) <= reminders.MAX_OFFSETS
    assert list(offsets) == sorted(set(offsets), reverse=True)
    assert reminders.parse_offsets(reminders.format_offsets(offsets)) == offsets


@pytest.mark.parametrize("zone", ["Europe/Kyiv", "America/Los_Angeles", "Pacific/Kiritimati"])
@FAST
@given(text=odd_text())
def test_a_local_date_and_time_is_a_utc_moment(zone: str, text: str) -> None:
    try:
        moment = event_import.parse_local_datetime(text, ZoneInfo(zone))
    except ValueError:
        return
    assert moment.tzinfo is UTC


@pytest.mark.parametrize("zone", ["Europe/Kyiv", "America/Los_Angeles", "Pacific/Kiritimati"])
@FAST
@given(moment=st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59)))
@example(moment=datetime(1, 1, 1))  # east of Greenwich: before the first UTC moment
@example(moment=datetime(9999, 12, 31, 23, 59))  # west of it: after the last
def test_a_written_local_time_reads_back_or_is_refused(zone: str, moment: datetime) -> None:
    tz = ZoneInfo(zone)
    naive = moment.replace(second=0, microsecond=0)
    for written in (f"{naive:%Y-%m-%d %H:%M}", f"{naive:%d.%m.%Y %H:%M}"):
        try:
            utc = event_import.parse_local_datetime(written, tz)
        except ValueError as error:
            assert str(error) in ("gap", "range", "format")
            continue
        assert utc.astimezone(tz).replace(tzinfo=None) == naive
