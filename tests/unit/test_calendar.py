from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar

from bot.exports.calendar import event_ics
from storage.models import Event


def test_the_calendar_file_describes_the_event() -> None:
    event = Event(
        id=5,
        title="Навчаємось вираховувати субсидію",
        kind="training",
        starts_at=datetime(2026, 3, 15, 12, 0, tzinfo=UTC),
        ends_at=None,
        place="Читальна зала, вул. Незалежності, 1",
        description="Візьміть паспорт",
        created_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    data = event_ics(
        event, library_name="Волочиська ЦРБ", deep_link="https://t.me/x_bot?start=event_5"
    )
    (item,) = Calendar.from_ical(data).walk("VEVENT")
    assert str(item["summary"]) == event.title
    assert str(item["location"]) == event.place
    assert item.decoded("dtstart") == event.starts_at
    assert (item.decoded("dtend") - item.decoded("dtstart")).total_seconds() == 90 * 60
    assert str(item["uid"]) == "event-5@hromada-bot"
    assert "Волочиська ЦРБ" in str(item["description"])
