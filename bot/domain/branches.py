"""Which branch's events a staff member may manage, and which a resident wants to hear of.

A branch is a key from the configuration (``[[branches]]``). ``None`` stands for the
library as a whole: staff of no branch (and administrators) manage every event, and an
event of no branch belongs to everyone.
"""

from __future__ import annotations

from collections.abc import Iterable


def manages(staff_branch: str | None, event_branch: str | None) -> bool:
    """Whether staff of ``staff_branch`` may see and change an event of ``event_branch``."""
    return staff_branch is None or staff_branch == event_branch


def parse_keys(stored: str) -> frozenset[str]:
    """Branch keys as a subscription stores them: ``"central,verbivka"``; empty: all."""
    return frozenset(key for key in (k.strip() for k in stored.split(",")) if key)


def join_keys(keys: Iterable[str]) -> str:
    return ",".join(sorted(set(keys)))


def wanted(subscribed: frozenset[str], event_branch: str | None) -> bool:
    """Whether a subscription limited to ``subscribed`` branches (none: all) hears of an
    event of ``event_branch``; an event of no branch is everyone's."""
    return not subscribed or event_branch is None or event_branch in subscribed
