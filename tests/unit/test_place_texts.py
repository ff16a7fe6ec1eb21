"""Where an event is, as every text and file reads it (issue 12): the configured place's
name in the reader's language, its address under it on the card and in reminders, the
text the event was made with otherwise; the place question's buttons."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from bot.config import Config, Place
from bot.domain.event_form import FormStep
from bot.domain.event_import import EventDraft
from bot.domain.status import RegistrationStatus
from bot.exports import sign_in_sheet
from bot.exports.calendar import event_ics
from bot.i18n import Catalogs
from bot.services.catalog import EventView, MyRegistration
from bot.services.places import where
from bot.services.staff_events import StaffCard
from handlers import event_form_views as views
from handlers import render
from handlers.staff_events_views import card_text
from storage.models import Event
from storage.sign_in import SheetEvent
from storage.staff_events import EventFigures, Progress
from tests.places import with_places

UK = Catalogs("uk").get("uk")
EN = Catalogs("uk").get("en")
START = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)


def _event(place: str = "Читальна зала ЦРБ", place_key: str | None = "reading_room") -> Event:
    return Event(
        id=5,
        title="Навчаємось вираховувати субсидію",
        kind="training",
        starts_at=START,
        ends_at=None,
        place=place,
        place_key=place_key,
        capacity=None,
        audience="",
        description="",
        created_at=datetime(2026, 3, 1, tzinfo=UTC),
    )


def _view(event: Event) -> EventView:
    return EventView(
        event, seats_left=None, waiting=0, closed=None, my_status=None, my_position=None
    )


def test_the_card_and_the_reminder_show_the_address_under_the_place(config: Config) -> None:
    config = with_places(config)
    card = render.event_card(config, UK, _view(_event()))
    assert "📍 Читальна зала ЦРБ\n🏠 вул. Шевченка, 12\n" in card
    reminder = render.reminder(config, EN, _event())
    assert "📍 Reading room, central library\n🏠 вул. Шевченка, 12\n" in reminder
    announcement = render.announcement(config, UK, _event())
    assert "📍 Читальна зала ЦРБ\n🏠 вул. Шевченка, 12" in announcement


def test_a_one_off_place_reads_as_typed_without_an_address_line(config: Config) -> None:
    config = with_places(config)
    event = _event("Актова зала <2 поверх>", None)
    card = render.event_card(config, UK, _view(event))
    assert "📍 Актова зала &lt;2 поверх&gt;\n" in card and "🏠" not in card
    assert "🏠" not in render.reminder(config, UK, event)


def test_my_registrations_name_the_place_without_the_address(config: Config) -> None:
    config = with_places(config)
    item = MyRegistration(_event(), RegistrationStatus.CONFIRMED, None)
    text = render.my_registrations(config, EN, [item])
    assert "📍 Reading room, central library\n" in text and "Шевченка" not in text


def test_a_change_of_place_names_both_places_in_the_readers_language(config: Config) -> None:
    config = with_places(config)
    moved = _event("Вербівка, бібліотека-філія", "verbivka_club")
    text = render.changed(
        config, EN, moved, {"place": "Читальна зала ЦРБ", "place_key": "reading_room"}
    )
    assert (
        "📍 Now: Verbivka branch library (was: Reading room, central library)\n"
        "🏠 с. Вербівка, вул. Центральна, 3"
    ) in text
    typed = render.changed(config, EN, _event("Клуб", None), {"place": "Актова зала"})
    assert "📍 Now: Клуб (was: Актова зала)" in typed and "🏠" not in typed


def test_the_calendar_and_the_sign_in_sheet_give_the_name_and_the_address(
    config: Config,
) -> None:
    config = with_places(config)
    event = _event()
    data = event_ics(
        event,
        library_name="ЦРБ",
        deep_link=None,
        location=where(config, event, "uk").line,
    )
    (item,) = Calendar.from_ical(data).walk("VEVENT")
    assert str(item["location"]) == "Читальна зала ЦРБ, вул. Шевченка, 12"
    facts = SheetEvent(
        5, event.title, "training", START, None, event.place, "published", None, "reading_room"
    )
    sheet = sign_in_sheet.sheet(config, UK, facts, [])
    assert ("Місце", "Читальна зала ЦРБ, вул. Шевченка, 12") in sheet.facts


def test_the_preview_shows_a_chosen_place_with_its_address(config: Config) -> None:
    config = with_places(config)
    draft = EventDraft(
        title="Субсидії",
        kind="training",
        starts_at=START,
        ends_at=None,
        place="Читальна зала ЦРБ",
        capacity=None,
    )
    assert "📍 Reading room, central library\n🏠 вул. Шевченка, 12" in views.preview(
        config, EN, draft
    )


def test_the_place_question_offers_the_branchs_places_and_takes_only_those(
    config: Config,
) -> None:
    config = with_places(config)
    everyone = views.new_event_keyboard(config, UK, FormStep.PLACE)
    texts = [row[0].text for row in everyone.inline_keyboard]
    assert texts == ["📍 Читальна зала ЦРБ", "📍 Вербівка, бібліотека-філія", "✖️ Скасувати"]
    village = views.new_event_keyboard(config, UK, FormStep.PLACE, branch="verbivka")
    assert [row[0].callback_data for row in village.inline_keyboard] == [
        "ne:place:verbivka_club",
        "ne:x",
    ]
    assert views.chosen(config, FormStep.PLACE, "verbivka_club", (), branch="verbivka") == (
        "Вербівка, бібліотека-філія"
    )
    # Another branch's place, forged: not taken.
    forged = views.chosen(config, FormStep.PLACE, "reading_room", (), branch="verbivka")
    assert forged is views.INVALID
    assert views.chosen(config, FormStep.PLACE, "nowhere", ()) is views.INVALID


def test_without_places_the_place_question_has_no_place_buttons(config: Config) -> None:
    keyboard = views.new_event_keyboard(config, UK, FormStep.PLACE)
    assert [row[0].text for row in keyboard.inline_keyboard] == ["✖️ Скасувати"]
    assert "Наприклад: Читальна зала" in views.question(config, UK, FormStep.PLACE)


def test_many_places_are_offered_a_page_at_a_time(config: Config) -> None:
    many = tuple(
        Place(f"room_{n:02}", {"uk": f"Зала {n:02}", "en": f"Room {n:02}"}) for n in range(11)
    )
    config = dataclasses.replace(config, places=many)
    first = views.new_event_keyboard(config, UK, FormStep.PLACE).inline_keyboard
    assert [row[0].text for row in first[:8]] == [f"📍 Зала {n:02}" for n in range(8)]
    assert [b.callback_data for b in first[8]] == ["ne:place:1"]  # «Далі ▶️» only
    second = views.new_event_keyboard(config, UK, FormStep.PLACE, page=1).inline_keyboard
    assert [row[0].text for row in second[:3]] == ["📍 Зала 08", "📍 Зала 09", "📍 Зала 10"]
    assert [b.callback_data for b in second[3]] == ["ne:place:0"]
    assert views.place_page("1") == 1 and views.place_page("room_01") is None
    edit = views.edit_keyboard(config, UK, 7, FormStep.PLACE, page=1).inline_keyboard
    assert edit[0][0].callback_data == "eda:7:place:room_08"


def test_the_staff_card_shows_the_place_with_its_address(config: Config) -> None:
    event = _event()
    event.status, event.reminder_offsets, event.seats_taken = "published", None, 0
    card = StaffCard(EventFigures(event, 0, 0, 0), Progress(0, 0, 0, 0))
    text = card_text(with_places(config), UK, card, now=START - timedelta(days=1))
    assert "📍 Читальна зала ЦРБ\n🏠 вул. Шевченка, 12" in text
