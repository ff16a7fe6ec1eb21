"""Every text the bot can show exists in Ukrainian, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"gettext": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _code_messages() -> set[str | tuple[str, str]]:
    found: set[str | tuple[str, str]] = set()
    for package in ("bot", "handlers"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


def _catalog() -> dict[object, object]:
    with (LOCALES_DIR / "uk" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    return {m.id if isinstance(m.id, str) else tuple(m.id): m for m in catalog if m.id}


def test_every_message_in_the_code_is_translated_into_ukrainian() -> None:
    catalog = _catalog()
    missing = [m for m in _code_messages() if m not in catalog]
    assert missing == [], "run the catalog update described in README (Translations)"
    for key, message in catalog.items():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)  # type: ignore[attr-defined]
        assert all(strings), f"untranslated: {key!r}"
        assert not message.fuzzy, f"fuzzy: {key!r}"  # type: ignore[attr-defined]
        source = key if isinstance(key, str) else key[0]
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(source)), key


def test_the_catalog_has_no_leftovers() -> None:
    stale = set(_catalog()) - _code_messages()
    assert stale == set()


def test_dates_are_shown_in_kyiv_time_across_daylight_saving() -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from bot.i18n import Catalogs

    kyiv = ZoneInfo("Europe/Kyiv")
    uk, en = Catalogs().get("uk"), Catalogs().get("en")
    winter = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)  # the day before clocks go forward: UTC+2
    summer = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)  # UTC+3
    assert uk.date_time(winter, kyiv) == "субота, 28 березня 2026, 14:00"
    assert uk.date_time(summer, kyiv) == "неділя, 29 березня 2026, 15:00"
    assert en.date_time(summer, kyiv) == "Sunday, 29 March 2026, 15:00"
    assert uk.short_date_time(summer, kyiv) == "29.03 15:00"
    new_year = datetime(2026, 12, 31, 22, 30, tzinfo=UTC)  # already 1 January in Kyiv
    assert (uk.date(new_year, kyiv), en.date(new_year, kyiv)) == ("01.01.2027", "01.01.2027")
