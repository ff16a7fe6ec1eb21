"""Calendar files (.ics) so residents can add an event to their phone's calendar."""

from __future__ import annotations

from bot.domain.door import ASSUMED_LENGTH
from storage.models import Event


def event_ics(
    event: Event, *, library_name: str, deep_link: str | None, location: str | None = None
) -> bytes:
    """The event as a calendar file; ``location`` (the place's name and address, see
    bot/services/places.py) instead of the text the event was made with."""
    # Imported here: a calendar file is rare, and the bot starts faster without it.
    from icalendar import Calendar  # noqa: PLC0415
    from icalendar import Event as IcsEvent  # noqa: PLC0415

    cal = Calendar()
    cal.add("prodid", "-//hromada-bot//uk")
    cal.add("version", "2.0")
    item = IcsEvent()
    item.add("uid", f"event-{event.id}@hromada-bot")
    item.add("dtstamp", event.created_at)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at or event.starts_at + ASSUMED_LENGTH)
    item.add("summary", event.title)
    item.add("location", location or event.place)
    description = "\n\n".join(p for p in (event.description, library_name, deep_link or "") if p)
    item.add("description", description)
    if deep_link:
        item.add("url", deep_link)
    cal.add_component(item)
    return bytes(cal.to_ical())
