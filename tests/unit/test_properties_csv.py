"""Property tests (issue 9, item 7): CSV files and rows for the import. Whatever the bytes,
the reader answers with EventImportError or events; a file written the way spreadsheets
write it, with any line ends, reads back."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.event_import import (
    COLUMNS,
    LIMITS,
    EventImportError,
    decode_csv,
    parse_events_csv,
)
from bot.domain.text import has_control_characters
from tests.unit.strategies import FAST, ODD

KYIV = ZoneInfo("Europe/Kyiv")
KINDS = {"training": "training", "seminar": "seminar", "тренінг": "training"}
HEADER = ",".join(COLUMNS)
# Pieces a CSV file is made of, so that random files often get past the header.
PIECES = [HEADER, "title,kind,starts_at,place", ",", ";", '"', '""', "\n", "\r", "\r\n"]
PIECES += ["training", "2026-03-15 14:00", "15.03.2026 14:00", "Зала", "20", "1h", "x" * 300]


def parse(text: str) -> list:  # type: ignore[type-arg]
    return parse_events_csv(text, kinds=KINDS, tz=KYIV)


csv_like = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(alphabet=ODD, max_size=5))).map("".join),
)


@FAST
@given(st.one_of(st.binary(max_size=300), csv_like.map(lambda t: t.encode("utf-8-sig"))))
def test_any_bytes_decode_or_are_refused(data: bytes) -> None:
    try:
        text = decode_csv(data)
    except EventImportError as error:
        assert [p.code for p in error.problems] == ["encoding"]
        return
    assert "\x00" not in text


@FAST
@given(csv_like)
def test_any_text_is_events_or_problems(text: str) -> None:
    try:
        drafts = parse(text)
    except EventImportError as error:
        assert error.problems and all(p.row >= 1 for p in error.problems)
        return
    for draft in drafts:
        assert draft.title and draft.place and draft.kind in KINDS.values()
        assert draft.starts_at.tzinfo is UTC
        for column in LIMITS:
            value = getattr(draft, column) or ""
            assert len(value) <= LIMITS[column] and not has_control_characters(value)


# Text a person could type into a cell: no control characters and no noncharacters
# (U+FFFE, U+FFFF), which the import refuses (see bot.domain.text).
typed = st.characters(
    blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufffe\uffff"
)
cell_text = st.text(alphabet=typed, min_size=1, max_size=40).map(lambda t: " ".join(t.split()))
row = st.fixed_dictionaries(
    {
        "title": cell_text.filter(bool),
        "place": cell_text.filter(bool),
        "starts_at": st.datetimes(
            min_value=datetime(2027, 1, 1), max_value=datetime(2090, 12, 31)
        ).map(lambda d: d.replace(second=0, microsecond=0)),
        "capacity": st.none() | st.integers(min_value=1, max_value=100_000),
        "description": st.text(
            alphabet=typed | st.sampled_from('\n\t,;"'),
            max_size=60,
        ),
    }
)


@FAST
@given(
    st.lists(row, min_size=1, max_size=5),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.sampled_from([",", ";"]),
    st.booleans(),
)
def test_a_file_written_as_spreadsheets_write_it_reads_back(
    rows: list[dict],  # type: ignore[type-arg]
    line_end: str,
    delimiter: str,
    bom: bool,
) -> None:
    out = io.StringIO()
    # Spreadsheets quote a cell holding a line break; Python's writer only quotes for the
    # characters of its own line end, so with a lone CR it is told to quote every cell.
    quoting = csv.QUOTE_ALL if line_end == "\r" else csv.QUOTE_MINIMAL
    writer = csv.writer(out, delimiter=delimiter, lineterminator=line_end, quoting=quoting)
    writer.writerow(["title", "kind", "starts_at", "place", "capacity", "description"])
    for r in rows:
        writer.writerow(
            [
                r["title"],
                "training",
                f"{r['starts_at']:%d.%m.%Y %H:%M}",
                r["place"],
                r["capacity"] or "",
                r["description"],
            ]
        )
    data = (("\ufeff" if bom else "") + out.getvalue()).encode()
    try:
        drafts = parse(decode_csv(data))
    except EventImportError as error:
        # A time the clocks jump over in spring is the one thing a valid row can be refused for.
        assert {p.code for p in error.problems} == {"time_gap"}, error.problems
        return
    assert len(drafts) == len(rows)
    for draft, r in zip(drafts, rows, strict=True):
        assert (draft.title, draft.place, draft.capacity) == (
            r["title"],
            r["place"],
            r["capacity"],
        )
        assert draft.starts_at.astimezone(KYIV).replace(tzinfo=None) == r["starts_at"]
        # Line ends inside the cell come back as \n, whatever the file used.
        expected = r["description"].replace("\r\n", "\n").replace("\r", "\n").strip()
        assert draft.description == expected
        assert draft.ends_at is None or draft.ends_at - draft.starts_at > timedelta(0)
