"""``hromada-bot report --branch KEY``: one branch's report; all branches by default, with
the per-branch table; an unknown key is one line naming the known ones. Real processes."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook

from storage.database import Database
from tests.cli.test_cli import hromada, write_config
from tests.seed_branches import BRANCHES, seed

# The command counts on the real clock: the events are seeded around it, in a period
# from 100 days before to 30 days after.
NOW = datetime.now(UTC)
PERIOD = (
    "report",
    "--from",
    (NOW - timedelta(days=100)).strftime("%d.%m.%Y"),
    "--to",
    (NOW + timedelta(days=30)).strftime("%d.%m.%Y"),
)


def branches_config(tmp_path: Path) -> Path:
    body = "".join(
        f'[[branches]]\nkey = "{b.key}"\nnames = {{ uk = "{b.names["uk"]}", en = "{b.names["en"]}" }}\n'
        for b in BRANCHES
    )
    body += '[[places]]\nkey = "hall"\nnames = { uk = "Читальна зала", en = "Hall" }\n'
    body += 'branch = "central"\n'
    return write_config(tmp_path, body)


async def test_the_report_of_all_branches_and_of_one(
    tmp_path: Path, db: Database, database_url: str
) -> None:
    await seed(db, now=NOW)
    config = str(branches_config(tmp_path))
    env = {"DATABASE_URL": database_url}

    everyone = await hromada("--config", config, *PERIOD, env=env)
    assert (everyone.code, everyone.err) == (0, "")
    assert "Проведено 5 заходів" in everyone.out
    assert (
        "За філіями:\nЦентральна бібліотека: проведено 2 заходи (1 тренінг, 1 семінар)"
        in everyone.out
    )
    assert "Бібліотека загалом: проведено 1 захід" in everyone.out

    village = await hromada("--config", config, *PERIOD, "--branch", "verbivka", env=env)
    assert (village.code, village.err) == (0, "")
    assert "Філія: Вербівська сільська бібліотека\n" in village.out
    assert "Проведено 2 заходи: 2 тренінги. Навчання пройшли 3 особи" in village.out
    assert "За філіями" not in village.out and "Центральна" not in village.out

    out = tmp_path / "central.xlsx"
    saved = await hromada(
        "--config", config, *PERIOD, "--branch", "central", "--format", "xlsx",
        "--output", str(out), env=env,
    )  # fmt: skip
    assert (saved.code, saved.err) == (0, "")
    book = load_workbook(out)
    assert "Філії" not in book.sheetnames
    assert [row[1].value for row in book["Заходи"].iter_rows(min_row=2)] == [
        "training central 30",
        "seminar central 20",
    ]

    table = await hromada("--config", config, *PERIOD, "--format", "csv", env=env)
    rows = list(csv.reader(io.StringIO(table.out.lstrip("\ufeff"))))
    assert rows[0][-1] == "Філія"
    assert sorted({row[-1] for row in rows[1:]}) == [
        "Бібліотека загалом",
        "Вербівська сільська бібліотека",
        "Центральна бібліотека",
    ]


async def test_an_unknown_branch_is_one_line_with_the_known_ones(
    tmp_path: Path, db: Database, database_url: str
) -> None:
    env = {"DATABASE_URL": database_url}
    config = str(branches_config(tmp_path))
    result = await hromada("--config", config, *PERIOD, "--branch", "nowhere", env=env)
    assert (result.code, result.out, result.err) == (
        2,
        "",
        'hromada-bot: --branch: there is no branch "nowhere"; '
        'known: "central", "verbivka", "zhytnyky"\n',
    )
    # Without branches configured (no config.toml there: the defaults), any key is unknown.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    plain = await hromada(*PERIOD, "--branch", "central", env=env, cwd=elsewhere)
    assert (plain.code, plain.err) == (
        2,
        'hromada-bot: --branch: there is no branch "central"; known: none are configured\n',
    )
