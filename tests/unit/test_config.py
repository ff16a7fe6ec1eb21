import dataclasses
import pickle
import re
import shutil
import socket
from collections import Counter
from datetime import time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import (
    ENVIRONMENT,
    Category,
    Config,
    ConfigError,
    DocumentsConfig,
    EventKind,
    Secret,
    default_categories,
    default_event_kinds,
    load_config,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
CATEGORY = '[[categories]]\nkey = "{key}"\nlabels = {{ uk = "А", en = "A" }}\n'
KIND_FORMS_EN = 'counted.en = ["training", "trainings", "trainings"]\n'
KIND = (
    '[[event_kinds]]\nkey = "{key}"\nnames = {{ uk = "Тренінг", en = "Training" }}\n'
    'counted.uk = ["тренінг", "тренінги", "тренінгів"]\n'
    'counted.en = ["training", "trainings", "trainings"]\n'
)


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load(tmp_path: Path, text: str, environ: dict[str, str] | None = None) -> Config:
    return load_config(write(tmp_path, text), environ or {})


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


# --------------------------------------------------------------------------- #
# Defaults and the example file
# --------------------------------------------------------------------------- #


def test_empty_file_gives_defaults(tmp_path: Path) -> None:
    config = load(tmp_path, "")
    assert config.path == (tmp_path / "config.toml").resolve()
    assert config.telegram.token is None
    assert config.telegram.api_base_url == "https://api.telegram.org/bot"
    assert config.telegram.api_file_url == "https://api.telegram.org/file/bot"
    assert config.database.url == sqlite_url(tmp_path.resolve() / "hromada.sqlite3")
    assert config.database.is_sqlite
    assert config.library.name == "Бібліотека"
    assert config.library.timezone == ZoneInfo("Europe/Kyiv")
    assert config.library.default_language == "uk"
    assert config.staff.admins == ()
    assert config.reminders.before == (timedelta(hours=24), timedelta(hours=2))
    assert config.categories == default_categories()
    assert config.event_kinds == default_event_kinds()


def test_example_file_equals_defaults(tmp_path: Path) -> None:
    example_path = tmp_path / "config.example.toml"
    shutil.copy(EXAMPLE, example_path)
    example = load_config(example_path, {})
    defaults = load(tmp_path, "")
    assert dataclasses.replace(example, path=defaults.path) == defaults


def test_the_sign_in_sheet_settings_are_read(tmp_path: Path) -> None:
    config = load(tmp_path, "[documents]\nsign_in_phones = true\nsign_in_blank_rows = 0\n")
    assert config.documents == DocumentsConfig(sign_in_phones=True, sign_in_blank_rows=0)


def test_example_file_mentions_every_key() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    for line in [
        "[telegram]",
        "# token = ",
        "BOT_TOKEN",
        "api_base_url = ",
        "api_file_url = ",
        "# channel = ",
        "[database]",
        '# url = "sqlite+aiosqlite:///hromada.sqlite3"',
        '# url = "postgresql+asyncpg://user@127.0.0.1:5432/hromada"',
        "DATABASE_URL",
        "[library]",
        "name = ",
        "timezone = ",
        "default_language = ",
        "# description = ",
        "# short_description = ",
        'quiet_hours = "21:00-08:00"',
        "[staff]",
        "admins = ",
        "[reminders]",
        "before = ",
        "[documents]",
        "sign_in_phones = false",
        "sign_in_blank_rows = 10",
    ]:
        assert line in text, line
    for category in default_categories():
        assert f'key = "{category.key}"' in text
    for kind in default_event_kinds():
        assert f'key = "{kind.key}"' in text


def test_default_categories() -> None:
    assert {c.key: (c.labels["uk"], c.labels["en"]) for c in default_categories()} == {
        "library_specialists": ("Бібліотечні фахівці", "Library specialists"),
        "library_users": ("Користувачі бібліотеки", "Library users"),
        "government": ("Представники влади", "Government representatives"),
        "ngo_activists": ("Активісти громадських організацій", "NGO activists"),
        "idp": ("Внутрішньо переміщені особи", "Internally displaced persons"),
        "other": ("Інше", "Other"),
    }


@pytest.mark.parametrize(
    ("key", "name", "forms"),
    [
        ("training", "Тренінг", ("тренінг", "тренінги", "тренінгів")),
        ("seminar", "Семінар", ("семінар", "семінари", "семінарів")),
        (
            "practical",
            "Практичне заняття",
            ("практичне заняття", "практичні заняття", "практичних занять"),
        ),
        (
            "campaign",
            "Інформаційна акція",
            ("інформаційну акцію", "інформаційні акції", "інформаційних акцій"),
        ),
        ("lecture", "Лекція", ("лекцію", "лекції", "лекцій")),
        ("master_class", "Майстер-клас", ("майстер-клас", "майстер-класи", "майстер-класів")),
        ("meeting", "Зустріч", ("зустріч", "зустрічі", "зустрічей")),
    ],
)
def test_default_event_kinds(key: str, name: str, forms: tuple[str, str, str]) -> None:
    kinds = {kind.key: kind for kind in default_event_kinds()}
    kind = kinds[key]
    assert kind.names["uk"] == name
    assert kind.counted["uk"] == forms
    one, other, other_again = kind.counted["en"]
    assert kind.names["en"]
    assert one != other == other_again


def test_default_event_kind_order() -> None:
    assert [k.key for k in default_event_kinds()] == [
        "training",
        "seminar",
        "practical",
        "campaign",
        "lecture",
        "master_class",
        "meeting",
    ]


def test_helpers(tmp_path: Path) -> None:
    config = load(tmp_path, "")
    category = config.category("idp")
    assert isinstance(category, Category)
    assert category.label("uk") == "Внутрішньо переміщені особи"
    assert category.label("de") == "Internally displaced persons"
    kind = config.event_kind("campaign")
    assert isinstance(kind, EventKind)
    assert kind.name("uk") == "Інформаційна акція"
    assert kind.name("en") == "Information campaign"
    assert config.category("nope") is None
    assert config.event_kind("nope") is None


def test_config_is_frozen(tmp_path: Path) -> None:
    config = load(tmp_path, "")
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.library = config.library  # type: ignore[misc]
    hash(config.categories[0])
    hash(config.event_kinds[0])


# --------------------------------------------------------------------------- #
# Values from the file
# --------------------------------------------------------------------------- #


def test_full_file(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        f"""
[telegram]
token = "{TOKEN}"
api_base_url = "http://127.0.0.1:8081/bot"
api_file_url = "http://127.0.0.1:8081/file/bot"
chat_messages_per_second = 2.5

[database]
url = "postgresql+asyncpg://hromada@db:5432/hromada"

[library]
name = "  Публічна бібліотека  "
timezone = "Europe/Warsaw"
default_language = "en"

[staff]
admins = [123, 456, 123]

[reminders]
before = ["2h", "1d", "30m", "24h"]

{CATEGORY.format(key="pensioners")}
{CATEGORY.format(key="youth")}
{KIND.format(key="webinar")}
""",
    )
    token = config.require_token()
    assert token.get() == TOKEN
    assert config.telegram.api_base_url == "http://127.0.0.1:8081/bot"
    assert config.telegram.api_file_url == "http://127.0.0.1:8081/file/bot"
    assert config.telegram.chat_messages_per_second == 2.5
    assert config.database.url == "postgresql+asyncpg://hromada@db:5432/hromada"
    assert not config.database.is_sqlite
    assert config.library.name == "Публічна бібліотека"
    assert config.library.timezone.key == "Europe/Warsaw"
    assert config.library.default_language == "en"
    assert config.staff.admins == (123, 456)
    assert config.reminders.before == (
        timedelta(days=1),
        timedelta(hours=2),
        timedelta(minutes=30),
    )
    assert [c.key for c in config.categories] == ["pensioners", "youth"]
    assert [k.key for k in config.event_kinds] == ["webinar"]
    assert config.event_kinds[0].counted["uk"] == ("тренінг", "тренінги", "тренінгів")


def test_empty_reminders_turn_them_off(tmp_path: Path) -> None:
    assert load(tmp_path, "[reminders]\nbefore = []\n").reminders.before == ()


def test_empty_token_in_file_counts_as_missing(tmp_path: Path) -> None:
    assert load(tmp_path, '[telegram]\ntoken = ""\n').telegram.token is None


def test_require_token_when_missing(tmp_path: Path) -> None:
    config = load(tmp_path, "")
    with pytest.raises(ConfigError) as info:
        config.require_token()
    assert str(info.value) == (
        f"{config.path}: telegram.token: missing; "
        "set it in the file or the BOT_TOKEN environment variable"
    )


def test_path_may_be_a_string(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    assert load_config(str(path), {}).path == path.resolve()


# --------------------------------------------------------------------------- #
# Environment overrides
# --------------------------------------------------------------------------- #


def test_env_overrides_file(tmp_path: Path) -> None:
    other = "987654321:BBBdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    config = load(
        tmp_path,
        f'[telegram]\ntoken = "{TOKEN}"\n[database]\nurl = "sqlite:///file.sqlite3"\n',
        {"BOT_TOKEN": other, "DATABASE_URL": "postgres://u:pw@host/db"},
    )
    assert config.require_token().get() == other
    assert config.database.url == "postgresql+asyncpg://u:pw@host/db"


def test_env_token_without_file_token(tmp_path: Path) -> None:
    config = load(tmp_path, "", {"BOT_TOKEN": f"  {TOKEN}\n"})
    assert config.require_token().get() == TOKEN


def test_empty_env_values_are_ignored(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        f'[telegram]\ntoken = "{TOKEN}"\n',
        {"BOT_TOKEN": "", "DATABASE_URL": "  "},
    )
    assert config.require_token().get() == TOKEN
    assert config.database.url == sqlite_url(tmp_path.resolve() / "hromada.sqlite3")


def test_default_environ_is_os_environ(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert load_config(write(tmp_path, "")).require_token().get() == TOKEN


# --------------------------------------------------------------------------- #
# Database URLs
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("url", "relative_to_config_dir"),
    [
        ("sqlite+aiosqlite:///hromada.sqlite3", "hromada.sqlite3"),
        ("sqlite:///hromada.sqlite3", "hromada.sqlite3"),
        ("sqlite:///data/bot.sqlite3", "data/bot.sqlite3"),
        ("sqlite:///./data/bot.sqlite3", "data/bot.sqlite3"),
    ],
)
def test_relative_sqlite_path_is_resolved_against_config_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str, relative_to_config_dir: str
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    expected = sqlite_url(tmp_path.resolve() / relative_to_config_dir)
    assert load(tmp_path, f'[database]\nurl = "{url}"\n').database.url == expected
    assert load(tmp_path, "", {"DATABASE_URL": url}).database.url == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "sqlite:////var/lib/hromada/db.sqlite3",
            "sqlite+aiosqlite:////var/lib/hromada/db.sqlite3",
        ),
        ("sqlite+aiosqlite:////srv/x.sqlite3", "sqlite+aiosqlite:////srv/x.sqlite3"),
        ("sqlite:///:memory:", "sqlite+aiosqlite:///:memory:"),
        ("sqlite://", "sqlite+aiosqlite:///:memory:"),
        ("sqlite:////srv/x.sqlite3?timeout=5", "sqlite+aiosqlite:////srv/x.sqlite3?timeout=5"),
        ("SQLite:////srv/x.sqlite3", "sqlite+aiosqlite:////srv/x.sqlite3"),
    ],
)
def test_absolute_and_memory_sqlite_urls(tmp_path: Path, url: str, expected: str) -> None:
    assert load(tmp_path, f'[database]\nurl = "{url}"\n').database.url == expected


