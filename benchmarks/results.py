"""Figures as rows that ``benchmarks/run_all.py`` gathers into one table.

A benchmark run with ``--json`` prints, as its last line, a JSON list of rows
``{"benchmark", "what", "value", "baseline", "ratio"}``: what was measured, the figure
with its unit, the same run's baseline figure (or ``""``) and their ratio (or ``null``).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Row:
    benchmark: str
    what: str
    value: str
    baseline: str = ""
    ratio: float | None = None


def print_json(rows: list[Row]) -> None:
    print(json.dumps([asdict(row) for row in rows], ensure_ascii=False))


def read_json(output: str) -> list[Row]:
    """The rows in a benchmark's output: its last line that is a JSON list."""
    for line in reversed(output.splitlines()):
        if not line.startswith("["):
            continue
        try:
            items = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line of the human-readable output that happens to start so
        return [Row(**item) for item in items]
    return []
