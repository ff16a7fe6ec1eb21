"""Translations: one catalog per language, picked per update (never installed globally)."""

from __future__ import annotations

import gettext
import io
import re
import struct
from collections.abc import Iterable
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("uk", "en")
DOMAIN = "messages"

# Names and the decimal sign as Babel (CLDR) writes them in the formats used here: a unit
# test checks every day of a year and a range of numbers against Babel, which the bot
# does not load (its modules and one language's data: 6 MB and 20 ms).
_WEEKDAYS = {  # "EEEE", Monday first
    "uk": ("понеділок", "вівторок", "середа", "четвер", "п\u02bcятниця", "субота", "неділя"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS = {  # "MMMM" after a day: the genitive in Ukrainian ("3 грудня")
    "uk": (
        "січня", "лютого", "березня", "квітня", "травня", "червня",
        "липня", "серпня", "вересня", "жовтня", "листопада", "грудня",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip
_DECIMAL_SIGN = {"uk": ",", "en": "."}


class Translator:
    """Texts and date formats in one language."""

    def __init__(self, language: str, translations: gettext.NullTranslations) -> None:
        self.language = language
        self._t = translations

    def gettext(self, message: str) -> str:
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    def date_time(self, value: datetime, tz: ZoneInfo) -> str:
        """``середа, 3 грудня 2026, 18:00`` in the library's zone."""
        local = value.astimezone(tz)
        weekday = _WEEKDAYS[self.language][local.weekday()]
        return f"{weekday}, {self._day_month(local)} {local.year}, {local:%H:%M}"

    def short_date_time(self, value: datetime, tz: ZoneInfo) -> str:
        """``03.12 18:00``: for buttons, where space is short."""
        return f"{value.astimezone(tz):%d.%m %H:%M}"

    def date(self, value: datetime, tz: ZoneInfo) -> str:
        """``03.12.2026``: for reports and lists of events."""
        return f"{value.astimezone(tz):%d.%m.%Y}"

    def day_month(self, value: datetime, tz: ZoneInfo) -> str:
        """``2 березня``: the days of a weekly series."""
        return self._day_month(value.astimezone(tz))

    def time(self, value: datetime, tz: ZoneInfo) -> str:
        return f"{value.astimezone(tz):%H:%M}"

    def decimal(self, value: float, places: int) -> str:
        """``4,5`` (``4.5`` in English): ``places`` digits after the sign, no grouping, the
        last one rounded half to even as written (Babel's ``0.0``)."""
        step = Decimal(1).scaleb(-places)
        text = str(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_EVEN))
        return text.replace(".", _DECIMAL_SIGN[self.language])

    def _day_month(self, local: datetime) -> str:
        return f"{local.day} {_MONTHS[self.language][local.month - 1]}"


def _load_po(path: Path) -> gettext.GNUTranslations:
    """Compile a .po file in memory, so no build step is needed for the catalogs."""
    return gettext.GNUTranslations(io.BytesIO(_mo(read_po(path.read_text(encoding="utf-8")))))


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_ESCAPE = re.compile(r"\\(.)")


def _unquote(text: str) -> str:
    """A quoted .po string (``"…"``, C escapes) as the text it stands for."""
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"not a quoted string: {text[:40]!r}")
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def read_po(text: str) -> dict[str, str]:
    """The messages of a .po file as a .mo file holds them: ``msgid`` (``msgid`` NUL
    ``msgid_plural`` for plurals) to ``msgstr`` (the forms joined by NUL), the header under
    "". As Babel's compiler: untranslated messages are left out, comments and flags
    ignored. The catalogs use only this part of the format (no contexts, no fuzzy or
    obsolete entries), and reading it here spares Babel's reader at every start-up (its
    modules and the objects of a whole catalog, about 1 MB)."""
    messages: dict[str, str] = {}
    entry: dict[str, list[str]] = {}
    field = ""

    def add() -> None:
        if "msgid" not in entry:
            return
        msgid = "".join(entry["msgid"])
        if "msgid_plural" in entry:
            forms = sorted((k for k in entry if k.startswith("msgstr[")), key=_form_number)
            key = msgid + "\0" + "".join(entry["msgid_plural"])
            messages[key] = "\0".join("".join(entry[form]) for form in forms)
        elif (value := "".join(entry.get("msgstr", []))) or not msgid:
            messages[msgid] = value

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
            entry[field].append(_unquote(line))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgid" and any(k.startswith("msgstr") for k in entry):
            add()
            entry = {}
        if not (keyword in ("msgid", "msgid_plural", "msgstr") or keyword.startswith("msgstr[")):
            raise ValueError(f"unexpected line in a .po file: {line[:40]!r}")
        field = keyword
        entry[field] = [_unquote(rest)]
    add()
    return messages


def _form_number(field: str) -> int:
    return int(field[len("msgstr[") : -1])


def _mo(messages: dict[str, str]) -> bytes:
    """A GNU .mo file of these messages (as ``msgfmt`` writes one)."""
    keys = sorted(messages)
    ids = [key.encode() for key in keys]
    strs = [messages[key].encode() for key in keys]
    key_start = 7 * 4 + 16 * len(keys)
    value_start = key_start + sum(len(i) + 1 for i in ids)
    table: list[int] = []
    offset = 0
    for i in ids:
        table += [len(i), key_start + offset]
        offset += len(i) + 1
    offset = 0
    for v in strs:
        table += [len(v), value_start + offset]
        offset += len(v) + 1
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0)
    body = b"".join(i + b"\0" for i in ids) + b"".join(v + b"\0" for v in strs)
    return header + struct.pack(f"{len(table)}i", *table) + body


class Catalogs:
    """All languages, loaded once at start-up."""

    def __init__(self, default_language: str = "uk", languages: Iterable[str] = LANGUAGES) -> None:
        self.default_language = default_language
        self._translators: dict[str, Translator] = {}
        for language in languages:
            po = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
            translations: gettext.NullTranslations
            translations = _load_po(po) if po.exists() else gettext.NullTranslations()
            self._translators[language] = Translator(language, translations)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._translators)

    def get(self, language: str | None) -> Translator:
        if language in self._translators:
            return self._translators[language]
        return self._translators[self.default_language]

    def for_telegram(self, language_code: str | None) -> Translator:
        """The language for a user who has not chosen one: English for English
        Telegram clients, the library's default for everyone else."""
        if language_code and language_code.lower().startswith("en"):
            return self.get("en")
        return self.get(self.default_language)