def test_relative_sqlite_path_keeps_query(tmp_path: Path) -> None:
    config = load(tmp_path, '[database]\nurl = "sqlite:///x.sqlite3?timeout=5"\n')
    assert config.database.url == sqlite_url(tmp_path.resolve() / "x.sqlite3") + "?timeout=5"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgres://user@127.0.0.1:5432/hromada",
            "postgresql+asyncpg://user@127.0.0.1:5432/hromada",
        ),
        (
            "postgresql://user@127.0.0.1:5432/hromada",
            "postgresql+asyncpg://user@127.0.0.1:5432/hromada",
        ),
        (
            "postgresql+asyncpg://user@127.0.0.1:5432/hromada",
            "postgresql+asyncpg://user@127.0.0.1:5432/hromada",
        ),
        (
            "postgresql://u:p%40ss@db/h?ssl=require",
            "postgresql+asyncpg://u:p%40ss@db/h?ssl=require",
        ),
        (
            "postgresql:///hromada?host=/run/postgresql",
            "postgresql+asyncpg:///hromada?host=/run/postgresql",
        ),
    ],
)
def test_postgres_url_rewriting(tmp_path: Path, url: str, expected: str) -> None:
    assert load(tmp_path, f'[database]\nurl = "{url}"\n').database.url == expected
    assert load(tmp_path, "", {"DATABASE_URL": url}).database.url == expected


