"""The command line's entry point (``hromada-bot``, ``python -m bot``): the bot's modules
are imported with the cyclic garbage collector paused.

Importing them (python-telegram-bot, SQLAlchemy, the bot's own modules) builds about
90,000 objects and almost no garbage, yet the collector walks them again and again as
they grow: about a sixth of the time to start (``benchmarks/bench_updates.py``). They
live as long as the process, so they are then frozen (``gc.freeze``): later collections,
during a burst of updates too, skip them. The few hundred unreachable objects importing
leaves are frozen with them rather than paying a full collection (~30 ms) at every start.
``run`` and ``webhook`` import and build the application itself the same way.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Build what lives as long as the process with the collector paused; freeze it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def load_cli() -> Callable[[Sequence[str] | None], int]:
    """``bot.cli.main``, imported with the collector paused, its objects frozen after."""
    with collector_paused():
        from bot.cli import main  # noqa: PLC0415
    return main


def main() -> int:
    return load_cli()(None)
