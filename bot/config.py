"""Typed, validated configuration, loaded once at start-up from a TOML file.

Every problem is reported as a :class:`ConfigError` with a one-line message
``<file>: <key>: <what is wrong>`` so that a librarian editing the file can
find the mistake. The bot token is wrapped in :class:`Secret` and never
appears in a repr, a log line or an error message.

Environment variables override the file (see :data:`ENVIRONMENT`), so that the bot
runs from the environment alone, as twelve-factor tools (Docker, systemd) expect.
"""

from __future__ import annotations

import difflib
import hmac
import json
import os
import re
import socket
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, NoReturn, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.domain.durations import parse_duration
from bot.domain.quiet import QuietHours, parse_quiet_hours

__all__ = [
    "DEFAULT_DATABASE_FILENAME",
    "DEFAULT_LANGUAGE",
    "DEFAULT_LIBRARY_NAME",
    "DEFAULT_REMINDERS",
    "DEFAULT_TIMEZONE",
    "ENVIRONMENT",
    "KEY_PATTERN",
    "LANGUAGES",
    "Branch",
    "Category",
    "Config",
    "ConfigError",
    "DatabaseConfig",
    "DocumentsConfig",
    "EventKind",
    "LibraryConfig",
    "Place",
    "RemindersConfig",
    "Secret",
    "StaffConfig",
    "TelegramConfig",
    "WebhookConfig",
    "default_categories",
    "default_event_kinds",
    "load_config",
]

LANGUAGES: tuple[str, ...] = ("uk", "en")
DEFAULT_QUIET_HOURS = QuietHours(time(21, 0), time(8, 0))
# Telegram's limits for the bot's description and short description.
DESCRIPTION_LIMIT, SHORT_DESCRIPTION_LIMIT = 512, 120
"""Languages the bot speaks; every label, name and count form exists in each."""

DEFAULT_LANGUAGE = "uk"
DEFAULT_TIMEZONE = "Europe/Kyiv"
DEFAULT_LIBRARY_NAME = "Бібліотека"
DEFAULT_DATABASE_FILENAME = "hromada.sqlite3"
DEFAULT_REMINDERS: tuple[timedelta, ...] = (timedelta(hours=24), timedelta(hours=2))
DEFAULT_TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_TELEGRAM_API_FILE_URL = "https://api.telegram.org/file/bot"

KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,31}")
"""Category and event-kind keys; they travel in callback data, so short and plain."""

ENVIRONMENT: dict[str, str] = {
    "BOT_TOKEN": "telegram.token: the bot's token from @BotFather",
    "DATABASE_URL": "database.url: sqlite+aiosqlite:///… or postgresql+asyncpg://…",
    "HROMADA_ADMINS": 'staff.admins: staff Telegram user ids, "123,456"',
    "HROMADA_LIBRARY_NAME": "library.name: the library's name",
    "HROMADA_TIMEZONE": 'library.timezone: an IANA time zone, "Europe/Kyiv"',
    "HROMADA_DEFAULT_LANGUAGE": 'library.default_language: "uk" or "en"',
    "HROMADA_TELEGRAM_API_BASE_URL": "telegram.api_base_url: a Bot API server of your own",
    "HROMADA_TELEGRAM_API_FILE_URL": "telegram.api_file_url: its file address",
    "HROMADA_WEBHOOK_URL": "telegram.webhook.url: the public https:// address Telegram posts to",
    "HROMADA_WEBHOOK_SECRET": "telegram.webhook.secret: 16-256 of A-Z a-z 0-9 _ -, never logged",
    "HROMADA_WEBHOOK_LISTEN": 'telegram.webhook.listen: the address to listen on, "0.0.0.0"',
    "HROMADA_WEBHOOK_PORT": "telegram.webhook.port: the port to listen on (default 8080)",
    "HROMADA_INSTANCE": "reminders.instance: this process's name, different for each one running",
    "HROMADA_CONFIG": "the configuration file (default ./config.toml; optional)",
    "HROMADA_LOG_LEVEL": "DEBUG, INFO or WARNING",
}
"""Every environment variable the bot reads -> what it sets. All but the last two override the
file's key; a non-empty value wins, an empty one is ignored. ``deploy/hromada.env.example``
lists exactly these (a test keeps them together)."""

_TOKEN_PATTERN = re.compile(r"[0-9]+:[A-Za-z0-9_-]{20,}")
_MASK = "**********"


# --------------------------------------------------------------------------- #
# Public types
# --------------------------------------------------------------------------- #


class Secret:
    """A string that must not leak: its repr and str are ``Secret('**********')``.

    Call :meth:`get` at the single place that needs the real value.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get(self) -> str:
        """The secret value itself; do not log it."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret('{_MASK}')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash((Secret, self._value))

    def __reduce__(self) -> tuple[type[Secret], tuple[str]]:
        return (Secret, (self._value,))


class ConfigError(Exception):
    """A problem with the configuration, as ``<file>: <key>: <what is wrong>``.

    The message is always a single line. ``key`` is dotted (``library.timezone``,
    ``event_kinds[2].counted.uk``) or ``None`` for file-level problems.
    """

    def __init__(self, path: Path | str, key: str | None, problem: str) -> None:
        self.path = Path(path)
        self.key = key
        self.problem = problem
        where = f"{path}: {key}" if key else f"{path}"
        super().__init__(" ".join(f"{where}: {problem}".splitlines()))

    def __reduce__(self) -> tuple[type[ConfigError], tuple[Path, str | None, str]]:
        return (type(self), (self.path, self.key, self.problem))


