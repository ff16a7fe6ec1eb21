"""Plural forms after a number (CLDR rules), for texts built from configured words."""

from __future__ import annotations

from collections.abc import Sequence

ONE, FEW, MANY = 0, 1, 2


def plural_index(n: int, language: str) -> int:
    """Index into (one, few, many) forms for ``n`` in ``language``.

    Ukrainian: 1, 21, 101 take "one"; 2-4, 22-24 "few"; 0, 5-20, 11-14, 25 "many".
    English uses "one" and "other"; "other" is stored in both remaining slots.
    """
    n = abs(n)
    if language == "uk":
        if n % 10 == 1 and n % 100 != 11:
            return ONE
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return FEW
        return MANY
    return ONE if n == 1 else MANY


def count_phrase(n: int, forms: Sequence[str], language: str) -> str:
    """``"7 тренінгів"``: the number followed by the form it takes."""
    return f"{n} {forms[plural_index(n, language)]}"