def test_database_password_not_in_repr(tmp_path: Path) -> None:
    config = load(tmp_path, "", {"DATABASE_URL": "postgresql://hromada:s3cr3t-pw@db/hromada"})
    assert "s3cr3t-pw" not in repr(config)
    assert "postgresql+asyncpg://hromada:***@db/hromada" in repr(config.database)
    assert config.database.url == "postgresql+asyncpg://hromada:s3cr3t-pw@db/hromada"


# --------------------------------------------------------------------------- #
# Errors
# --------------------------------------------------------------------------- #


def load_error(tmp_path: Path, text: str, environ: dict[str, str] | None = None) -> ConfigError:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path, environ or {})
    message = str(info.value)
    assert "\n" not in message and "\r" not in message
    assert message.startswith(f"{path}: ")
    assert info.value.path == path
    return info.value


BAD_CONFIGS: list[tuple[str, str]] = [
    # malformed TOML: position from tomllib
    ('[library]\nname = "x\n', "line 2, column"),
    ("[library]\nname = \n", "line 2, column"),
    ("[library]\n[library]\n", "line 2, column"),
    ("[library\n", "line 1, column"),
    # unknown sections and keys
    ('[libary]\nname = "x"\n', "libary"),
    ('[library]\nnmae = "x"\n', "library.nmae"),
    ('[telegram]\ntokne = "x"\n', "telegram.tokne"),
    ('[database]\nuri = "x"\n', "database.uri"),
    ("[staff]\nadmin = [1]\n", "staff.admin"),
    ('[reminders]\nbefor = ["2h"]\n', "reminders.befor"),
    ("debug = true\n", "debug"),
    # wrong types
    ("library = 5\n", "library"),
    ("[library]\nname = 5\n", "library.name"),
    ('[library]\nname = ""\n', "library.name"),
    ("[library]\ntimezone = 3\n", "library.timezone"),
    ('[library]\ntimezone = "Mars/Base"\n', "library.timezone"),
    ('[library]\ntimezone = "europe/kyiv"\n', "library.timezone"),
    ('[library]\ntimezone = "Europe"\n', "library.timezone"),
    ('[library]\ntimezone = "../etc/passwd"\n', "library.timezone"),
    ('[library]\ntimezone = ""\n', "library.timezone"),
    ('[library]\ndefault_language = "ua"\n', "library.default_language"),
    ("[library]\ndefault_language = []\n", "library.default_language"),
    ('[staff]\nadmins = "123"\n', "staff.admins"),
    ('[staff]\nadmins = [1, "2"]\n', "staff.admins[1]"),
    ("[staff]\nadmins = [true]\n", "staff.admins[0]"),
    ("[staff]\nadmins = [1.5]\n", "staff.admins[0]"),
    ("[staff]\nadmins = [-100123]\n", "staff.admins[0]"),
    ("[staff]\nadmins = [0]\n", "staff.admins[0]"),
    ('[staff]\nmorning_summary_at = "8"\n', "staff.morning_summary_at"),
    ('[staff]\nmorning_summary_at = "24:00"\n', "staff.morning_summary_at"),
    ('[staff]\nmorning_summary_at = "08:60"\n', "staff.morning_summary_at"),
    ("[staff]\nmorning_summary_at = 8\n", "staff.morning_summary_at"),
    ('[reminders]\nbefore = "24h"\n', "reminders.before"),
    ('[reminders]\nbefore = ["24h", "2x"]\n', "reminders.before[1]"),
    ('[reminders]\nbefore = ["24h", 2]\n', "reminders.before[1]"),
    ('[reminders]\nbefore = ["24h", "0m"]\n', "reminders.before[1]"),
    ('[reminders]\nbefore = ["90d"]\n', "reminders.before[0]"),
    ('[reminders]\nbefore = [""]\n', "reminders.before[0]"),
    ("[telegram]\ntoken = 123\n", "telegram.token"),
    ('[telegram]\ntoken = "not-a-token"\n', "telegram.token"),
    ('[telegram]\napi_base_url = "ftp://example.org/bot"\n', "telegram.api_base_url"),
    ("[telegram]\napi_file_url = 1\n", "telegram.api_file_url"),
    ("[telegram]\nchat_messages_per_second = 0\n", "telegram.chat_messages_per_second"),
    ('[telegram]\nchat_messages_per_second = "1"\n', "telegram.chat_messages_per_second"),
    ("[telegram]\nchat_messages_per_second = true\n", "telegram.chat_messages_per_second"),
    ("[telegram]\nchat_messages_per_second = 5000\n", "telegram.chat_messages_per_second"),
    ('[database]\nurl = "mysql://u:pw@h/db"\n', "database.url"),
    ("[database]\nurl = 5\n", "database.url"),
    ('[database]\nurl = ""\n', "database.url"),
    ('[database]\nurl = "hromada.sqlite3"\n', "database.url"),
    ('[database]\nurl = "sqlite://relative.sqlite3"\n', "database.url"),
    ('[database]\nurl = "postgresql://"\n', "database.url"),
    ('[documents]\nsign_in_phones = "yes"\n', "documents.sign_in_phones"),
    ("[documents]\nsign_in_blank_rows = 101\n", "documents.sign_in_blank_rows"),
    ("[documents]\nsign_in_blank_rows = -1\n", "documents.sign_in_blank_rows"),
    ("[documents]\nsign_in_blank_rows = 2.5\n", "documents.sign_in_blank_rows"),
    ("[documents]\nsign_in_blank_row = 5\n", "documents.sign_in_blank_row"),
    # categories
    ("categories = 1\n", "categories"),
    ('[categories]\nkey = "x"\n', "categories"),
    ("categories = []\n", "categories"),
    ("categories = [1]\n", "categories[0]"),
    ('[[categories]]\nkey = "Bad-Key"\nlabels = { uk = "А", en = "A" }\n', "categories[0].key"),
    ('[[categories]]\nkey = "1st"\nlabels = { uk = "А", en = "A" }\n', "categories[0].key"),
    (CATEGORY.format(key="a" * 33), "categories[0].key"),
    ('[[categories]]\nkey = 7\nlabels = { uk = "А", en = "A" }\n', "categories[0].key"),
    ('[[categories]]\nlabels = { uk = "А", en = "A" }\n', "categories[0].key"),
    ('[[categories]]\nkey = "a"\n', "categories[0].labels"),
    ('[[categories]]\nkey = "a"\nlabels = "A"\n', "categories[0].labels"),
    ('[[categories]]\nkey = "a"\nlabels = { uk = "А" }\n', "categories[0].labels.en"),
    ('[[categories]]\nkey = "a"\nlabels = { uk = "", en = "A" }\n', "categories[0].labels.uk"),
    (
        '[[categories]]\nkey = "a"\nlabels = { uk = "А", en = "A", ua = "Б" }\n',
        "categories[0].labels.ua",
    ),
    ('[[categories]]\nkey = "a"\nlabel = { uk = "А", en = "A" }\n', "categories[0].label"),
    (
        CATEGORY.format(key="a") + CATEGORY.format(key="b") + CATEGORY.format(key="a"),
        "categories[2].key",
    ),
    # event kinds
    ("event_kinds = []\n", "event_kinds"),
    (KIND.format(key="a") + KIND.format(key="a"), "event_kinds[1].key"),
    (
        KIND.format(key="a")
        + KIND.format(key="b")
        + KIND.format(key="c").replace('"тренінги", ', ""),
        "event_kinds[2].counted.uk",
    ),
    (KIND.format(key="a").replace('"trainings"]', "2]"), "event_kinds[0].counted.en[2]"),
    (
        KIND.format(key="a").replace('["training", "trainings", "trainings"]', '"trainings"'),
        "event_kinds[0].counted.en",
    ),
    (KIND.format(key="a").replace(KIND_FORMS_EN, ""), "event_kinds[0].counted.en"),
    (KIND.format(key="a").replace("counted.uk", "counted.ua"), "event_kinds[0].counted.ua"),
    (
        KIND.format(key="a").replace('names = { uk = "Тренінг", en = "Training" }\n', ""),
        "event_kinds[0].names",
    ),
    (KIND.format(key="a").replace('uk = "Тренінг"', 'uk = " "'), "event_kinds[0].names.uk"),
    (KIND.format(key="a") + "colour = 1\n", "event_kinds[0].colour"),
    (KIND.format(key="a") + CATEGORY.format(key="B"), "categories[0].key"),
]


