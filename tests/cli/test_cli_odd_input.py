"""Odd input on the command line (issue 9, item 6): one line naming the problem, never a
traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from storage.database import Database
from storage.models import Event
from tests.cli.test_cli import HEADER, hromada


async def test_import_reads_a_csv_with_old_mac_line_ends(
    tmp_path: Path, db: Database, database_url: str
) -> None:
    csv_file = tmp_path / "events.csv"
    csv_file.write_bytes(
        f"{HEADER}\rТренінг,training,2030-03-15 14:00,,Зала,,,,\r".encode(),
    )
    result = await hromada(
        "events", "import", str(csv_file), env={"DATABASE_URL": database_url}, cwd=tmp_path
    )
    assert result.code == 0, result.err
    async with db.session() as session:
        assert list((await session.scalars(select(Event.title))).all()) == ["Тренінг"]


async def test_import_of_an_unreadable_first_line_is_one_line(
    tmp_path: Path, db: Database, database_url: str
) -> None:
    csv_file = tmp_path / "events.csv"
    csv_file.write_bytes(('"title,kind,starts_at,place\n' + "x" * 200_000 + "\n").encode())
    result = await hromada(
        "events", "import", str(csv_file), env={"DATABASE_URL": database_url}, cwd=tmp_path
    )
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.err.splitlines() == [
        f"{csv_file}: рядок 1: не вдається прочитати рядок: "
        "не закрито лапки або клітинка надто довга",
        f"{csv_file}: нічого не імпортовано",
    ]


@pytest.mark.parametrize(
    ("since", "until"),
    [("31.12.9999", "31.12.9999"), ("01.01.0001", "02.01.0001"), ("0001-01-01", "0001-01-01")],
)
async def test_a_report_period_beyond_the_calendar_is_one_line(
    tmp_path: Path, database_url: str, since: str, until: str
) -> None:
    result = await hromada(
        "report",
        "--from",
        since,
        "--to",
        until,
        env={"DATABASE_URL": database_url},
        cwd=tmp_path,
    )
    assert (result.code, result.err) == (
        2,
        "hromada-bot: --from/--to: dates as 01.01.2026 or 2026-01-01, "
        "the first not after the last\n",
    )


async def test_update_refuses_a_title_with_control_characters(
    tmp_path: Path, db: Database, database_url: str
) -> None:
    from datetime import UTC, datetime, timedelta

    from tests.factories import make_event

    event = await make_event(db, now=datetime.now(UTC), starts_in=timedelta(days=5))
    result = await hromada(
        "events",
        "update",
        str(event.id),
        "--title=Bad\x01Title",
        env={"DATABASE_URL": database_url},
        cwd=tmp_path,
    )
    assert (result.code, result.err) == (
        2,
        "hromada-bot: --title: has invisible control characters; type it again\n",
    )
