"""The deployment files of webhook mode: the compose override with two instances behind
Caddy, and the systemd template unit ``hromada-bot@PORT``. Neither was run here (no Docker
daemon, no systemd as init); compose validates and resolves the files, systemd verifies
the unit."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.cli.test_deploy import COMPOSE, ENV_EXAMPLE, ROOT, SCRIPT, _compose_command

OVERRIDE = ROOT / "deploy" / "compose.webhook.yaml"
TEMPLATE = ROOT / "deploy" / "hromada-bot@.service"
SECRET = "0123456789abcdef0123456789abcdef"


@pytest.mark.skipif(_compose_command() is None, reason="neither docker compose nor docker-compose")
def test_compose_runs_two_webhook_instances_behind_caddy(tmp_path: Path) -> None:
    shutil.copy(COMPOSE, tmp_path / "compose.yaml")
    (tmp_path / "deploy").mkdir()
    shutil.copy(OVERRIDE, tmp_path / "deploy" / OVERRIDE.name)
    env = ENV_EXAMPLE.read_text(encoding="utf-8")
    (tmp_path / ".env").write_text(
        env + f"WEBHOOK_DOMAIN=bot.example.org\nHROMADA_WEBHOOK_SECRET={SECRET}\n",
        encoding="utf-8",
    )
    command = _compose_command()
    assert command is not None
    files = ["-f", "compose.yaml", "-f", f"deploy/{OVERRIDE.name}"]
    result = subprocess.run(
        [*command, *files, "config"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    services: dict[str, Any] = yaml.safe_load(result.stdout)["services"]
    assert set(services) == {"db", "bot", "bot2", "proxy"}
    bots = [services["bot"], services["bot2"]]
    for bot in bots:
        assert bot["command"] == ["hromada-bot", "webhook"]
        environment = bot["environment"]
        assert environment["HROMADA_WEBHOOK_URL"] == "https://bot.example.org/telegram"
        assert environment["HROMADA_WEBHOOK_SECRET"] == SECRET
        assert environment["HROMADA_WEBHOOK_LISTEN"] == "0.0.0.0"
        assert environment["DATABASE_URL"].endswith("@db:5432/hromada")
        assert "db" in bot["depends_on"]
    # One database, one secret, one URL; each its own name for the outbox's claims.
    assert bots[0]["environment"]["DATABASE_URL"] == bots[1]["environment"]["DATABASE_URL"]
    assert {b["environment"]["HROMADA_INSTANCE"] for b in bots} == {"bot-1", "bot-2"}
    proxy = services["proxy"]
    assert proxy["command"] == [
        "caddy", "reverse-proxy", "--from", "bot.example.org",
        "--to", "bot:8080", "--to", "bot2:8080",
    ]  # fmt: skip
    # Without the domain (or the secret) compose refuses to start, naming it.
    (tmp_path / ".env").write_text(env, encoding="utf-8")
    refused = subprocess.run(
        [*command, *files, "config"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert refused.returncode != 0
    assert "set WEBHOOK_DOMAIN in .env" in refused.stderr or "set HROMADA_WEBHOOK_SECRET" in (
        refused.stderr
    )


def test_the_compose_override_alone_leaves_compose_yaml_as_it_was() -> None:
    """Polling stays the default: the webhook is opted into with the second file."""
    base = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert "command" not in base["services"]["bot"]
    override = yaml.safe_load(OVERRIDE.read_text(encoding="utf-8"))
    assert set(override["services"]) == {"bot", "bot2", "proxy"}


def template() -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(TEMPLATE.read_text(encoding="utf-8"))
    return parser


def test_the_template_unit_runs_webhook_mode_on_the_port_it_is_named_after() -> None:
    service = template()["Service"]
    assert service["ExecStart"] == "/opt/hromada/bin/hromada-bot webhook"
    assert service["EnvironmentFile"] == "/etc/hromada/hromada.env"
    assert set(service["Environment"].split()) == {
        "HROMADA_WEBHOOK_LISTEN=127.0.0.1",
        "HROMADA_WEBHOOK_PORT=%i",
        "HROMADA_INSTANCE=%H-%i",
    }
    assert service["User"] == "hromada"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_accepts_the_template_unit(tmp_path: Path) -> None:
    text = TEMPLATE.read_text(encoding="utf-8").replace("/opt/hromada/bin/hromada-bot", str(SCRIPT))
    instance = tmp_path / "hromada-bot@8081.service"
    instance.write_text(text, encoding="utf-8")
    verify = subprocess.run(
        ["systemd-analyze", "verify", str(instance)], capture_output=True, text=True, check=False
    )
    assert verify.returncode == 0, verify.stderr
    assert instance.name not in verify.stderr, verify.stderr
