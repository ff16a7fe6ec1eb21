"""Where the benchmarks run: PostgreSQL when one answers, in a database of their own."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.engine import make_url


def postgres_server() -> str | None:
    """``HROMADA_BENCH_PG``, else the server on 127.0.0.1:5432 if one answers."""
    url = os.environ.get("HROMADA_BENCH_PG")
    if url:
        return url
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        return None
    return "postgresql://postgres@127.0.0.1:5432/postgres"


@asynccontextmanager
async def scratch_database(server: str) -> AsyncIterator[str]:
    """A new database on ``server`` (its asyncpg URL), dropped afterwards."""
    import asyncpg

    admin = make_url(server)
    name = f"hromada_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(
        host=admin.host, port=admin.port or 5432, user=admin.username, database=admin.database
    )
    await conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(drivername="postgresql+asyncpg", database=name).render_as_string(
            hide_password=False
        )
    finally:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()
