"""Report benchmark: the project report over a year with a million attendance rows.

Prints figures; asserts nothing. Machines here are shared and noisy, so each query figure
is also given as a ratio to a baseline measured in the same run on the same database:
``SELECT count(*)`` over the registration table (one pass over the same rows the report
counts). A one-row read is printed too, for scale.

    python benchmarks/bench_report.py                  # 1,000,000 registrations; SQLite, and
                                                        # PostgreSQL if one answers
    python benchmarks/bench_report.py --rows 200000    # a quick try
    python benchmarks/bench_report.py --before 0005    # measure at 0005, upgrade to head
                                                        # on the same data, measure again
    python benchmarks/bench_report.py --plans          # also the report's query plans
    HROMADA_BENCH_PG=postgresql://postgres@127.0.0.1:5432/postgres python benchmarks/bench_report.py
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event as sa_event
from sqlalchemy import insert, text

from benchmarks.databases import postgres_server, scratch_database
from benchmarks.results import Row, print_json
from bot.config import Config, load_config
from bot.exports.report_chart import report_chart
from bot.exports.report_docx import report_docx
from bot.exports.report_text import report_text
from bot.exports.report_xlsx import report_xlsx
from bot.i18n import Catalogs, Translator
from bot.services import report, staff_events
from storage import migrate
from storage.database import Database
from storage.models import Event, Person, Program, WalkIn

TZ = ZoneInfo("Europe/Kyiv")
YEAR = 2026
YEAR_START = datetime(YEAR, 1, 1, tzinfo=TZ)  # as /report 2026 gives it
YEAR_END = datetime(YEAR + 1, 1, 1, tzinfo=TZ)
MARCH = (datetime(YEAR, 3, 1, tzinfo=TZ), datetime(YEAR, 4, 1, tzinfo=TZ))
LIST_NOW = datetime(YEAR, 7, 1, 9, tzinfo=UTC)  # the staff list as seen mid-year
CREATED = datetime(YEAR - 1, 12, 1, tzinfo=UTC)
PROGRAMMES = ("Поінформована громада", "Цифрова грамотність", "Медіаграмотність", "Безпека", None)
# Events by branch in turn; None: events of no branch (the library as a whole).
BRANCHES = ("central", "verbivka", "zhytnyky", None)
PER_EVENT, CONFIRMED, WAITING = 200, 180, 10  # then cancelled registrations
BATCH = 10_000


@dataclass(frozen=True)
class Seeded:
    events: int
    in_year: int
    registrations: int
    attended: int
    people: int
    walk_in_rows: int
    seconds: float


@dataclass
class Figures:
    """Median seconds by label, in the order measured."""

    seconds: dict[str, float] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


async def timed(fn: Callable[[], Awaitable[Any]], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        await fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def batches(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), BATCH):
        yield rows[i : i + BATCH]


async def seed(db: Database, config: Config, rows: int) -> Seeded:
    """``rows`` registrations, PER_EVENT an event, in bulk: executemany for people, events
    and walk-ins, one INSERT … SELECT (events × positions) for the registrations.

    Of every 20 events one is cancelled and one is in the previous year; every 10th is
    not marked. At each event CONFIRMED people hold a seat (7 in 8 of them came), WAITING
    wait, the rest cancelled.
    """
    start = time.perf_counter()
    n_events = max(20, rows // PER_EVENT)
    n_people = max(1000, rows // 20)
    kinds = [k.key for k in config.event_kinds]
    categories = [c.key for c in config.categories]
    step = (YEAR_END - YEAR_START) / n_events
    people = [
        {
            "id": i + 1,
            "telegram_id": 1_000_000_000 + i,
            "full_name": f"Учасник {i + 1}",
            "phone": f"+38050{i:07d}",
            # Every 50th never named a category: counted as "other".
            "category": None if i % 50 == 49 else categories[i % len(categories)],
            "language": "uk",
            "consent_at": CREATED,
            "created_at": CREATED,
        }
        for i in range(n_people)
    ]
    events = []
    for i in range(n_events):
        starts_at = YEAR_START + step * i
        if i % 20 == 19:
            starts_at = starts_at.replace(year=YEAR - 1)
        events.append(
            {
                "id": i + 1,
                "title": f"Захід {i + 1}",
                "kind": kinds[i % len(kinds)],
                "starts_at": starts_at,
                "ends_at": starts_at + timedelta(hours=2),
                "place": "Читальна зала",
                "capacity": CONFIRMED,
                "seats_taken": CONFIRMED,
                "audience": "",
                # The last of PROGRAMMES (None): events of no programme.
                "program_id": None
                if PROGRAMMES[i % len(PROGRAMMES)] is None
                else i % len(PROGRAMMES) + 1,
                "description": "",
                "status": "cancelled" if i % 20 == 18 else "published",
                "created_at": CREATED,
                "branch_key": BRANCHES[i % len(BRANCHES)],
            }
        )
    walk_ins = [
        {"event_id": i + 1, "category": category, "count": 1 + (i + j) % 4}
        for i in range(0, n_events, 3)
        for j, category in enumerate(("idp", "other", "government")[: 1 + i % 3])
    ]
    programmes = [
        {"id": i + 1, "name": name, "created_at": CREATED}
        for i, name in enumerate(PROGRAMMES)
        if name is not None
    ]
    async with db.transaction() as session:
        for table, data in (
            (Program, programmes),
            (Person, people),
            (Event, events),
            (WalkIn, walk_ins),
        ):
            for chunk in batches(data):
                await session.execute(insert(table), chunk)
        await session.execute(text("CREATE TABLE bench_position (n integer PRIMARY KEY)"))
        await session.execute(
            text("INSERT INTO bench_position (n) VALUES (:n)"),
            [{"n": n} for n in range(PER_EVENT)],
        )
        # Each event gets PER_EVENT different people (PER_EVENT < n_people); queued_at is
        # copied from a datetime column, so SQLite keeps the stored format.
        await session.execute(
            text(
                "INSERT INTO registration"
                " (event_id, person_id, status, queued_at, updated_at, attended)"
                " SELECT e.id, (e.id * 7919 + p.n) % :people + 1,"
                f" CASE WHEN p.n < {CONFIRMED} THEN 'confirmed'"
                f" WHEN p.n < {CONFIRMED + WAITING} THEN 'waiting' ELSE 'cancelled' END,"
                " e.created_at, e.created_at,"
                f" CASE WHEN p.n >= {CONFIRMED} OR e.id % 10 = 0 THEN NULL"
                " WHEN (p.n + e.id) % 8 = 0 THEN false ELSE true END"
                " FROM event e CROSS JOIN bench_position p"
            ),
            {"people": n_people},
        )
        await session.execute(text("DROP TABLE bench_position"))
        if not db.is_sqlite:
            for name, last in (("person", n_people), ("event", n_events)):
                await session.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), :n)"),
                    {"n": last},
                )
    await settle(db)
    async with db.session() as session:
        registrations, attended = (
            await session.execute(
                text("SELECT count(*), count(*) FILTER (WHERE attended) FROM registration")
            )
        ).one()
    in_year = sum(1 for i in range(n_events) if i % 20 < 18)  # published, in the year
    return Seeded(
        events=n_events,
        in_year=in_year,
        registrations=registrations,
        attended=attended,
        people=n_people,
        walk_in_rows=len(walk_ins),
        seconds=time.perf_counter() - start,
    )


async def settle(db: Database) -> None:
    """On PostgreSQL, what autovacuum does to fresh rows within minutes: statistics for
    the planner and the visibility map that index-only scans need. SQLite is left as the
    bot leaves it: never analysed."""
    if db.is_sqlite:
        return
    async with db.engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM ANALYZE"))


async def baselines(db: Database, runs: int) -> tuple[float, float]:
    """Seconds for ``count(*)`` over the registrations, and for a one-row read."""

    async def count() -> None:
        async with db.session() as session:
            await session.execute(text("SELECT count(*) FROM registration"))

    async def one_row() -> None:
        async with db.session() as session:
            await session.execute(text("SELECT title FROM event WHERE id = 1"))

    await count()  # warm the cache, as every later figure is measured warm
    return await timed(count, runs), await timed(one_row, runs * 10)


async def build(
    db: Database,
    start: datetime,
    end: datetime,
    program: str | None = None,
    *,
    branch: str | None = None,
    by_branch: bool = False,
) -> report.Report:
    configured = [key for key in BRANCHES if key is not None] if by_branch or branch else []
    async with db.session() as session:
        # Everything of the year has happened: the figures are those of a full report.
        return await report.build(
            session,
            start=start,
            end=end,
            now=YEAR_END,
            program_name=program,
            branch=branch,
            branches=configured,
        )


async def measure_queries(db: Database, runs: int) -> Figures:
    figures = Figures()
    base, one_row = await baselines(db, runs)
    figures.seconds["baseline: count(*) over registration"] = base
    figures.seconds["one-row read (event by id)"] = one_row
    figures.seconds["report build, year"] = await timed(
        lambda: build(db, YEAR_START, YEAR_END), runs
    )
    figures.seconds["report build, one month"] = await timed(lambda: build(db, *MARCH), runs)
    figures.seconds["report build, year, one programme"] = await timed(
        lambda: build(db, YEAR_START, YEAR_END, PROGRAMMES[0]), runs
    )
    figures.seconds["report build, year, by branch"] = await timed(
        lambda: build(db, YEAR_START, YEAR_END, by_branch=True), runs
    )
    figures.seconds["report build, year, one branch"] = await timed(
        lambda: build(db, YEAR_START, YEAR_END, branch=BRANCHES[0]), runs
    )

    async def staff_page(number: int) -> staff_events.StaffPage:
        async with db.session() as session:
            return await staff_events.page(session, number=number, now=LIST_NOW)

    last = (await staff_page(10**9)).page
    figures.seconds["staff event list, first page"] = await timed(lambda: staff_page(0), runs)
    figures.seconds[f"staff event list, last page ({last + 1})"] = await timed(
        lambda: staff_page(last), runs
    )

    tracemalloc.start()
    await build(db, YEAR_START, YEAR_END)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    figures.notes["peak Python memory, year build (tracemalloc)"] = f"{peak / 2**20:.1f} MiB"
    return figures


async def measure_files(db: Database, config: Config, tr: Translator, runs: int) -> Figures:
    """The renderings of the year's report: no database involved."""
    figures = Figures()
    year = await build(db, YEAR_START, YEAR_END)
    for label, render in (
        ("text (report_text)", lambda: report_text(config, tr, year, html=True)),
        ("XLSX (report_xlsx)", lambda: report_xlsx(config, tr, year)),
        ("chart (report_chart)", lambda: report_chart(config, tr, year)),
        ("DOCX (report_docx)", lambda: report_docx(config, tr, year)),
    ):

        async def once(render: Callable[[], object] = render) -> None:
            render()

        figures.seconds[label] = await timed(once, runs)
    figures.notes["the year's report"] = (
        f"{year.held} events held, {year.trained} attendances, "
        f"{year.distinct_people} distinct people; text {len(report_text(config, tr, year)):,} "
        f"characters, XLSX {len(report_xlsx(config, tr, year)) / 1024:.0f} KiB, "
        f"DOCX {len(report_docx(config, tr, year)) / 1024:.0f} KiB"
    )
    return figures


