"""The deployment files: Dockerfile, compose.yaml, the systemd unit and the environment example.

There is no Docker daemon here, so the image is never built: its shape is checked, and what
it runs (the start command, the environment, the health check) is run outside Docker.
"""

from __future__ import annotations

import configparser
import fnmatch
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import ENVIRONMENT, load_config

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "hromada-bot.service"
ENV_EXAMPLE = ROOT / "deploy" / "hromada.env.example"
COMPOSE = ROOT / "compose.yaml"
DOCKERFILE = ROOT / "Dockerfile"
SCRIPT = Path(sys.executable).parent / "hromada-bot"

COMPOSE_ONLY = {"POSTGRES_PASSWORD", "WEBHOOK_DOMAIN"}
"""In the example for compose.yaml's PostgreSQL service and deploy/compose.webhook.yaml's
proxy; the bot does not read them."""


# --------------------------------------------------------------------------- #
# The environment file example
# --------------------------------------------------------------------------- #


def example_lines() -> dict[str, str]:
    """NAME -> value of every ``NAME=value`` line, commented-out ones too."""
    found: dict[str, str] = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"#?\s*([A-Z][A-Z0-9_]*)=(.*)", line.strip())
        if match:
            assert match[1] not in found, f"{match[1]} twice"
            found[match[1]] = match[2]
    return found


def test_the_env_example_names_exactly_the_variables_the_bot_reads() -> None:
    assert set(example_lines()) - COMPOSE_ONLY == set(ENVIRONMENT)


def test_the_env_example_values_load(tmp_path: Path) -> None:
    values = example_lines()
    environ = {k: v for k, v in values.items() if k in ENVIRONMENT and k != "HROMADA_CONFIG"}
    config = load_config(tmp_path / "config.toml", environ, missing_ok=True)
    assert config.require_token().get() == values["BOT_TOKEN"]
    assert config.staff.admins == (int(values["HROMADA_ADMINS"]),)
    assert config.database.url.startswith("postgresql+asyncpg://")


# --------------------------------------------------------------------------- #
# The systemd unit
# --------------------------------------------------------------------------- #


def unit() -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(UNIT.read_text(encoding="utf-8"))
    return parser


