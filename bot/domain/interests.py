"""What news of new events a resident wants: some kinds, some audiences, or everything;
and, where the library has branches, from which branches (none chosen: every branch)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


def audience_key(audience: str) -> str:
    """A short stable id for an audience text, to fit in a button's 64 bytes."""
    return hashlib.sha1(audience.casefold().encode(), usedforsecurity=False).hexdigest()[:8]


@dataclass(frozen=True)
class Interests:
    """Nothing chosen means every event; otherwise an event matching any choice."""

    kinds: frozenset[str] = frozenset()
    audiences: frozenset[str] = frozenset()
    # Branch keys (``bot.domain.branches.wanted``): a filter on top of the kinds and
    # audiences, so choosing branches never unsubscribes; empty: every branch.
    branches: frozenset[str] = frozenset()

    @property
    def everything(self) -> bool:
        return not self.kinds and not self.audiences

    def wants(self, kind: str, audience: str) -> bool:
        if self.everything:
            return True
        return kind in self.kinds or audience.casefold() in {a.casefold() for a in self.audiences}

    def toggle_kind(self, kind: str) -> Interests | None:
        """Tapping a kind: from "everything" it narrows to that kind; tapping the last
        choice off leaves nothing, which means unsubscribing (None)."""
        return _or_none(Interests(self.kinds ^ {kind}, self.audiences, self.branches))

    def toggle_audience(self, audience: str) -> Interests | None:
        chosen = {a for a in self.audiences if a.casefold() != audience.casefold()}
        if len(chosen) == len(self.audiences):
            chosen.add(audience)
        return _or_none(Interests(self.kinds, frozenset(chosen), self.branches))

    def toggle_branch(self, branch: str) -> Interests:
        """Tapping a branch adds it to the chosen ones or takes it away; with none left,
        news comes from every branch (still subscribed)."""
        return Interests(self.kinds, self.audiences, self.branches ^ {branch})

    def every_branch(self) -> Interests:
        return Interests(self.kinds, self.audiences)


def _or_none(interests: Interests) -> Interests | None:
    return None if interests.everything else interests