@contextmanager
def captured(db: Database) -> Iterator[list[tuple[str, Any]]]:
    """The statements (with their parameters) the engine sends while inside."""
    statements: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    sa_event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa_event.remove(db.engine.sync_engine, "before_cursor_execute", record)


async def plans(db: Database) -> list[str]:
    """EXPLAIN (QUERY PLAN) of each statement the year's report and the list page send."""
    with captured(db) as statements:
        await build(db, YEAR_START, YEAR_END)
        async with db.session() as session:
            await staff_events.page(session, number=0, now=LIST_NOW)
    explain = "EXPLAIN QUERY PLAN " if db.is_sqlite else "EXPLAIN "
    out = []
    async with db.engine.connect() as conn:
        for statement, parameters in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            result = await conn.exec_driver_sql(explain + statement, parameters)
            lines = [" ".join(str(v) for v in row[-1:]) for row in result.all()]
            first = " ".join(statement.split())[:110]
            out.append(f"  -- {first}…\n" + "\n".join(f"     {line}" for line in lines))
    return out


def print_figures(title: str, columns: list[str], results: list[Figures]) -> None:
    print(f"\n  {title}")
    print("  " + " " * 40 + "".join(f"{c:>32}" for c in columns))
    labels = [label for r in results for label in r.seconds]
    for label in dict.fromkeys(labels):
        cells = []
        for r in results:
            s = r.seconds.get(label)
            if s is None:
                cells.append(f"{'':>32}")
                continue
            base = r.seconds.get("baseline: count(*) over registration")
            ratio = f" ({s / base:6.1f}x)" if base and not label.startswith("baseline") else ""
            cells.append(f"{s * 1000:>19.1f} ms{ratio:>10}")
        print(f"  {label:<40}" + "".join(cells))
    for r, column in zip(results, columns, strict=True):
        for label, note in r.notes.items():
            print(f"  {label} [{column}]: {note}")


