"""``[telegram.webhook]`` and its environment variables; ``HROMADA_INSTANCE``."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, WebhookConfig
from tests.unit.test_config import TOKEN, load, load_error

SECRET = "0123456789abcdef_-XYZ"
FILE = f"""
[telegram.webhook]
url = "https://bot.example.org/hromada/telegram"
secret = "{SECRET}"
listen = "0.0.0.0"
port = 8443
"""


def test_the_webhook_is_read_from_the_file_and_serves_the_url_path(tmp_path: Path) -> None:
    hook = load(tmp_path, FILE).telegram.webhook
    assert hook.url == "https://bot.example.org/hromada/telegram"
    assert hook.secret is not None and hook.secret.get() == SECRET
    assert (hook.listen, hook.port, hook.path) == ("0.0.0.0", 8443, None)
    assert hook.serve_path == "/hromada/telegram"
    assert SECRET not in repr(hook)


@pytest.mark.parametrize(
    ("url", "path", "served"),
    [
        ("https://bot.example.org", None, "/telegram"),
        ("https://bot.example.org/", None, "/telegram"),
        ("https://bot.example.org/hook", None, "/hook"),
        ("https://bot.example.org/public/hook", "/hook", "/hook"),  # a proxy strips /public
        (None, None, "/telegram"),
    ],
)
def test_the_path_served_is_the_urls_unless_named(
    url: str | None, path: str | None, served: str
) -> None:
    assert WebhookConfig(url=url, path=path).serve_path == served


def test_the_environment_overrides_the_file(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        FILE + '[reminders]\ninstance = "from-file"\n',
        {
            "HROMADA_WEBHOOK_URL": "https://other.example.org/tg",
            "HROMADA_WEBHOOK_SECRET": "x" * 32,
            "HROMADA_WEBHOOK_LISTEN": "127.0.0.1",
            "HROMADA_WEBHOOK_PORT": "9000",
            "HROMADA_INSTANCE": "bot-2",
        },
    )
    hook = config.telegram.webhook
    assert (hook.url, hook.listen, hook.port) == ("https://other.example.org/tg", "127.0.0.1", 9000)
    assert hook.secret is not None and hook.secret.get() == "x" * 32
    assert config.reminders.instance == "bot-2"
    assert config.require_webhook() == ("https://other.example.org/tg", hook.secret)


def test_without_a_webhook_the_defaults_apply_and_only_webhook_mode_needs_one(
    tmp_path: Path,
) -> None:
    config = load(tmp_path, "")
    hook = config.telegram.webhook
    assert (hook.url, hook.secret, hook.listen, hook.port) == (None, None, "127.0.0.1", 8080)
    with pytest.raises(ConfigError, match=r"telegram\.webhook\.url: missing"):
        config.require_webhook()
    with_url = load(tmp_path, '[telegram.webhook]\nurl = "https://bot.example.org/tg"\n')
    with pytest.raises(ConfigError, match=r"telegram\.webhook\.secret: missing"):
        with_url.require_webhook()


@pytest.mark.parametrize(
    ("text", "environ", "message"),
    [
        (
            '[telegram.webhook]\nsecret = "short"\n',
            {},
            "telegram.webhook.secret: expected 16 to 256 letters",
        ),
        (
            f'[telegram.webhook]\nsecret = "{"é" * 20}"\n',
            {},
            "telegram.webhook.secret: expected 16 to 256 letters",
        ),
        ("[telegram.webhook]\nport = 0\n", {}, "telegram.webhook.port: expected a port number"),
        ('[telegram.webhook]\nport = "x"\n', {}, "telegram.webhook.port: expected a port number"),
        ('[telegram.webhook]\npath = "/healthz"\n', {}, "telegram.webhook.path: expected a path"),
        ('[telegram.webhook]\npath = "no-slash"\n', {}, "telegram.webhook.path: expected a path"),
        ('[telegram.webhook]\nsecrett = "x"\n', {}, 'unknown key (did you mean "secret"?)'),
        ('[telegram]\nwebhook = "x"\n', {}, "telegram.webhook: expected a table"),
        (
            f'[telegram.webhook]\nurl = "https://bot.example.org/{TOKEN.split(":")[1]}"\n',
            {"BOT_TOKEN": TOKEN},
            "telegram.webhook.url: must not contain the bot token",
        ),
        (
            "",
            {"HROMADA_WEBHOOK_PORT": "80000"},
            "telegram.webhook.port (from HROMADA_WEBHOOK_PORT): expected a port number",
        ),
    ],
)
def test_a_bad_webhook_setting_is_one_line_and_never_echoes_a_secret(
    tmp_path: Path, text: str, environ: dict[str, str], message: str
) -> None:
    error = str(load_error(tmp_path, text, environ))
    assert message in error
    assert "short" not in error and "é" not in error and TOKEN.split(":")[1] not in error