@pytest.mark.parametrize(("text", "key"), BAD_CONFIGS)
def test_errors_name_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    error = load_error(tmp_path, text)
    path = tmp_path / "config.toml"
    assert str(error).startswith(f"{path}: {key}")
    assert error.key is not None and key in error.key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[libary]\nname = "x"\n', 'unknown section (did you mean "library"?)'),
        ('[library]\nnmae = "x"\n', 'library.nmae: unknown key (did you mean "name"?)'),
        ('[library]\ntimezone = "europe/kyiv"\n', 'did you mean "Europe/Kyiv"?'),
        ('[library]\ntimezone = "Mars/Base"\n', 'unknown time zone "Mars/Base"'),
        ("[library]\nname = 5\n", "library.name: expected a string, got an integer"),
        ('[staff]\nadmins = [1, "2"]\n', "staff.admins[1]: expected an integer"),
        (
            '[reminders]\nbefore = ["24h", "2x"]\n',
            'reminders.before[1]: expected a duration such as "24h", "2h", "30m" or "45s", '
            'got "2x"',
        ),
        ('[[categories]]\nkey = "a"\nlabels = { uk = "А" }\n', "categories[0].labels.en: missing"),
        (
            CATEGORY.format(key="a") * 2,
            'categories[1].key: duplicate key "a", already used by categories[0]',
        ),
        ('[library]\nname = "x\n', "line 2, column 10: invalid TOML: Illegal character"),
    ],
)
def test_error_wording(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in str(load_error(tmp_path, text))


@pytest.mark.parametrize(("text", "expected"), [("7:30", time(7, 30)), ("23:05", time(23, 5))])
def test_morning_summary_time(tmp_path: Path, text: str, expected: time) -> None:
    path = write(tmp_path, f'[staff]\nmorning_summary_at = "{text}"\n')
    assert load_config(path, {}).staff.morning_summary_at == expected
    assert load_config(write(tmp_path, ""), {}).staff.morning_summary_at == time(8, 0)


def test_config_error_attributes_and_pickle(tmp_path: Path) -> None:
    error = load_error(tmp_path, '[library]\ntimezone = "Nowhere"\n')
    assert error.key == "library.timezone"
    assert error.problem.startswith('unknown time zone "Nowhere"')
    copy = pickle.loads(pickle.dumps(error))
    assert str(copy) == str(error)
    assert (copy.path, copy.key, copy.problem) == (error.path, error.key, error.problem)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    with pytest.raises(ConfigError) as info:
        load_config(path, {})
    assert str(info.value) == (f"{path}: not found; copy config.example.toml to {path} and edit it")


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path, {})
    assert str(info.value).startswith(f"{tmp_path}: cannot be read")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes('[library]\nname = "Бібліотека"\n'.encode("cp1251"))
    with pytest.raises(ConfigError) as info:
        load_config(path, {})
    assert "UTF-8" in str(info.value)