DEFAULT_WEBHOOK_LISTEN = "127.0.0.1"
DEFAULT_WEBHOOK_PORT = 8080
DEFAULT_WEBHOOK_PATH = "/telegram"
HEALTH_PATH = "/healthz"
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{16,256}")
_WEBHOOK_PATH = re.compile(r"(/[A-Za-z0-9._~-]+)+/?")


@dataclass(frozen=True)
class WebhookConfig:
    """``hromada-bot webhook``: where Telegram posts updates and how they are checked."""

    url: str | None = None
    """The public address given to Telegram (``setWebhook``), behind a proxy or not."""
    secret: Secret | None = None
    """Telegram sends it in ``X-Telegram-Bot-Api-Secret-Token`` with every update."""
    listen: str = DEFAULT_WEBHOOK_LISTEN
    port: int = DEFAULT_WEBHOOK_PORT
    path: str | None = None
    """The path this process serves; ``None``: the URL's own path (``/telegram`` if bare)."""

    @property
    def serve_path(self) -> str:
        """The path updates are posted to on this process."""
        if self.path is not None:
            return self.path
        if self.url is None:
            return DEFAULT_WEBHOOK_PATH
        path = urlsplit(self.url).path
        return path if path not in ("", "/") else DEFAULT_WEBHOOK_PATH


@dataclass(frozen=True)
class TelegramConfig:
    token: Secret | None
    api_base_url: str = DEFAULT_TELEGRAM_API_BASE_URL
    api_file_url: str = DEFAULT_TELEGRAM_API_FILE_URL
    # Telegram accepts about one message a second into one chat; a Bot API server of your
    # own (or the test emulator) may accept more.
    chat_messages_per_second: float = 1.0
    channel: str | None = None
    """The library's Telegram channel (``@name`` or its numeric id), where announcing an
    event also posts it; the bot must be one of its administrators."""
    webhook: WebhookConfig = field(default_factory=WebhookConfig)


@dataclass(frozen=True)
class DatabaseConfig:
    url: str = field(repr=False)
    """An SQLAlchemy async URL: ``sqlite+aiosqlite:///…`` or ``postgresql+asyncpg://…``."""

    def __repr__(self) -> str:
        return f"DatabaseConfig(url={self.safe_url!r})"

    @property
    def safe_url(self) -> str:
        """The URL with any password masked, fit to print."""
        return _mask_password(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")


@dataclass(frozen=True)
class LibraryConfig:
    name: str = DEFAULT_LIBRARY_NAME
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIMEZONE))
    default_language: str = DEFAULT_LANGUAGE
    name_genitive: str = ""
    """«Звіт Волочиської ЦРБ за проектом …»; empty: the name as it is."""
    description: Mapping[str, str] = field(default_factory=dict)
    """What Telegram shows in an empty chat before /start, by language; a language not
    here gets the translated default (with the library's name)."""
    short_description: Mapping[str, str] = field(default_factory=dict)
    """The line on the bot's profile and in shared links, by language."""
    quiet_hours: QuietHours | None = DEFAULT_QUIET_HOURS
    """At night announcements and notices wait for the morning; reminders go out silently."""

    @property
    def genitive(self) -> str:
        return self.name_genitive or self.name


@dataclass(frozen=True)
class StaffConfig:
    admins: tuple[int, ...] = ()
    """Telegram user ids of the library staff who manage events."""
    morning_summary_at: time = time(8, 0)
    """The library's local time at which staff who asked for it get the day's summary."""


@dataclass(frozen=True)
class RemindersConfig:
    before: tuple[timedelta, ...] = DEFAULT_REMINDERS
    """How long before an event each reminder goes out; sorted descending, unique."""
    sweep_interval: timedelta = timedelta(seconds=15)
    """How often the outbox is checked for work another process (or the CLI) queued."""
    claim_lease: timedelta = timedelta(minutes=5)
    """A message claimed this long ago and not sent belongs to a process that died."""
    instance: str = field(default_factory=lambda: socket.gethostname() or "hromada-bot")
    """This service's name, the same across its restarts and different for each process
    running at once: a restarted process gives back its predecessor's claims at once."""


@dataclass(frozen=True)
class DocumentsConfig:
    """The printable files staff get from an event's card, and the report document."""

    sign_in_phones: bool = False
    """Whether the sign-in sheet has a phone column (personal data on paper)."""
    sign_in_blank_rows: int = 10
    """Empty lines under the registered people, for walk-ins to sign (0-100)."""
    report_template: Path | None = None
    """The library's own DOCX template of the report (absolute); None: the shipped one."""


SIGN_IN_BLANK_ROWS_MAX = 100


@dataclass(frozen=True)
class Category:
    """A group of participants, asked at registration and counted in reports."""

    key: str
    labels: dict[str, str] = field(hash=False)
    """Language code -> label: ``{"uk": "Бібліотечні фахівці", "en": "Library specialists"}``."""

    def label(self, language: str) -> str:
        """The label in ``language``, falling back to English."""
        return self.labels.get(language) or self.labels["en"]


@dataclass(frozen=True)
class EventKind:
    """A kind of event (training, seminar, ...), shown on cards and counted in reports."""

    key: str
    names: dict[str, str] = field(hash=False)
    """Language code -> nominative singular shown on cards: ``"Тренінг"``."""
    counted: dict[str, tuple[str, str, str]] = field(hash=False)
    """Language code -> forms after a number (Ukrainian accusative): one, few, many.

    ``("тренінг", "тренінги", "тренінгів")``; English uses one / other / other.
    Pick one with ``bot.domain.plural.plural_index``.
    """

    accusatives: dict[str, str] = field(default_factory=dict, hash=False)
    """Language code -> accusative singular for the report's line: ``"інформаційну акцію"``;
    a language missing here uses the first of ``counted`` (the form after 1)."""

    def name(self, language: str) -> str:
        """The card name in ``language``, falling back to English."""
        return self.names.get(language) or self.names["en"]

    def accusative(self, language: str) -> str:
        """«проведено: інформаційну акцію …»: the singular the report's line starts with."""
        if found := self.accusatives.get(language):
            return found
        forms = self.counted.get(language) or self.counted["en"]
        return forms[0]


