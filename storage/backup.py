"""Copies of the database: SQLite through its online backup API, PostgreSQL through
``pg_dump`` / ``pg_restore``.

SQLite's copy reads one snapshot (a read transaction held on the source from the first
page to the last), so rows committed while it runs are either all in it or all out of
it; in WAL mode a reader never blocks a writer, and the copy goes in steps of
``SQLITE_PAGES_PER_STEP`` so the process copying stays responsive.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

SQLITE_PAGES_PER_STEP = 1024
SQLITE_HEADER = b"SQLite format 3\x00"
# A name made by ``backup_name``: ``<stem>-2026-11-29T173005.<suffix>``.
_STAMP = r"\d{4}-\d{2}-\d{2}T\d{6}"


class BackupError(Exception):
    """A problem with a backup or a restore, worded as one line for a librarian."""


@dataclass(frozen=True)
class Revisions:
    """The schema revisions this version of the bot knows, oldest first."""

    known: tuple[str, ...]

    @property
    def head(self) -> str:
        return self.known[-1]


def revisions() -> Revisions:
    from alembic.script import ScriptDirectory  # noqa: PLC0415 - Alembic only when needed

    from storage.migrate import alembic_config  # noqa: PLC0415 - migrate imports this module

    script = ScriptDirectory.from_config(alembic_config())
    return Revisions(tuple(reversed([r.revision for r in script.walk_revisions()])))


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for PostgreSQL or an in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def backup_name(stem: str, suffix: str, now: datetime) -> str:
    return f"{stem}-{now:%Y-%m-%dT%H%M%S}.{suffix}"


def prune(folder: Path, stem: str, suffix: str, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups named like ``backup_name``; return them."""
    pattern = re.compile(rf"{re.escape(stem)}-{_STAMP}\.{re.escape(suffix)}")
    ours = sorted(p for p in folder.iterdir() if pattern.fullmatch(p.name) and p.is_file())
    doomed = ours[:-keep] if keep > 0 else ours
    for path in doomed:
        path.unlink()
    return doomed


# SQLite


def copy_sqlite(
    source: Path,
    target: Path,
    *,
    pages: int = SQLITE_PAGES_PER_STEP,
    progress: Callable[[int, int, int], object] | None = None,
) -> None:
    """Copy one snapshot of ``source`` into ``target`` (created or replaced in place),
    ``pages`` at a time; ``progress(status, remaining, total)`` runs after each step."""
    with _connect(source) as src, _connect(target) as dst:
        # The read transaction pins one snapshot for all steps: without it each step
        # would take a fresh one and a busy writer would restart the copy over and over.
        src.execute("BEGIN")
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()
        src.backup(dst, pages=pages, progress=progress, sleep=0)
        src.execute("COMMIT")


def backup_sqlite(source: Path, target: Path) -> None:
    """Write a snapshot of ``source`` to ``target`` through a temporary file, so a
    failed or interrupted copy never leaves a half-written backup under its name."""
    if not source.is_file():
        raise BackupError(f"database: {source} does not exist")
    if target.exists():
        raise BackupError(f"{target} already exists")
    partial = target.with_name(f".{target.name}.partial")
    try:
        copy_sqlite(source, partial)
        _journal_mode_delete(partial)
        partial.replace(target)
    except sqlite3.Error as exc:
        raise BackupError(f"database: {exc}") from None
    finally:
        for leftover in (partial, *_sidecars(partial)):
            leftover.unlink(missing_ok=True)