def rows_of(name: str, rows: int, queries: Figures, files: Figures) -> list[Row]:
    """The figures for ``run_all.py``: the report's builds against ``count(*)``."""
    database = name.split(" ", maxsplit=1)[0]
    base = queries.seconds["baseline: count(*) over registration"]
    baseline = f"{base * 1000:.1f} ms (count(*) over {rows:,} registrations)"
    out = [
        Row("report", f"{database}: {label}", f"{seconds * 1000:.0f} ms", baseline, seconds / base)
        for label, seconds in queries.seconds.items()
        if label.startswith("report build")
    ]
    rendered = " / ".join(f"{s * 1000:.0f} ms" for s in files.seconds.values())
    out.append(
        Row(
            "report",
            f"{database}: the year rendered ({' / '.join(k.split(' (')[0] for k in files.seconds)})",
            rendered,
        )
    )
    return out


async def bench(name: str, url: str, args: argparse.Namespace) -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(
            Path(tmp) / "config.toml", environ={"DATABASE_URL": url}, missing_ok=True
        )
    tr = Catalogs().get("uk")
    db = Database(url)
    print(f"\n{name}", flush=True)
    try:
        await migrate.upgrade(db, args.before or "head")
        seeded = await seed(db, config, args.rows)
        print(
            f"  seeded in {seeded.seconds:.1f} s: {seeded.registrations:,} registrations "
            f"({seeded.attended:,} attended) at {seeded.events:,} events "
            f"({seeded.in_year:,} held in {YEAR}), {seeded.people:,} people, "
            f"{seeded.walk_in_rows:,} walk-in rows",
            flush=True,
        )
        columns, results = [], []
        if args.before:
            columns.append(f"at {args.before}")
            results.append(await measure_queries(db, args.runs))
            if args.plans:
                print(f"\n  plans at {args.before}:")
                print("\n".join(await plans(db)))
            start = time.perf_counter()
            await migrate.upgrade(db)
            await settle(db)
            print(f"  upgraded to head on the seeded data in {time.perf_counter() - start:.1f} s")
        columns.append(f"at {await migrate.current_revision(db)}")
        results.append(await measure_queries(db, args.runs))
        if args.plans:
            print(f"\n  plans at {columns[-1][3:]}:")
            print("\n".join(await plans(db)))
        print_figures("queries (median of runs; ratio to the baseline)", columns, results)
        files = await measure_files(db, config, tr, args.runs)
        print_figures("the year's report rendered", ["year"], [files])
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  peak RSS of the process so far (seeding included): {rss:.0f} MiB")
        return rows_of(name, seeded.registrations, results[-1], files)
    finally:
        await db.dispose()


async def main(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    rows: list[Row] = []
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
            rows += await bench("SQLite (WAL, temporary file)", url, args)
    server = None if args.no_postgres else postgres_server()
    if server is None:
        print("\nPostgreSQL: skipped (none answers on 127.0.0.1:5432, or --no-postgres)")
    else:
        async with scratch_database(server) as url:
            rows += await bench("PostgreSQL (asyncpg, 127.0.0.1)", url, args)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")
    if args.json:
        print_json(rows)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="registrations to seed")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (the median)")
    parser.add_argument(
        "--before", metavar="REVISION", help="measure at REVISION first, then upgrade to head"
    )
    parser.add_argument("--plans", action="store_true", help="print the query plans")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--json", action="store_true", help="also print the rows as JSON")
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(arguments()))
