"""Runs every benchmark and prints one table, each figure beside the baseline measured in
the same run (a bare python-telegram-bot, one trivial transaction, ``count(*)``...).

    python benchmarks/run_all.py            # the figures README shows (about 25 minutes)
    python benchmarks/run_all.py --quick    # smaller data, for a first look (a few minutes)
    python benchmarks/run_all.py --only updates,flood
    python benchmarks/run_all.py --bot-python /tmp/plain/bin/python  # the bots as deployed

Each benchmark is its own process (so one's memory or imports do not colour another's),
run with ``--json``; one that fails is reported in the table and the rest still run.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.results import Row, read_json

# name: (script, arguments for the full run, arguments for --quick)
BENCHMARKS: dict[str, tuple[str, list[str], list[str]]] = {
    # Three rounds, medians: its ratios are the targets most moved by a busy machine.
    "updates": ("bench_updates.py", ["--rounds", "3"], ["--residents", "60"]),
    "fanout": ("bench_fanout.py", ["--messages", "5000"], ["--messages", "600"]),
    "outbox": ("bench_outbox.py", [], ["--messages", "200"]),
    "flood": ("bench_flood.py", [], []),
    "junk": ("bench_junk.py", [], ["--junk", "2000"]),
    "outage": ("bench_outage.py", [], ["--seconds", "10"]),
    "storage": ("bench_storage.py", [], []),
    "report": ("bench_report.py", [], ["--rows", "100000"]),
}
TIMEOUT = 45 * 60


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {platform.system()}"
    )


def run(name: str, quick: bool, bot_python: str | None = None) -> list[Row]:
    script, full, small = BENCHMARKS[name]
    path = HERE / script
    if not path.exists():
        return [Row(name, "not run", f"{script} is missing")]
    command = [sys.executable, str(path), "--json", *(small if quick else full)]
    if bot_python and name == "updates":  # the bots' own processes, as deployed
        command += ["--python", bot_python]
    print(f"running {name}: {' '.join(command[1:])}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return [Row(name, "not finished", f"over {TIMEOUT // 60} min")]
    seconds = time.perf_counter() - started
    rows = read_json(done.stdout)
    if done.returncode != 0 or not rows:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return [Row(name, f"failed (exit {done.returncode})", last[:120])]
    print(f"  {name}: {len(rows)} figures in {seconds:.0f} s", file=sys.stderr, flush=True)
    return rows


def table(rows: list[Row]) -> str:
    lines = [
        "| benchmark | measured | value | baseline, same run | ratio |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        ratio = "" if row.ratio is None else f"{row.ratio:.2f}×"
        lines.append(f"| {row.benchmark} | {row.what} | {row.value} | {row.baseline} | {ratio} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller data, a first look")
    parser.add_argument("--only", default="", help=f"comma-separated: {', '.join(BENCHMARKS)}")
    parser.add_argument(
        "--bot-python",
        help="the interpreter the updates benchmark runs every bot with: a virtual "
        "environment with only `pip install .` in it measures their memory as deployed",
    )
    args = parser.parse_args()
    names = [n for n in args.only.split(",") if n] or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    rows = [row for name in names for row in run(name, args.quick, args.bot_python)]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    print(f"\n{machine()}; {stamp}{'; --quick' if args.quick else ''}\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
