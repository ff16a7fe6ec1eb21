"""Translations: one catalog per language, picked per update (never installed globally)."""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("uk", "en")
DOMAIN = "messages"


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
        return format_datetime(value.astimezone(tz), "EEEE, d MMMM y, HH:mm", locale=self.language)

    def short_date_time(self, value: datetime, tz: ZoneInfo) -> str:
        """``03.12 18:00``: for buttons, where space is short."""
        return format_datetime(value.astimezone(tz), "dd.MM HH:mm", locale=self.language)

    def date(self, value: datetime, tz: ZoneInfo) -> str:
        """``03.12.2026``: for reports and lists of events."""
        return format_date(value.astimezone(tz), "dd.MM.yyyy", locale=self.language)

    def day_month(self, value: datetime, tz: ZoneInfo) -> str:
        """``2 березня``: the days of a weekly series."""
        return format_date(value.astimezone(tz), "d MMMM", locale=self.language)

    def time(self, value: datetime, tz: ZoneInfo) -> str:
        return format_time(value.astimezone(tz), "HH:mm", locale=self.language)


def _load_po(path: Path) -> gettext.GNUTranslations:
    """Compile a .po file in memory, so no build step is needed for the catalogs."""
    with path.open("rb") as fh:
        catalog = read_po(fh)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


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