@dataclass(frozen=True)
class Branch:
    """A part of the library network (the central library, a village branch): staff may
    belong to one, residents may narrow events and subscriptions to some."""

    key: str
    names: dict[str, str] = field(hash=False)
    """Language code -> name: ``{"uk": "Вербівська сільська бібліотека", "en": …}``."""

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["en"]


@dataclass(frozen=True)
class Place:
    """Where events happen, chosen by key when an event is created; the card shows its
    address and, with coordinates, a map."""

    key: str
    names: dict[str, str] = field(hash=False)
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    branch: str | None = None
    """The key of the branch it belongs to; ``None`` when no branches are configured."""

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["en"]

    @property
    def located(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class Config:
    telegram: TelegramConfig
    database: DatabaseConfig
    library: LibraryConfig
    staff: StaffConfig
    reminders: RemindersConfig
    categories: tuple[Category, ...]
    event_kinds: tuple[EventKind, ...]
    path: Path
    """The configuration file (absolute)."""
    documents: DocumentsConfig = field(default_factory=DocumentsConfig)
    branches: tuple[Branch, ...] = ()
    places: tuple[Place, ...] = ()

    def category(self, key: str) -> Category | None:
        return next((c for c in self.categories if c.key == key), None)

    def branch(self, key: str | None) -> Branch | None:
        return next((b for b in self.branches if b.key == key), None)

    def place(self, key: str | None) -> Place | None:
        return next((p for p in self.places if p.key == key), None)

    def find_place(self, text: str) -> Place | None:
        """The place a librarian typed: its key or its name in any language (any case)."""
        wanted = " ".join(text.split()).casefold()
        for place in self.places:
            if wanted == place.key or wanted in (n.casefold() for n in place.names.values()):
                return place
        return None

    def event_kind(self, key: str) -> EventKind | None:
        return next((k for k in self.event_kinds if k.key == key), None)

    def require_token(self) -> Secret:
        """The bot token, or a :class:`ConfigError` explaining how to provide it."""
        if self.telegram.token is None:
            raise ConfigError(
                self.path,
                "telegram.token",
                "missing; set it in the file or the BOT_TOKEN environment variable",
            )
        return self.telegram.token

    def require_webhook(self) -> tuple[str, Secret]:
        """The webhook's public URL and secret, or a :class:`ConfigError` saying which is
        missing and how to give it."""
        hook = self.telegram.webhook
        if hook.url is None:
            raise ConfigError(
                self.path,
                "telegram.webhook.url",
                "missing; set it in the file or the HROMADA_WEBHOOK_URL environment variable "
                "(or give --url)",
            )
        if hook.secret is None:
            raise ConfigError(
                self.path,
                "telegram.webhook.secret",
                "missing; set it in the file or the HROMADA_WEBHOOK_SECRET environment variable "
                "(16-256 of A-Z a-z 0-9 _ -, e.g. from `openssl rand -hex 32`)",
            )
        return hook.url, hook.secret


# --------------------------------------------------------------------------- #
# Defaults
# --------------------------------------------------------------------------- #

_DEFAULT_CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("library_specialists", "Бібліотечні фахівці", "Library specialists"),
    ("library_users", "Користувачі бібліотеки", "Library users"),
    ("government", "Представники влади", "Government representatives"),
    ("ngo_activists", "Активісти громадських організацій", "NGO activists"),
    ("idp", "Внутрішньо переміщені особи", "Internally displaced persons"),
    ("other", "Інше", "Other"),
)

# key, (uk name, uk one/few/many accusative), (en name, en one/other/other)
_DEFAULT_EVENT_KINDS: tuple[
    tuple[str, tuple[str, tuple[str, str, str]], tuple[str, tuple[str, str, str]]], ...
] = (
    (
        "training",
        ("Тренінг", ("тренінг", "тренінги", "тренінгів")),
        ("Training", ("training", "trainings", "trainings")),
    ),
    (
        "seminar",
        ("Семінар", ("семінар", "семінари", "семінарів")),
        ("Seminar", ("seminar", "seminars", "seminars")),
    ),
    (
        "practical",
        ("Практичне заняття", ("практичне заняття", "практичні заняття", "практичних занять")),
        ("Practical session", ("practical session", "practical sessions", "practical sessions")),
    ),
    (
        "campaign",
        (
            "Інформаційна акція",
            ("інформаційну акцію", "інформаційні акції", "інформаційних акцій"),
        ),
        (
            "Information campaign",
            ("information campaign", "information campaigns", "information campaigns"),
        ),
    ),
    (
        "lecture",
        ("Лекція", ("лекцію", "лекції", "лекцій")),
        ("Lecture", ("lecture", "lectures", "lectures")),
    ),
    (
        "master_class",
        ("Майстер-клас", ("майстер-клас", "майстер-класи", "майстер-класів")),
        ("Master class", ("master class", "master classes", "master classes")),
    ),
    (
        "meeting",
        ("Зустріч", ("зустріч", "зустрічі", "зустрічей")),
        ("Meeting", ("meeting", "meetings", "meetings")),
    ),
)


def default_categories() -> tuple[Category, ...]:
    """The participant categories used when the file has no ``[[categories]]``."""
    return tuple(Category(key, {"uk": uk, "en": en}) for key, uk, en in _DEFAULT_CATEGORIES)