@pytest.mark.parametrize(
    ("environ", "key"),
    [
        ({"BOT_TOKEN": "nonsense"}, "telegram.token (from BOT_TOKEN)"),
        ({"DATABASE_URL": "mysql://x/y"}, "database.url (from DATABASE_URL)"),
        ({"DATABASE_URL": "relative.sqlite3"}, "database.url (from DATABASE_URL)"),
    ],
)
def test_env_errors(tmp_path: Path, environ: dict[str, str], key: str) -> None:
    assert f"{tmp_path / 'config.toml'}: {key}: " in str(load_error(tmp_path, "", environ))


def test_database_error_hides_password(tmp_path: Path) -> None:
    error = load_error(tmp_path, '[database]\nurl = "mysql://user:hunter2@db/x"\n')
    assert "hunter2" not in str(error)


# --------------------------------------------------------------------------- #
# The token never leaks
# --------------------------------------------------------------------------- #


def test_secret() -> None:
    secret = Secret(TOKEN)
    assert repr(secret) == "Secret('**********')"
    assert str(secret) == "Secret('**********')"
    assert f"{secret}" == "Secret('**********')"
    assert secret.get() == TOKEN
    assert secret == Secret(TOKEN)
    assert secret != Secret("other")
    assert hash(secret) == hash(Secret(TOKEN))
    assert pickle.loads(pickle.dumps(secret)) == secret


def test_token_not_in_repr(tmp_path: Path) -> None:
    for config in (
        load(tmp_path, f'[telegram]\ntoken = "{TOKEN}"\n'),
        load(tmp_path, "", {"BOT_TOKEN": TOKEN}),
    ):
        assert config.require_token().get() == TOKEN
        for text in (repr(config), str(config), repr(config.telegram), str(config.telegram)):
            assert TOKEN not in text
            assert TOKEN.split(":")[1] not in text
            assert "Secret('**********')" in text


