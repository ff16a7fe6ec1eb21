"""Waiting for what a test is really waiting for, instead of sleeping a fixed time."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def until(
    condition: Callable[[], T | Awaitable[T]],
    *,
    timeout: float = 5.0,  # noqa: ASYNC109 - the test's patience, not a request timeout
    interval: float = 0.02,
    what: str | None = None,
) -> T:
    """Poll ``condition`` (plain or async) until it returns something truthy, and return that.

    Fails with ``what`` (or the condition's source) and its last value once ``timeout``
    seconds have passed.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return value  # type: ignore[return-value]
        if time.monotonic() >= deadline:
            raise AssertionError(
                f"not reached within {timeout}s: {what or _describe(condition)} (last: {value!r})"
            )
        await asyncio.sleep(interval)


def _describe(condition: Callable[..., object]) -> str:
    try:
        return inspect.getsource(condition).strip()
    except (OSError, TypeError):
        return repr(condition)