def default_event_kinds() -> tuple[EventKind, ...]:
    """The event kinds used when the file has no ``[[event_kinds]]``."""
    return tuple(
        EventKind(key, {"uk": uk_name, "en": en_name}, {"uk": uk_forms, "en": en_forms})
        for key, (uk_name, uk_forms), (en_name, en_forms) in _DEFAULT_EVENT_KINDS
    )


# --------------------------------------------------------------------------- #
# Loading
# --------------------------------------------------------------------------- #

_SECTIONS: dict[str, tuple[str, ...]] = {
    "telegram": (
        "token",
        "api_base_url",
        "api_file_url",
        "chat_messages_per_second",
        "channel",
        "webhook",
    ),
    "database": ("url",),
    "library": (
        "name",
        "timezone",
        "default_language",
        "name_genitive",
        "description",
        "short_description",
        "quiet_hours",
    ),
    "staff": ("admins", "morning_summary_at"),
    "reminders": ("before", "sweep_interval", "claim_lease", "instance"),
    "documents": ("sign_in_phones", "sign_in_blank_rows", "report_template"),
    "categories": ("key", "labels"),
    "event_kinds": ("key", "names", "counted", "accusative"),
    "branches": ("key", "names"),
    "places": ("key", "names", "address", "latitude", "longitude", "branch"),
}
_WEBHOOK_KEYS = ("url", "secret", "listen", "port", "path")
_OPTIONAL_ENTRY_KEYS = frozenset({"accusative", "address", "latitude", "longitude", "branch"})
_CHANNEL = re.compile(r"@[A-Za-z][A-Za-z0-9_]{3,31}|-100\d{6,13}", re.ASCII)
_ARRAY_SECTIONS = frozenset({"categories", "event_kinds", "branches", "places"})

_T = TypeVar("_T")


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime | date | time):
        return "a date/time"
    return type(value).__name__


def _mask_password(url: str) -> str:
    """``scheme://user:password@host`` -> ``scheme://user:***@host``."""
    return re.sub(r"(://[^/@:]*:)[^/@]*@", r"\1***@", url)