@pytest.mark.parametrize(
    ("text", "environ"),
    [
        # valid token, unrelated error
        (f'[telegram]\ntoken = "{TOKEN}"\n[library]\ntimezone = "Nowhere"\n', {}),
        (f'[telegram]\ntoken = "{TOKEN}"\nsecret = 1\n', {}),
        # token-like values that fail validation
        ('[telegram]\ntoken = "123456:AAHdq"\n', {}),
        ('[telegram]\ntoken = "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"\n', {}),
        ('[telegram]\ntoken = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw!"\n', {}),
        ("", {"BOT_TOKEN": "123456789:AAHdq TcvCH1vGWJxfSeofSAs0K5PALDsaw"}),
        ("", {"BOT_TOKEN": TOKEN, "DATABASE_URL": "nope"}),
        # malformed TOML around the token
        (f"[telegram]\ntoken = {TOKEN}\n", {}),
        (f'[telegram]\ntoken = "{TOKEN}\n', {}),
        (f'[telegram]\ntoken = "{TOKEN}"\ntoken = "{TOKEN}"\n', {}),
        (f'[telegram]\ntoken = ["{TOKEN}"]\n', {}),
        (f'[telegram]\ntoken = {{ value = "{TOKEN}" }}\n', {}),
    ],
)
def test_token_not_in_error_messages(tmp_path: Path, text: str, environ: dict[str, str]) -> None:
    message = str(load_error(tmp_path, text, environ))
    for fragment in (TOKEN, TOKEN.split(":")[1], "AAHdq", "TcvCH1vGWJxfSeofSAs0K5PALDsaw"):
        assert fragment not in message


# --------------------------------------------------------------------------- #
# The report document: the library's genitive, the template, the kinds' accusative
# --------------------------------------------------------------------------- #


def test_report_document_settings(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        '[library]\nname = "Волочиська ЦРБ"\nname_genitive = "Волочиської ЦРБ"\n'
        '[documents]\nreport_template = "шаблони/звіт.docx"\n'
        + KIND.format(key="campaign")
        + 'accusative = { uk = "інформаційну акцію", en = "information campaign" }\n'
        + KIND.format(key="training"),
    )
    assert config.library.genitive == "Волочиської ЦРБ"
    assert config.documents.report_template == tmp_path.resolve() / "шаблони" / "звіт.docx"
    campaign, training = config.event_kinds
    assert (campaign.accusative("uk"), campaign.accusative("en")) == (
        "інформаційну акцію",
        "information campaign",
    )
    assert (training.accusative("uk"), training.accusative("en")) == ("тренінг", "training")


def test_report_document_defaults(tmp_path: Path) -> None:
    config = load(
        tmp_path, '[library]\nname = "Волочиська ЦРБ"\n[documents]\nreport_template = ""\n'
    )
    assert config.library.genitive == "Волочиська ЦРБ"  # the name as it is
    assert config.documents.report_template is None  # the shipped template
    kinds = {kind.key: kind for kind in config.event_kinds}
    assert kinds["campaign"].accusative("uk") == "інформаційну акцію"  # the form after 1
    assert kinds["practical"].accusative("en") == "practical session"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[documents]\nreport_template = 5\n", "documents.report_template"),
        ('[documents]\nreport_template = "звіт.odt"\n', "documents.report_template"),
        ('[documents]\ntemplate = "звіт.docx"\n', "documents.template"),
        ("[library]\nname_genitive = 1\n", "library.name_genitive"),
        (KIND.format(key="x") + 'accusative = { uk = "ікс" }\n', "event_kinds[0].accusative.en"),
        (KIND.format(key="x") + 'accusative = "ікс"\n', "event_kinds[0].accusative"),
        (
            KIND.format(key="x") + 'accusative = { uk = "", en = "x" }\n',
            "event_kinds[0].accusative.uk",
        ),
    ],
)
def test_report_document_errors_name_the_key(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError) as info:
        load(tmp_path, text)
    assert info.value.key == key and "\n" not in str(info.value)


# --------------------------------------------------------------------------- #
# Everything from the environment (Docker, systemd)
# --------------------------------------------------------------------------- #

FILE_SETTINGS = """
[telegram]
api_base_url = "http://file.example/bot"
[library]
name = "З файлу"
timezone = "Europe/Warsaw"
default_language = "en"
[staff]
admins = [1, 2]
"""


def test_the_environment_overrides_every_key_it_names(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        FILE_SETTINGS,
        {
            "HROMADA_LIBRARY_NAME": "  Волочиська ЦРБ ",
            "HROMADA_TIMEZONE": "Europe/Kyiv",
            "HROMADA_DEFAULT_LANGUAGE": "uk",
            "HROMADA_ADMINS": "123, 456 789;123",
            "HROMADA_TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/bot",
            "HROMADA_TELEGRAM_API_FILE_URL": "http://127.0.0.1:8081/file/bot",
        },
    )
    assert config.library.name == "Волочиська ЦРБ"
    assert config.library.timezone == ZoneInfo("Europe/Kyiv")
    assert config.library.default_language == "uk"
    assert config.staff.admins == (123, 456, 789)
    assert config.telegram.api_base_url == "http://127.0.0.1:8081/bot"
    assert config.telegram.api_file_url == "http://127.0.0.1:8081/file/bot"