def revision_of_sqlite(path: Path) -> str | None:
    """The schema revision recorded in a hromada SQLite file; BackupError if it is not one."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    with path.open("rb") as f:
        if f.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(f"{path} is not a SQLite database")
    try:
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
            (ok,) = conn.execute("PRAGMA quick_check").fetchone()
            if ok != "ok":
                raise BackupError(f"{path} is damaged: {ok}")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables:
                return None
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as exc:
        raise BackupError(f"{path}: {exc}") from None
    return str(row[0]) if row else None


def restore_sqlite(source: Path, target: Path) -> str:
    """Check ``source`` is a hromada database this bot can read and copy it over
    ``target``; return its revision (the caller migrates it up)."""
    revision = check_revision(str(source), revision_of_sqlite(source))
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        if target.is_file() and target.stat().st_size > 0:
            keep_copy(target, "before-restore")
        copy_sqlite(source, target)
    except sqlite3.Error as exc:
        raise BackupError(f"database: {exc}") from None
    return revision


def check_revision(what: str, revision: str | None) -> str:
    known = revisions()
    if revision is None:
        raise BackupError(f"{what} is not a hromada-bot database (no schema revision)")
    if revision not in known.known:
        raise BackupError(
            f"{what} is at schema revision {revision}, unknown to this hromada-bot "
            f"(it knows {known.known[0]}…{known.head}): made by a newer version?"
        )
    return revision


def copy_before_migration(path: Path, target_revision: str) -> Path:
    """Keep the file as it was before migrating to ``target_revision``."""
    return keep_copy(path, f"before-{target_revision}")


def keep_copy(path: Path, label: str) -> Path:
    """Copy the file to ``<file>.<label>``, replacing an older copy of that name."""
    copy = path.with_name(f"{path.name}.{label}")
    copy.unlink(missing_ok=True)
    copy_sqlite(path, copy)
    _journal_mode_delete(copy)
    return copy


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, timeout=15)
    return conn


def _journal_mode_delete(path: Path) -> None:
    """A backup is one self-contained file: no -wal beside it."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()


def _sidecars(path: Path) -> tuple[Path, ...]:
    return (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))


# PostgreSQL


def pg_dump(url: str, target: Path) -> None:
    """``pg_dump -Fc`` of the database into ``target`` (through a temporary file)."""
    if target.exists():
        raise BackupError(f"{target} already exists")
    partial = target.with_name(f".{target.name}.partial")
    try:
        _pg_tool("pg_dump", url, ["--format=custom", "--file", str(partial)])
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def revision_of_dump(source: Path) -> str | None:
    """The schema revision in a ``pg_dump -Fc`` file; BackupError if it is not one."""
    if not source.is_file():
        raise BackupError(f"{source} does not exist")
    with source.open("rb") as f:
        if f.read(5) != b"PGDMP":
            raise BackupError(f"{source} is not a pg_dump custom-format file (pg_dump -Fc)")
    script = _run(
        _tool("pg_restore"),
        ["--data-only", "--table=alembic_version", "--file=-", str(source)],
        env=None,
    )
    lines = script.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and i + 1 < len(lines):
            value = lines[i + 1].strip()
            return None if value == "\\." else value
    return None


def pg_restore(url: str, source: Path) -> str:
    """Replace the database's objects with the dump's, all or nothing; return its revision."""
    revision = check_revision(str(source), revision_of_dump(source))
    _pg_tool(
        "pg_restore",
        url,
        ["--clean", "--if-exists", "--no-owner", "--single-transaction", str(source)],
    )
    return revision


def _pg_tool(name: str, url: str, args: list[str]) -> None:
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)  # not on the command line: ps shows it
    _run(_tool(name), [*_connection_args(parsed, name), *args], env=env)


def _connection_args(url: URL, tool: str) -> list[str]:
    args = [f"--host={url.host or '127.0.0.1'}", f"--port={url.port or 5432}"]
    if url.username:
        args.append(f"--username={url.username}")
    args.append("--no-password")
    # pg_restore's --dbname is where to restore into; pg_dump's is what to dump.
    args.append(f"--dbname={url.database or 'postgres'}")
    return args


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} not found on PATH: install the PostgreSQL client tools "
            "(e.g. the postgresql-client package) of the server's major version"
        )
    return path


def _run(program: str, args: list[str], env: dict[str, str] | None) -> str:
    done = subprocess.run(  # noqa: S603 - a known tool, arguments as a list
        [program, *args], capture_output=True, env=env, check=False
    )
    if done.returncode != 0:
        lines = done.stderr.decode(errors="replace").strip().splitlines()
        first = lines[0] if lines else f"exit code {done.returncode}"
        raise BackupError(f"{Path(program).name}: {first}")
    return done.stdout.decode(errors="replace")