def _suggest(word: str, choices: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f' (did you mean "{close[0]}"?)' if close else ""


class _Loader:
    """Walks the parsed TOML, turning each problem into a ConfigError."""

    def __init__(self, path: Path, environ: Mapping[str, str]) -> None:
        self.path = path
        self.directory = path.resolve().parent
        self.environ = environ

    def fail(self, key: str | None, problem: str) -> NoReturn:
        raise ConfigError(self.path, key, problem)

    # -- generic checks ---------------------------------------------------- #

    def check_keys(self, table: Mapping[str, Any], prefix: str, allowed: tuple[str, ...]) -> None:
        for name in table:
            if name not in allowed:
                where = f"{prefix}.{name}" if prefix else name
                self.fail(
                    where,
                    f"unknown key{_suggest(name, allowed)}; expected one of {', '.join(allowed)}",
                )

    def table(self, value: object, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(key, f"expected a table, got {_type_name(value)}")
        return value

    def string(self, value: object, key: str, *, empty_ok: bool = False) -> str:
        if not isinstance(value, str):
            self.fail(key, f"expected a string, got {_type_name(value)}")
        text = value.strip()
        if not text and not empty_ok:
            self.fail(key, "must not be empty")
        return text

    def array(self, value: object, key: str) -> list[Any]:
        if not isinstance(value, list):
            self.fail(key, f"expected an array, got {_type_name(value)}")
        return value

    def each(self, value: object, key: str, convert: Callable[[object, str], _T]) -> tuple[_T, ...]:
        return tuple(convert(item, f"{key}[{i}]") for i, item in enumerate(self.array(value, key)))

    def optional(
        self, table: Mapping[str, Any], name: str, prefix: str, convert: Callable[[object, str], _T]
    ) -> _T | None:
        if name not in table:
            return None
        return convert(table[name], f"{prefix}.{name}")

    # -- sections ------------------------------------------------------------ #

    def load(self, data: dict[str, Any]) -> Config:
        for name, value in data.items():
            if name not in _SECTIONS:
                self.fail(
                    name,
                    f"unknown section{_suggest(name, list(_SECTIONS))}; "
                    f"expected one of {', '.join(_SECTIONS)}",
                )
            if name in _ARRAY_SECTIONS:
                if not isinstance(value, list):
                    self.fail(
                        name, f"expected an array of tables ([[{name}]]), got {_type_name(value)}"
                    )
            else:
                self.check_keys(self.table(value, name), name, _SECTIONS[name])
        branches = self.branches(data["branches"]) if "branches" in data else ()
        if branches and "places" not in data:
            self.fail("places", "missing; branches need [[places]], each naming its branch")
        return Config(
            telegram=self.telegram(data.get("telegram", {})),
            database=self.database(data.get("database", {})),
            library=self.library(data.get("library", {})),
            staff=self.staff(data.get("staff", {})),
            reminders=self.reminders(data.get("reminders", {})),
            categories=self.categories(data["categories"])
            if "categories" in data
            else default_categories(),
            event_kinds=self.event_kinds(data["event_kinds"])
            if "event_kinds" in data
            else default_event_kinds(),
            path=self.path.resolve(),
            documents=self.documents(data.get("documents", {})),
            branches=branches,
            places=self.places(data["places"], branches) if "places" in data else (),
        )

    def telegram(self, section: dict[str, Any]) -> TelegramConfig:
        token: Secret | None = None
        env_token = self.environ.get("BOT_TOKEN", "").strip()
        if env_token:
            token = self.token(env_token, "telegram.token (from BOT_TOKEN)")
        elif "token" in section:
            raw = section["token"]
            if not isinstance(raw, str):
                self.fail("telegram.token", f"expected a string, got {_type_name(raw)}")
            if raw.strip():
                token = self.token(raw.strip(), "telegram.token")
        return TelegramConfig(
            token=token,
            api_base_url=self.from_env(
                "HROMADA_TELEGRAM_API_BASE_URL", "telegram.api_base_url", self.http_url
            )
            or self.optional(section, "api_base_url", "telegram", self.http_url)
            or DEFAULT_TELEGRAM_API_BASE_URL,
            api_file_url=self.from_env(
                "HROMADA_TELEGRAM_API_FILE_URL", "telegram.api_file_url", self.http_url
            )
            or self.optional(section, "api_file_url", "telegram", self.http_url)
            or DEFAULT_TELEGRAM_API_FILE_URL,
            chat_messages_per_second=self.optional(
                section, "chat_messages_per_second", "telegram", self.rate
            )
            or 1.0,
            channel=self.optional(section, "channel", "telegram", self.channel) or None,
            webhook=self.webhook(section.get("webhook", {}), token),
        )

    def webhook(self, value: object, token: Secret | None) -> WebhookConfig:
        section = self.table(value, "telegram.webhook")
        self.check_keys(section, "telegram.webhook", _WEBHOOK_KEYS)
        url = self.from_env(
            "HROMADA_WEBHOOK_URL", "telegram.webhook.url", self.http_url
        ) or self.optional(section, "url", "telegram.webhook", self.http_url)
        secret = self.from_env(
            "HROMADA_WEBHOOK_SECRET", "telegram.webhook.secret", self.webhook_secret
        ) or self.optional(section, "secret", "telegram.webhook", self.webhook_secret)
        listen = self.from_env(
            "HROMADA_WEBHOOK_LISTEN", "telegram.webhook.listen", self.string
        ) or self.optional(section, "listen", "telegram.webhook", self.string)
        port = self.from_env(
            "HROMADA_WEBHOOK_PORT", "telegram.webhook.port", self.port
        ) or self.optional(section, "port", "telegram.webhook", self.port)
        path = self.optional(section, "path", "telegram.webhook", self.webhook_path)
        if token is not None:
            for key, text in (("url", url), ("path", path)):
                if text is not None and token.get().split(":", 1)[-1] in text:
                    self.fail(f"telegram.webhook.{key}", "must not contain the bot token")
        return WebhookConfig(
            url=url,
            secret=secret,
            listen=listen or DEFAULT_WEBHOOK_LISTEN,
            port=port or DEFAULT_WEBHOOK_PORT,
            path=path,
        )

    def webhook_secret(self, value: object, key: str) -> Secret:
        # Never put the value into the message.
        if not isinstance(value, str) or not _WEBHOOK_SECRET.fullmatch(value.strip()):
            self.fail(
                key,
                "expected 16 to 256 letters A-Z a-z, digits, _ or - (Telegram's rule), "
                "e.g. from `openssl rand -hex 32`",
            )
        return Secret(value.strip())

    def port(self, value: object, key: str) -> int:
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 65536:
            self.fail(key, "expected a port number from 1 to 65535")
        return value

    def webhook_path(self, value: object, key: str) -> str:
        path = self.string(value, key)
        if not _WEBHOOK_PATH.fullmatch(path) or path.rstrip("/") == HEALTH_PATH:
            self.fail(
                key,
                f'expected a path such as "/telegram" (letters, digits, "/", "-", "_", "."), '
                f"not {HEALTH_PATH}; got {_quote(path)}",
            )
        return path

    def channel(self, value: object, key: str) -> str:
        """``@name`` (what t.me/name shows) or the numeric id (``-100…``); empty: none."""
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        text = self.string(value, key, empty_ok=True)
        if text and not _CHANNEL.fullmatch(text):
            self.fail(
                key,
                f"{_quote(text)} is not a channel; expected its @name, as in t.me/name "
                '("@volochysk_library"), or its numeric id ("-1001234567890")',
            )
        return text

    def token(self, value: str, key: str) -> Secret:
        # Never put the value into the message.
        if not _TOKEN_PATTERN.fullmatch(value):
            self.fail(
                key,
                "does not look like a bot token; expected digits, a colon and at least "
                'twenty letters, digits, "_" or "-", as given by @BotFather',
            )
        return Secret(value)

    def rate(self, value: object, key: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(key, f"expected a number, got {_type_name(value)}")
        if not 0 < value <= 1000:
            self.fail(key, "expected a number of messages a second above 0, at most 1000")
        return float(value)

    def http_url(self, value: object, key: str) -> str:
        url = self.string(value, key)
        if not url.startswith(("https://", "http://")):
            self.fail(key, f"expected an http:// or https:// URL, got {_quote(url)}")
        return url

    def database(self, section: dict[str, Any]) -> DatabaseConfig:
        env_url = self.environ.get("DATABASE_URL", "").strip()
        if env_url:
            return DatabaseConfig(self.database_url(env_url, "database.url (from DATABASE_URL)"))
        if "url" in section:
            return DatabaseConfig(self.database_url(section["url"], "database.url"))
        return DatabaseConfig(f"sqlite+aiosqlite:///{self.directory / DEFAULT_DATABASE_FILENAME}")

    def database_url(self, value: object, key: str) -> str:
        url = self.string(value, key)
        scheme, sep, rest = url.partition("://")
        if not sep:
            self.fail(
                key,
                "expected a URL such as sqlite+aiosqlite:///hromada.sqlite3 or "
                "postgresql+asyncpg://user@127.0.0.1:5432/hromada",
            )
        scheme = scheme.lower()
        if scheme in ("postgres", "postgresql", "postgresql+asyncpg"):
            if not rest:
                self.fail(key, "the PostgreSQL URL has no host or database")
            return f"postgresql+asyncpg://{rest}"
        if scheme in ("sqlite", "sqlite+aiosqlite"):
            return f"sqlite+aiosqlite://{self.sqlite_location(rest, key)}"
        # Only the scheme is shown: the rest may contain a password.
        self.fail(
            key,
            f"unsupported database {_quote(scheme)}; expected sqlite+aiosqlite:///… "
            "or postgresql+asyncpg://…",
        )

    def sqlite_location(self, rest: str, key: str) -> str:
        """The part after ``sqlite://``: ``/<path>[?query]``, made absolute."""
        if not rest or rest == "/":
            return "/:memory:"  # SQLAlchemy's in-memory database
        if not rest.startswith("/"):
            self.fail(
                key,
                "an SQLite URL has three slashes before a relative path "
                "(sqlite+aiosqlite:///hromada.sqlite3) and four before an absolute one",
            )
        location, qmark, query = rest[1:].partition("?")
        if location in ("", ":memory:") or location.startswith("file:"):
            return f"/{location}{qmark}{query}"
        file = Path(location).expanduser()
        if not file.is_absolute():
            file = self.directory / file
        return f"/{file}{qmark}{query}"

    def from_env(self, variable: str, key: str, convert: Callable[[object, str], _T]) -> _T | None:
        """The converted value of a non-empty environment variable overriding ``key``."""
        value = self.environ.get(variable, "").strip()
        if not value:
            return None
        return convert(value, f"{key} (from {variable})")

    def library(self, section: dict[str, Any]) -> LibraryConfig:
        name = (
            self.from_env("HROMADA_LIBRARY_NAME", "library.name", self.string)
            or self.optional(section, "name", "library", self.string)
            or DEFAULT_LIBRARY_NAME
        )
        zone = self.from_env(
            "HROMADA_TIMEZONE", "library.timezone", self.timezone
        ) or self.optional(section, "timezone", "library", self.timezone)
        language = self.from_env(
            "HROMADA_DEFAULT_LANGUAGE", "library.default_language", self.language
        ) or self.optional(section, "default_language", "library", self.language)
        genitive = (
            self.optional(
                section,
                "name_genitive",
                "library",
                lambda value, key: self.string(value, key, empty_ok=True),
            )
            or ""
        )
        return LibraryConfig(
            name=name,
            timezone=zone or ZoneInfo(DEFAULT_TIMEZONE),
            default_language=language or DEFAULT_LANGUAGE,
            name_genitive=genitive,
            description=self.by_language(section, "description", DESCRIPTION_LIMIT),
            short_description=self.by_language(
                section, "short_description", SHORT_DESCRIPTION_LIMIT
            ),
            quiet_hours=self.optional(section, "quiet_hours", "library", self.quiet_hours)
            if "quiet_hours" in section
            else DEFAULT_QUIET_HOURS,
        )

    def quiet_hours(self, value: object, key: str) -> QuietHours | None:
        text = self.string(value, key, empty_ok=True)
        try:
            return parse_quiet_hours(text)
        except ValueError:
            self.fail(
                key,
                f"{_quote(text)} is not a span of the night; expected "
                f'"HH:MM-HH:MM" such as "{DEFAULT_QUIET_HOURS}", or "" for none',
            )

    def by_language(self, section: Mapping[str, Any], name: str, limit: int) -> dict[str, str]:
        """A text for every language (a string) or for some (a table by language code),
        within Telegram's ``limit`` of characters."""
        if name not in section:
            return {}
        key = f"library.{name}"
        value = section[name]
        if isinstance(value, str):
            texts = dict.fromkeys(LANGUAGES, self.string(value, key))
        elif isinstance(value, dict):
            texts = {
                self.language(code, key): self.string(text, f"{key}.{code}")
                for code, text in value.items()
            }
        else:
            self.fail(key, f"expected a string or a table by language, got {_type_name(value)}")
        for code, text in texts.items():
            if len(text) > limit:
                where = key if isinstance(value, str) else f"{key}.{code}"
                self.fail(where, f"{len(text)} characters; Telegram allows at most {limit}")
        return texts

    def timezone(self, value: object, key: str) -> ZoneInfo:
        name = self.string(value, key)
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
        hint = next((z for z in sorted(available_timezones()) if z.lower() == name.lower()), None)
        suggestion = f' (did you mean "{hint}"?)' if hint else ""
        self.fail(
            key,
            f"unknown time zone {_quote(name)}{suggestion}; "
            f'expected an IANA name such as "{DEFAULT_TIMEZONE}"',
        )

    def language(self, value: object, key: str) -> str:
        code = self.string(value, key)
        if code not in LANGUAGES:
            self.fail(key, f"unsupported language {_quote(code)}; expected one of {_or(LANGUAGES)}")
        return code

    def staff(self, section: dict[str, Any]) -> StaffConfig:
        from_env = self.from_env("HROMADA_ADMINS", "staff.admins", self.admin_list)
        admins = (
            from_env
            if from_env is not None
            else self.optional(section, "admins", "staff", self.admin_ids) or ()
        )
        at = self.optional(section, "morning_summary_at", "staff", self.time_of_day)
        return StaffConfig(admins=admins, morning_summary_at=time(8, 0) if at is None else at)

    def time_of_day(self, value: object, key: str) -> time:
        text = self.string(value, key)
        found = re.fullmatch(r"([01]?[0-9]|2[0-3]):([0-5][0-9])", text.strip())
        if found is None:
            self.fail(key, f'expected a time of day like "08:00", got {_quote(text)}')
        return time(int(found.group(1)), int(found.group(2)))

    def admin_ids(self, value: object, key: str) -> tuple[int, ...]:
        ids = self.each(value, key, self.user_id)
        return tuple(dict.fromkeys(ids))

    def admin_list(self, value: object, key: str) -> tuple[int, ...]:
        """``"123, 456 789"``: ids separated by commas or spaces."""
        ids = []
        for word in re.split(r"[\s,;]+", self.string(value, key)):
            if not word:
                continue
            if not re.fullmatch(r"[0-9]{1,19}", word):
                self.fail(key, f"{_quote(word)} is not a Telegram user id (digits only)")
            ids.append(self.user_id(int(word), key))
        return tuple(dict.fromkeys(ids))

    def user_id(self, value: object, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"expected an integer Telegram user id, got {_type_name(value)}")
        if not 0 < value < 2**63:
            self.fail(key, f"a Telegram user id is a positive integer, got {value}")
        return value

    def reminders(self, section: dict[str, Any]) -> RemindersConfig:
        before = self.optional(section, "before", "reminders", self.reminder_list)
        defaults = RemindersConfig()
        sweep = self.optional(section, "sweep_interval", "reminders", self.duration)
        lease = self.optional(section, "claim_lease", "reminders", self.duration)
        instance = self.from_env(
            "HROMADA_INSTANCE", "reminders.instance", self.string
        ) or self.optional(section, "instance", "reminders", self.string)
        return RemindersConfig(
            before=DEFAULT_REMINDERS if before is None else before,
            sweep_interval=defaults.sweep_interval if sweep is None else sweep,
            claim_lease=defaults.claim_lease if lease is None else lease,
            instance=defaults.instance if instance is None else instance,
        )

    def documents(self, section: dict[str, Any]) -> DocumentsConfig:
        defaults = DocumentsConfig()
        phones = self.optional(section, "sign_in_phones", "documents", self.boolean)
        blank = self.optional(section, "sign_in_blank_rows", "documents", self.blank_rows)
        template = self.optional(section, "report_template", "documents", self.docx_path)
        return DocumentsConfig(
            sign_in_phones=defaults.sign_in_phones if phones is None else phones,
            sign_in_blank_rows=defaults.sign_in_blank_rows if blank is None else blank,
            report_template=template,
        )

    def docx_path(self, value: object, key: str) -> Path | None:
        """A .docx file relative to the config file's folder; empty: None."""
        text = self.string(value, key, empty_ok=True)
        if not text:
            return None
        file = Path(text).expanduser()
        if not file.is_absolute():
            file = self.directory / file
        if file.suffix.lower() != ".docx":
            self.fail(key, f"expected a .docx file, got {_quote(text)}")
        return file

    def boolean(self, value: object, key: str) -> bool:
        if not isinstance(value, bool):
            self.fail(key, f"expected true or false, got {_type_name(value)}")
        return value

    def blank_rows(self, value: object, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"expected a whole number of rows, got {_type_name(value)}")
        if not 0 <= value <= SIGN_IN_BLANK_ROWS_MAX:
            self.fail(key, f"expected 0 to {SIGN_IN_BLANK_ROWS_MAX} rows, got {value}")
        return value

    def reminder_list(self, value: object, key: str) -> tuple[timedelta, ...]:
        durations = self.each(value, key, self.duration)
        return tuple(sorted(set(durations), reverse=True))

    def duration(self, value: object, key: str) -> timedelta:
        text = self.string(value, key, empty_ok=True)
        try:
            return parse_duration(text)
        except ValueError as error:
            self.fail(key, str(error))

    # -- categories and event kinds --------------------------------------- #

    def keyed_tables(self, value: list[Any], name: str) -> list[tuple[str, str, dict[str, Any]]]:
        """Check each ``[[name]]`` entry's keys; return (prefix, key, table) triples."""
        if not value:
            self.fail(name, f"at least one entry is needed; remove {name} to use the defaults")
        seen: dict[str, str] = {}
        result = []
        for i, item in enumerate(value):
            prefix = f"{name}[{i}]"
            table = self.table(item, prefix)
            self.check_keys(table, prefix, _SECTIONS[name])
            for required in _SECTIONS[name]:
                if required not in table and required not in _OPTIONAL_ENTRY_KEYS:
                    self.fail(f"{prefix}.{required}", "missing")
            key = self.entry_key(table["key"], f"{prefix}.key")
            if key in seen:
                self.fail(
                    f"{prefix}.key", f"duplicate key {_quote(key)}, already used by {seen[key]}"
                )
            seen[key] = prefix
            result.append((prefix, key, table))
        return result

    def entry_key(self, value: object, key: str) -> str:
        text = self.string(value, key)
        if not KEY_PATTERN.fullmatch(text):
            self.fail(
                key,
                f"invalid key {_quote(text)}; use 1-32 lowercase latin letters, digits "
                'and "_", starting with a letter (e.g. "library_users")',
            )
        return text

    def per_language(
        self, value: object, key: str, convert: Callable[[object, str], _T]
    ) -> dict[str, _T]:
        table = self.table(value, key)
        for language in table:
            if language not in LANGUAGES:
                self.fail(
                    f"{key}.{language}",
                    f"unsupported language{_suggest(language, LANGUAGES)}; "
                    f"expected {_or(LANGUAGES)}",
                )
        result: dict[str, _T] = {}
        for language in LANGUAGES:
            if language not in table:
                self.fail(f"{key}.{language}", f"missing; every entry needs {_and(LANGUAGES)}")
            result[language] = convert(table[language], f"{key}.{language}")
        return result

    def categories(self, value: list[Any]) -> tuple[Category, ...]:
        return tuple(
            Category(key, self.per_language(table["labels"], f"{prefix}.labels", self.string))
            for prefix, key, table in self.keyed_tables(value, "categories")
        )

    def event_kinds(self, value: list[Any]) -> tuple[EventKind, ...]:
        return tuple(
            EventKind(
                key,
                self.per_language(table["names"], f"{prefix}.names", self.string),
                self.per_language(table["counted"], f"{prefix}.counted", self.count_forms),
                self.per_language(table["accusative"], f"{prefix}.accusative", self.string)
                if "accusative" in table
                else {},
            )
            for prefix, key, table in self.keyed_tables(value, "event_kinds")
        )

    def branches(self, value: list[Any]) -> tuple[Branch, ...]:
        return tuple(
            Branch(key, self.per_language(table["names"], f"{prefix}.names", self.string))
            for prefix, key, table in self.keyed_tables(value, "branches")
        )

    def places(self, value: list[Any], branches: tuple[Branch, ...]) -> tuple[Place, ...]:
        result: list[Place] = []
        branch_keys = tuple(b.key for b in branches)
        for prefix, key, table in self.keyed_tables(value, "places"):
            latitude = self.optional(table, "latitude", prefix, self.coordinate(90.0))
            longitude = self.optional(table, "longitude", prefix, self.coordinate(180.0))
            if (latitude is None) != (longitude is None):
                missing = "longitude" if longitude is None else "latitude"
                self.fail(f"{prefix}.{missing}", "missing; give both coordinates or neither")
            branch = self.optional(table, "branch", prefix, self.string)
            if branch is None and branch_keys:
                self.fail(f"{prefix}.branch", f"missing; expected {_or(branch_keys)}")
            if branch is not None and branch not in branch_keys:
                expected = f"expected {_or(branch_keys)}" if branch_keys else "no [[branches]]"
                self.fail(
                    f"{prefix}.branch",
                    f"unknown branch {_quote(branch)}{_suggest(branch, branch_keys)}; {expected}",
                )
            names = self.per_language(table["names"], f"{prefix}.names", self.string)
            for language, name in names.items():
                taken = next(
                    (p for p in result if name.casefold() in _folded(p.names) | {p.key}), None
                )
                if taken is not None:
                    self.fail(
                        f"{prefix}.names.{language}",
                        f"{_quote(name)} is already the name or key of place "
                        f"{_quote(taken.key)}; staff choose a place by its key or name, "
                        "so they must differ",
                    )
            if taken := next((p for p in result if key in _folded(p.names)), None):
                self.fail(
                    f"{prefix}.key",
                    f"{_quote(key)} is already a name of place {_quote(taken.key)}; "
                    "staff choose a place by its key or name, so they must differ",
                )
            result.append(
                Place(
                    key,
                    names,
                    address=self.optional(table, "address", prefix, self.string) or "",
                    latitude=latitude,
                    longitude=longitude,
                    branch=branch,
                )
            )
        return tuple(result)

    def coordinate(self, limit: float) -> Callable[[object, str], float]:
        def convert(value: object, key: str) -> float:
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.fail(key, f"expected a number (degrees), got {_type_name(value)}")
            if not -limit <= value <= limit:
                self.fail(key, f"{value} is out of range; expected -{limit:g} to {limit:g}")
            return float(value)

        return convert

    def count_forms(self, value: object, key: str) -> tuple[str, str, str]:
        forms = self.array(value, key)
        if len(forms) != 3:
            self.fail(
                key,
                f"expected three forms (one, few, many), got {len(forms)}; "
                'e.g. ["тренінг", "тренінги", "тренінгів"] or '
                '["training", "trainings", "trainings"]',
            )
        one, few, many = (self.string(form, f"{key}[{i}]") for i, form in enumerate(forms))
        return (one, few, many)


def _folded(names: Mapping[str, str]) -> set[str]:
    return {n.casefold() for n in names.values()}


def _or(words: tuple[str, ...]) -> str:
    quoted = [_quote(w) for w in words]
    return ", ".join(quoted[:-1]) + f" or {quoted[-1]}" if len(quoted) > 1 else quoted[0]


def _and(words: tuple[str, ...]) -> str:
    quoted = [_quote(w) for w in words]
    return ", ".join(quoted[:-1]) + f" and {quoted[-1]}" if len(quoted) > 1 else quoted[0]


_TOML_POSITION = re.compile(
    r"^(?P<what>.*) \(at (?P<where>line \d+, column \d+|end of document)\)$"
)


def load_config(
    path: Path | str, environ: Mapping[str, str] = os.environ, *, missing_ok: bool = False
) -> Config:
    """Read, validate and return the configuration; raise :class:`ConfigError` on any problem.

    The variables of :data:`ENVIRONMENT` in ``environ`` override the file. A file
    without a token loads (``Config.require_token()`` insists on one later). With
    ``missing_ok``, an absent file means all defaults (paths relative to its folder).
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if missing_ok:
            return _Loader(path, environ).load({})
        raise ConfigError(
            path, None, f"not found; copy config.example.toml to {path} and edit it"
        ) from None
    except OSError as error:
        raise ConfigError(path, None, f"cannot be read: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(
            path, None, f"is not valid UTF-8 (byte {error.start}); save it as UTF-8"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.match(message)
        if match:
            raise ConfigError(path, match["where"], f"invalid TOML: {match['what']}") from None
        raise ConfigError(path, None, f"invalid TOML: {message}") from None
    return _Loader(path, environ).load(data)