def test_without_the_environment_the_file_applies(tmp_path: Path) -> None:
    empty = {name: " " for name in ENVIRONMENT}  # set but blank: ignored
    config = load(tmp_path, FILE_SETTINGS, empty)
    assert config.library.name == "З файлу"
    assert config.library.timezone == ZoneInfo("Europe/Warsaw")
    assert config.library.default_language == "en"
    assert config.staff.admins == (1, 2)
    assert config.telegram.api_base_url == "http://file.example/bot"


def test_the_environment_alone_is_enough_without_a_file(tmp_path: Path) -> None:
    config = load_config(
        tmp_path / "config.toml",
        {
            "BOT_TOKEN": TOKEN,
            "DATABASE_URL": "postgresql://hromada@db/hromada",
            "HROMADA_ADMINS": "42",
            "HROMADA_LIBRARY_NAME": "Бібліотека громади",
            "HROMADA_TIMEZONE": "Europe/Kyiv",
        },
        missing_ok=True,
    )
    assert config.require_token().get() == TOKEN
    assert config.database.url == "postgresql+asyncpg://hromada@db/hromada"
    assert config.staff.admins == (42,)
    assert config.library.name == "Бібліотека громади"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"HROMADA_ADMINS": "123,abc"},
            'staff.admins (from HROMADA_ADMINS): "abc" is not a Telegram user id (digits only)',
        ),
        (
            {"HROMADA_ADMINS": "-5"},
            'staff.admins (from HROMADA_ADMINS): "-5" is not a Telegram user id (digits only)',
        ),
        (
            {"HROMADA_ADMINS": "0"},
            "staff.admins (from HROMADA_ADMINS): a Telegram user id is a positive integer, got 0",
        ),
        (
            {"HROMADA_ADMINS": "99999999999999999999"},
            'staff.admins (from HROMADA_ADMINS): "99999999999999999999" is not a Telegram user id',
        ),
        (
            {"HROMADA_TIMEZONE": "europe/kyiv"},
            'library.timezone (from HROMADA_TIMEZONE): unknown time zone "europe/kyiv" '
            '(did you mean "Europe/Kyiv"?)',
        ),
        (
            {"HROMADA_DEFAULT_LANGUAGE": "de"},
            'library.default_language (from HROMADA_DEFAULT_LANGUAGE): unsupported language "de"',
        ),
        (
            {"HROMADA_TELEGRAM_API_BASE_URL": "127.0.0.1:8081"},
            "telegram.api_base_url (from HROMADA_TELEGRAM_API_BASE_URL): expected an http://",
        ),
    ],
)
def test_a_bad_environment_variable_is_one_line_naming_it(
    tmp_path: Path, environ: dict[str, str], message: str
) -> None:
    error = str(load_error(tmp_path, "", environ))
    assert f"{tmp_path / 'config.toml'}: {message}" in error
    assert "\n" not in error


def test_every_variable_the_code_reads_is_listed_and_every_listed_one_is_read() -> None:
    """bot/ reads no environment variable that ENVIRONMENT (and so the env example) lacks,
    and each one listed is read somewhere besides the list itself."""
    root = Path(__file__).resolve().parents[2]
    names: Counter[str] = Counter()
    for source in (root / "bot").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        names.update(re.findall(r"""["'](BOT_TOKEN|DATABASE_URL|HROMADA_[A-Z0-9_]+)["']""", text))
    assert set(names) == set(ENVIRONMENT)
    assert [name for name in ENVIRONMENT if names[name] < 2] == []


def test_the_outbox_instance_is_the_host_name_unless_named(tmp_path: Path) -> None:
    assert load(tmp_path, "").reminders.instance == socket.gethostname()
    named = load(tmp_path, '[reminders]\ninstance = "library-bot-2"\n')
    assert named.reminders.instance == "library-bot-2"


def test_the_bot_description_is_one_text_or_one_per_language(tmp_path: Path) -> None:
    one = load(tmp_path, '[library]\nshort_description = "Тренінги в бібліотеці"\n')
    assert one.library.short_description == {
        "uk": "Тренінги в бібліотеці",
        "en": "Тренінги в бібліотеці",
    }
    assert one.library.description == {}
    each = load(tmp_path, '[library]\ndescription = { en = "Free trainings" }\n')
    assert each.library.description == {"en": "Free trainings"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            f'[library]\nshort_description = "{"б" * 121}"\n',
            "library.short_description: 121 characters; Telegram allows at most 120",
        ),
        (
            f'[library]\ndescription = {{ uk = "{"б" * 513}" }}\n',
            "library.description.uk: 513 characters; Telegram allows at most 512",
        ),
        ('[library]\ndescription = { de = "Hallo" }\n', 'unsupported language "de"'),
        ("[library]\ndescription = 5\n", "expected a string or a table by language"),
        ('[library]\nshort_description = ""\n', "library.short_description: must not be empty"),
    ],
)
def test_a_bad_bot_description_is_one_line_naming_it(
    tmp_path: Path, text: str, expected: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    assert expected in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"@volochysk_library"', "@volochysk_library"),
        ("-1001234567890", "-1001234567890"),
        ('"-1001234567890"', "-1001234567890"),
        ('""', None),
    ],
)
def test_the_library_channel_is_its_name_or_id(
    tmp_path: Path, value: str, expected: str | None
) -> None:
    assert load(tmp_path, f"[telegram]\nchannel = {value}\n").telegram.channel == expected


