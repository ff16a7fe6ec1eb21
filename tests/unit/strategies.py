"""Shared Hypothesis settings and strategies for the property tests of user input."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Quick enough to run with the rest of the suite; no deadline, as a slow CI box would
# otherwise fail on timing, not on behaviour.
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# What people and copy-paste put into messages: digits of other scripts, superscripts,
# control characters, line ends of every platform, Cyrillic, and the separators parsers
# look for.
ODD = "0123456789²¹٣١२ .,:;-+/hmdsгодхв\r\n\t\x00\x01\x0b\x1b\x7f\x85\u2028\ufeff\uffffяЇ"


def odd_text(max_size: int = 40) -> st.SearchStrategy[str]:
    """Any text, weighted towards the characters parsers trip over."""
    return st.one_of(
        st.text(max_size=max_size),
        st.text(alphabet=ODD, max_size=max_size),
    )
