"""Every text the bot can show exists in Ukrainian, with the same placeholders."""

from __future__ import annotations

import gettext
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR, Catalogs
from bot.i18n import read_po as read_catalog

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


def test_the_catalog_the_bot_reads_is_the_one_babels_compiler_makes() -> None:
    """bot/i18n.py reads the .po file itself (Babel's reader costs a start-up 1 MB):
    every message, plural form and the plural rule as Babel compiles them."""
    po = LOCALES_DIR / "uk" / "LC_MESSAGES" / "messages.po"
    buffer = io.BytesIO()
    with po.open("rb") as fh:
        write_mo(buffer, read_po(fh))
    buffer.seek(0)
    babels = gettext.GNUTranslations(buffer)
    ours = Catalogs().get("uk")
    reference = {k: v for k, v in babels._catalog.items() if k != ""}  # type: ignore[attr-defined]
    assert ours._t._catalog.items() >= reference.items()  # type: ignore[attr-defined]
    assert len(ours._t._catalog) == len(babels._catalog)  # type: ignore[attr-defined]
    assert [ours._t.plural(n) for n in range(250)] == [babels.plural(n) for n in range(250)]  # type: ignore[attr-defined]
    assert ours.ngettext(
        "{n} free seat left of {total}.", "{n} free seats left of {total}.", 22
    ) == ("Залишилося {n} вільні місця з {total}.")


def test_the_po_reader_unescapes_and_joins_continued_lines() -> None:
    text = (
        'msgid ""\nmsgstr "Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        '# a comment\nmsgid "a \\"quoted\\" word"\nmsgstr "слово \\"в лапках\\""\n\n'
        'msgid ""\n"two\\n"\n"lines"\nmsgstr ""\n"два\\n"\n"рядки"\n\n'
        'msgid "untranslated"\nmsgstr ""\n\n'
        'msgid "{n} day"\nmsgid_plural "{n} days"\nmsgstr[0] "{n} день"\nmsgstr[1] "{n} днів"\n'
    )
    assert read_catalog(text) == {
        "": "Plural-Forms: nplurals=2; plural=(n != 1);\n",
        'a "quoted" word': 'слово "в лапках"',
        "two\nlines": "два\nрядки",
        "{n} day\0{n} days": "{n} день\0{n} днів",
    }


@pytest.mark.parametrize("language", ["uk", "en"])
def test_dates_are_written_as_babel_writes_them(language: str) -> None:
    """bot/i18n.py holds the weekday and month names itself (Babel's data costs 6 MB):
    every day of a leap year, at hours and minutes that need padding and not."""
    tr = Catalogs().get(language)
    kyiv = ZoneInfo("Europe/Kyiv")
    first = datetime(2028, 1, 1, 7, 5, tzinfo=UTC)
    for day in range(366):
        moment = first + timedelta(days=day, hours=day % 17, minutes=day % 60)
        local = moment.astimezone(kyiv)
        assert tr.date_time(moment, kyiv) == babel_dates.format_datetime(
            local, "EEEE, d MMMM y, HH:mm", locale=language
        )
        assert tr.short_date_time(moment, kyiv) == babel_dates.format_datetime(
            local, "dd.MM HH:mm", locale=language
        )
        assert tr.date(moment, kyiv) == babel_dates.format_date(
            local, "dd.MM.yyyy", locale=language
        )
        assert tr.day_month(moment, kyiv) == babel_dates.format_date(
            local, "d MMMM", locale=language
        )
        assert tr.time(moment, kyiv) == babel_dates.format_time(local, "HH:mm", locale=language)


@pytest.mark.parametrize("language", ["uk", "en"])
def test_decimals_are_written_as_babel_writes_them(language: str) -> None:
    """Distances and average ratings: ties (4.25, 1.15) round as written, half to even."""
    tr = Catalogs().get(language)
    values = [n / 100 for n in range(0, 2000)] + [0.05, 1.15, 2.675, 9.95, 1234.5, 99999.95]
    for value in values:
        for places, pattern in ((0, "0"), (1, "0.0")):
            expected = babel_numbers.format_decimal(value, format=pattern, locale=language)
            assert tr.decimal(value, places) == expected, (value, places)