def test_the_unit_runs_the_bot_as_its_own_user_from_the_env_file() -> None:
    service = unit()["Service"]
    assert service["User"] == "hromada" and service["Group"] == "hromada"
    assert service["EnvironmentFile"] == "/etc/hromada/hromada.env"
    program, *arguments = service["ExecStart"].split()
    assert Path(program).name == "hromada-bot" and arguments == ["run"]
    assert service["Restart"] == "on-failure"
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"
    # The data folder is the only one it writes, and it is where the bot works.
    assert service["WorkingDirectory"] == "/var/lib/hromada"
    assert service["ReadWritePaths"].split() == [service["WorkingDirectory"]]
    assert unit()["Install"]["WantedBy"] == "multi-user.target"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    # verify wants ExecStart's program to exist: point it at this installation's.
    text = UNIT.read_text(encoding="utf-8")
    text = text.replace("/opt/hromada/bin/hromada-bot", str(SCRIPT))
    copy = tmp_path / UNIT.name
    copy.write_text(text, encoding="utf-8")
    verify = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, check=False
    )
    assert verify.returncode == 0, verify.stderr
    assert UNIT.name not in verify.stderr, verify.stderr
    security = subprocess.run(
        ["systemd-analyze", "security", "--offline=yes", "--no-pager", str(copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    exposure = re.search(r"Overall exposure level for \S+: ([0-9.]+)", security.stdout)
    if exposure is None:  # an older systemd without --offline
        pytest.skip(security.stderr.strip())
    assert float(exposure[1]) <= 4.0, security.stdout


# --------------------------------------------------------------------------- #
# compose.yaml
# --------------------------------------------------------------------------- #


def compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_compose_runs_the_bot_after_a_healthy_postgresql() -> None:
    services = compose()["services"]
    assert set(services) == {"db", "bot"}  # no backup service until its command exists
    db, bot = services["db"], services["bot"]
    assert db["image"].startswith("postgres:")
    assert (
        db["healthcheck"]["test"][0] == "CMD-SHELL" and "pg_isready" in db["healthcheck"]["test"][1]
    )
    assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])
    assert bot["build"] == "."
    assert bot["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert bot["env_file"] == ".env"
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql://hromada:")
    assert bot["environment"]["DATABASE_URL"].endswith("@db:5432/hromada")
    assert bot["healthcheck"]["test"] == ["CMD", "hromada-bot", "health"]
    assert set(compose()["volumes"]) == {"db-data", "bot-data"}


def test_compose_gives_the_same_nightly_backup_command_as_readme() -> None:
    """The bot's image has no pg_dump: both point at one pg_dump line for the host's cron."""
    command = "docker compose exec -T db pg_dump -U hromada -Fc hromada > /srv/backups/"
    readme = (COMPOSE.parent / "README.md").read_text(encoding="utf-8")
    assert command in COMPOSE.read_text(encoding="utf-8")
    assert command in readme


def test_compose_takes_its_variables_from_the_env_example() -> None:
    used = set(re.findall(r"\$\{([A-Z_]+)", COMPOSE.read_text(encoding="utf-8")))
    assert used and used <= set(example_lines())


def _compose_command() -> list[str] | None:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return ["docker", "compose"]
    return None


@pytest.mark.skipif(_compose_command() is None, reason="neither docker compose nor docker-compose")
def test_docker_compose_accepts_the_file(tmp_path: Path) -> None:
    """``docker compose config`` needs no daemon: it validates and interpolates the file."""
    shutil.copy(COMPOSE, tmp_path / "compose.yaml")
    shutil.copy(ENV_EXAMPLE, tmp_path / ".env")
    command = _compose_command()
    assert command is not None
    result = subprocess.run(
        [*command, "-f", "compose.yaml", "config"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    resolved = yaml.safe_load(result.stdout)
    password = example_lines()["POSTGRES_PASSWORD"]
    bot = resolved["services"]["bot"]
    assert bot["environment"]["DATABASE_URL"] == f"postgresql://hromada:{password}@db:5432/hromada"
    assert bot["environment"]["HROMADA_TIMEZONE"] == "Europe/Kyiv"  # from .env
    # Without the password compose refuses to start, naming it.
    (tmp_path / ".env").write_text("BOT_TOKEN=1:x\n", encoding="utf-8")
    refused = subprocess.run(
        [*command, "-f", "compose.yaml", "config"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode != 0 and "set POSTGRES_PASSWORD in .env" in refused.stderr


# --------------------------------------------------------------------------- #
# Dockerfile
# --------------------------------------------------------------------------- #


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    result: list[tuple[str, str]] = []
    pending = ""
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        whole = (pending + line).strip()
        pending = ""
        name, _, arguments = whole.partition(" ")
        result.append((name.upper(), " ".join(arguments.split())))
    assert not pending, "the Dockerfile ends inside a continued line"
    return result


def exec_form(arguments: str) -> list[str]:
    parsed = yaml.safe_load(arguments)  # a JSON array is YAML
    assert isinstance(parsed, list) and all(isinstance(a, str) for a in parsed), arguments
    return parsed


def test_the_dockerfile_is_plain_slim_and_not_root() -> None:
    steps = instructions()
    names = [name for name, _ in steps]
    assert set(names) <= {
        "FROM", "ENV", "WORKDIR", "COPY", "RUN", "VOLUME", "USER", "HEALTHCHECK", "ENTRYPOINT",
        "CMD",
    }  # fmt: skip
    assert steps[0] == ("FROM", "python:3.11-slim") and names.count("FROM") == 1
    assert any(name == "RUN" and "pip install . " in f"{args} " for name, args in steps)
    user = dict(steps)["USER"]
    assert user not in ("root", "0") and names.index("USER") < names.index("ENTRYPOINT")
    assert re.search(rf"useradd .*\b{user}\b", dict(steps)["RUN"])
    assert exec_form(dict(steps)["VOLUME"]) == [dict(steps)["WORKDIR"]] == ["/data"]
    # The same start command as everywhere else.
    assert exec_form(dict(steps)["ENTRYPOINT"]) + exec_form(dict(steps)["CMD"]) == [
        "hromada-bot",
        "run",
    ]


def test_the_image_gets_every_package_and_nothing_the_dockerignore_drops() -> None:
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = {p.rstrip("*") for p in packages["tool"]["setuptools"]["packages"]["find"]["include"]}
    copied: set[str] = set()
    for name, arguments in instructions():
        if name == "COPY":
            *sources, _destination = arguments.split()
            copied |= set(sources)
    assert wanted <= copied
    ignore = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for source in copied:
        assert (ROOT / source).exists(), source
        # Docker's rule: the last pattern that matches decides.
        kept = True
        for pattern in ignore:
            if fnmatch.fnmatch(source, pattern.lstrip("!").rstrip("/")):
                kept = pattern.startswith("!")
        assert kept, f"{source} is copied but .dockerignore leaves it out"
    for dropped in (".venv", ".git", "tests", "config.toml", "hromada.sqlite3"):
        assert not any(
            fnmatch.fnmatch(dropped, p.rstrip("/")) and p.startswith("!") for p in ignore
        ), dropped


def healthcheck_command() -> list[str]:
    arguments = dict(instructions())["HEALTHCHECK"]
    _options, _, command = arguments.partition(" CMD ")
    argv = exec_form(command)
    assert argv[0] == "hromada-bot"
    return [str(SCRIPT), *argv[1:]]


def run_in(folder: Path, argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, cwd=folder, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_the_image_healthcheck_outside_docker(tmp_path: Path, database_url: str) -> None:
    """The HEALTHCHECK's own command, in a folder like the image's /data, from the environment."""
    import os

    env = {k: v for k, v in os.environ.items() if k not in ENVIRONMENT}
    data = tmp_path / "data"
    data.mkdir()
    before = run_in(data, healthcheck_command(), env)
    assert before.returncode == 1  # no database yet: unhealthy
    assert before.stderr.startswith("hromada-bot: unhealthy: database: file ")
    upgrade = run_in(data, [str(SCRIPT), "db", "upgrade"], env)
    assert upgrade.returncode == 0, upgrade.stderr
    after = run_in(data, healthcheck_command(), env)
    assert after.returncode == 0, after.stderr
    assert after.stdout.startswith(f"ok: database answers (sqlite+aiosqlite:///{data}")
    on_the_test_database = run_in(
        data, healthcheck_command(), {**env, "DATABASE_URL": database_url}
    )
    assert on_the_test_database.returncode == 0, on_the_test_database.stderr
