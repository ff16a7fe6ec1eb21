"""The registrants' CSV as a Ukrainian-locale Excel opens it on a double-click."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

from bot.config import load_config
from bot.domain.status import RegistrationStatus
from bot.exports.registrants import registrants_csv
from bot.i18n import Catalogs
from storage.staff_events import Registrant


def test_cells_are_separated_by_semicolons_and_cyrillic_survives(tmp_path: Path) -> None:
    config = load_config(tmp_path / "config.toml", {}, missing_ok=True)
    at = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
    rows = [
        Registrant(
            "Ґанна Їжакевич-Щербань", "+380501112233", "idp", RegistrationStatus.CONFIRMED, at, True
        ),
        Registrant("Петренко; Олена", None, None, RegistrationStatus.WAITING, at, None),
        Registrant("=1+2", None, "library_users", RegistrationStatus.CONFIRMED, at, False),
    ]
    data = registrants_csv(config, Catalogs().get("uk"), rows)
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    text = data.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "Ім’я;Телефон;Категорія;Статус;Час запису;Прийшли"
    assert lines[1] == (
        "Ґанна Їжакевич-Щербань;+380501112233;Внутрішньо переміщені особи;має місце;"
        "01.12.2026 10:30;так"
    )
    assert lines[2].startswith('"Петренко; Олена";;;у черзі;')  # quoted: one cell
    parsed = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [r[0] for r in parsed[1:]] == ["Ґанна Їжакевич-Щербань", "Петренко; Олена", "'=1+2"]
    assert {len(r) for r in parsed} == {6}
