"""``hromada-bot events update --place``: a configured place by its key or name (issue 12)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage.database import Database
from storage.models import Event
from tests.cli.test_cli import hromada, write_config
from tests.factories import make_event

PLACES = """
[[branches]]
key = "central"
names = { uk = "Центральна районна бібліотека", en = "Central district library" }

[[places]]
key = "reading_room"
names = { uk = "Читальна зала ЦРБ", en = "Reading room, central library" }
address = "вул. Шевченка, 12"
branch = "central"
"""


async def test_update_keys_a_named_place_and_keeps_other_text_as_typed(
    tmp_path: Path, db: Database, database_url: str
) -> None:
    event = await make_event(db, now=datetime.now(UTC), starts_in=timedelta(days=5))
    config = write_config(tmp_path, PLACES)
    env = {"DATABASE_URL": database_url}
    for place, expected in [
        ("reading room, CENTRAL library", ("Читальна зала ЦРБ", "reading_room", "central")),
        ("Актова зала", ("Актова зала", None, None)),
    ]:
        result = await hromada(
            "--config", str(config), "events", "update", str(event.id), "--place", place, env=env
        )
        assert result.code == 0, result.err
        async with db.session() as session:
            stored = await session.get(Event, event.id)
        assert stored is not None
        assert (stored.place, stored.place_key, stored.branch_key) == expected