@pytest.mark.parametrize("value", ['"volochysk"', '"@ab"', '"https://t.me/x"', "12345", "true"])
def test_a_channel_that_is_not_one_is_one_line_naming_the_key(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, f"[telegram]\nchannel = {value}\n")
    assert "telegram.channel" in str(caught.value) and "\n" not in str(caught.value)


def test_quiet_hours_default_to_the_night_and_may_be_turned_off(tmp_path: Path) -> None:
    assert str(load(tmp_path, "").library.quiet_hours) == "21:00-08:00"
    assert load(tmp_path, '[library]\nquiet_hours = ""\n').library.quiet_hours is None
    assert str(load(tmp_path, '[library]\nquiet_hours = "22:00-07:30"\n').library.quiet_hours) == (
        "22:00-07:30"
    )


@pytest.mark.parametrize("value", ['"22-07"', '"25:00-07:00"', '"08:00-08:00"', "21"])
def test_a_bad_quiet_hours_span_is_one_line_naming_the_key(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, f"[library]\nquiet_hours = {value}\n")
    assert "library.quiet_hours" in str(caught.value) and "\n" not in str(caught.value)


# --------------------------------------------------------------------------- #
# Branches and places
# --------------------------------------------------------------------------- #

_PLACE_LINE = re.compile(
    r"# ((\[\[(branches|places)\]\])|((key|names|address|latitude|longitude|branch) = .*))$"
)


def test_the_examples_commented_branches_and_places_load_when_uncommented(
    tmp_path: Path,
) -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    uncommented = [m[1] if (m := _PLACE_LINE.fullmatch(line)) else line for line in lines]
    assert uncommented != lines
    config = load(tmp_path, "\n".join(uncommented))
    assert [b.key for b in config.branches] == ["central", "verbivka"]
    room, club = config.places
    assert room.branch == "central" and room.located
    assert (room.latitude, room.longitude) == (49.5330, 26.9530)
    assert club.address.startswith("с. Вербівка") and not club.located
    assert config.find_place("читальна зала црб") is room
    assert config.find_place("VERBIVKA_CLUB") is club
    assert config.find_place("Бібліотека") is None
    assert config.branch("verbivka") is not None and config.place("nowhere") is None


def test_the_example_as_shipped_has_no_places(tmp_path: Path) -> None:
    config = load(tmp_path, EXAMPLE.read_text(encoding="utf-8"))
    assert config.places == () and config.branches == ()


BRANCH = '[[branches]]\nkey = "{key}"\nnames = {{ uk = "Ф {key}", en = "B {key}" }}\n'
PLACE = '[[places]]\nkey = "{key}"\nnames = {{ uk = "М {key}", en = "P {key}" }}\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (BRANCH.format(key="a"), "places: missing; branches need [[places]]"),
        (
            BRANCH.format(key="a") + PLACE.format(key="p"),
            'places[0].branch: missing; expected "a"',
        ),
        (
            BRANCH.format(key="central") + PLACE.format(key="p") + 'branch = "centra"\n',
            'places[0].branch: unknown branch "centra" (did you mean "central"?)',
        ),
        (PLACE.format(key="p") + 'branch = "x"\n', 'unknown branch "x"; no [[branches]]'),
        (PLACE.format(key="p") + "latitude = 49.5\n", "places[0].longitude: missing; give both"),
        (
            PLACE.format(key="p") + "latitude = 91\nlongitude = 0\n",
            "places[0].latitude: 91 is out of range; expected -90 to 90",
        ),
        (
            PLACE.format(key="p") + 'latitude = "49"\nlongitude = 0\n',
            "places[0].latitude: expected a number (degrees), got a string",
        ),
        (
            PLACE.format(key="p") + PLACE.format(key="q").replace("М q", "м P"),
            'places[1].names.uk: "м P" is already the name or key of place "p"',
        ),
        (
            PLACE.format(key="p") + PLACE.format(key="q").replace("P q", "P"),
            'places[1].names.en: "P" is already the name or key of place "p"',
        ),
        (
            PLACE.format(key="p").replace("P p", "club") + PLACE.format(key="club"),
            'places[1].key: "club" is already a name of place "p"',
        ),
        (PLACE.format(key="p") + PLACE.format(key="p"), 'places[1].key: duplicate key "p"'),
        ('[[places]]\nkey = "p"\n', "places[0].names: missing"),
    ],
)
def test_bad_branches_and_places_name_the_key_and_the_problem(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    assert message in str(caught.value)


def test_places_without_branches_and_integer_coordinates(tmp_path: Path) -> None:
    config = load(tmp_path, PLACE.format(key="p") + "latitude = 49\nlongitude = -27\n")
    (place,) = config.places
    assert place.branch is None and place.address == ""
    assert (place.latitude, place.longitude) == (49.0, -27.0)
    assert place.name("uk") == "М p" and place.name("en") == "P p"
