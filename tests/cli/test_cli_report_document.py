"""``hromada-bot report --format docx`` and ``hromada-bot report template``: real processes."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from docx import Document

from bot.exports.report_docx import default_template
from storage.database import Database
from tests import seed_report
from tests.cli.test_cli import hromada, write_config
from tests.services.test_report import make_program

PERIOD = ("report", "--from", "01.01.2026", "--to", "31.12.2026")


async def test_the_seed_report_as_a_document_on_the_command_line(
    tmp_path: Path, db: Database, database_url: str
) -> None:
    await seed_report.load(db, first_day=datetime(2026, 2, 2, 8, tzinfo=UTC))
    config = write_config(
        tmp_path, '[library]\nname = "Волочиська ЦРБ"\nname_genitive = "Волочиської ЦРБ"\n'
    )
    env = {"DATABASE_URL": database_url}
    out = tmp_path / "звіт.docx"
    saved = await hromada(
        "--config",
        str(config),
        *PERIOD,
        "--program",
        seed_report.NAME,
        "--format",
        "docx",
        "--output",
        str(out),
        env=env,
    )
    assert (saved.code, saved.out, saved.err) == (0, "", "")
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert texts[1:3] == ["Волочиської ЦРБ за проектом", f"«{seed_report.NAME}»"]
    assert texts[5:16] == seed_report.LINES
    assert seed_report.TOTALS in texts

    piped = await hromada("--config", str(config), *PERIOD, "--format", "docx", env=env, raw=True)
    assert piped.code == 0, piped.err
    assert [p.text for p in Document(io.BytesIO(piped.raw)).paragraphs][5:16] == seed_report.LINES


async def test_an_unknown_programme_is_one_line_with_the_known_ones(
    tmp_path: Path, db: Database, database_url: str
) -> None:
    await make_program(db, "Цифрова грамотність")
    result = await hromada(
        *PERIOD, "--program", "Поінформована", env={"DATABASE_URL": database_url}, cwd=tmp_path
    )
    assert (result.code, result.err) == (
        2,
        'hromada-bot: --program: there is no programme "Поінформована"; '
        'known programmes: "Цифрова грамотність"\n',
    )


async def test_the_default_template_is_written_out_for_editing(
    tmp_path: Path, db: Database, database_url: str
) -> None:
    env = {"DATABASE_URL": database_url}
    target = tmp_path / "наш шаблон.docx"
    written = await hromada("report", "template", str(target), env=env, cwd=tmp_path)
    assert (written.code, written.err) == (0, "")
    assert target.read_bytes() == default_template()

    again = await hromada("report", "template", str(target), env=env, cwd=tmp_path)
    assert (again.code, again.err) == (
        1,
        f"hromada-bot: {target}: already exists; give a new file name\n",
    )
    odd = await hromada("report", "templat", str(target), env=env, cwd=tmp_path)
    assert (odd.code, odd.err.count("\n")) == (2, 1)

    # The library edits it (an extra paragraph) and names it in the config.
    edited = Document(str(target))
    edited.add_paragraph("Додаток: фото {{ library_genitive }}")
    edited.save(str(target))
    config = write_config(
        tmp_path,
        '[library]\nname_genitive = "Волочиської ЦРБ"\n'
        f'[documents]\nreport_template = "{target.name}"\n',
    )
    await seed_report.load(db, first_day=datetime(2026, 2, 2, 8, tzinfo=UTC))
    out = tmp_path / "out.docx"
    made = await hromada(
        "--config", str(config), *PERIOD, "--format", "docx", "--output", str(out), env=env
    )
    assert made.code == 0, made.err
    assert [p.text for p in Document(str(out)).paragraphs][-1] == "Додаток: фото Волочиської ЦРБ"


async def test_a_broken_template_is_one_line(
    tmp_path: Path, db: Database, database_url: str
) -> None:
    env = {"DATABASE_URL": database_url}
    config = write_config(tmp_path, '[documents]\nreport_template = "звіт.docx"\n')
    await make_program(db, "Програма")
    missing = await hromada(
        "--config", str(config), *PERIOD, "--format", "docx", "--output", "x.docx", env=env
    )
    assert (missing.code, missing.err) == (
        1,
        f"hromada-bot: report template {tmp_path / 'звіт.docx'}: file not found\n",
    )
    document = Document()
    document.add_paragraph("{% for line in lines %}{{ line }")
    document.save(str(tmp_path / "звіт.docx"))
    bad = await hromada(
        "--config", str(config), *PERIOD, "--format", "docx", "--output", "x.docx", env=env
    )
    assert bad.code == 1 and bad.err.count("\n") == 1, bad.err
    assert "mistake in a {{ }} or {% %} tag" in bad.err and "Traceback" not in bad.err
    assert not (tmp_path / "x.docx").exists()
    # The other formats do not need the template.
    text = await hromada("--config", str(config), *PERIOD, env=env)
    assert text.code == 0 and text.out.startswith("Звіт за 01.01.2026 – 31.12.2026")
