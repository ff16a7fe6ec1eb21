from __future__ import annotations

import pytest

from bot.config import default_event_kinds
from bot.domain.plural import FEW, MANY, ONE, count_phrase, plural_index
from bot.i18n import Catalogs


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, MANY),
        (1, ONE),
        (2, FEW),
        (3, FEW),
        (4, FEW),
        (5, MANY),
        (10, MANY),
        (11, MANY),
        (12, MANY),
        (13, MANY),
        (14, MANY),
        (15, MANY),
        (20, MANY),
        (21, ONE),
        (22, FEW),
        (24, FEW),
        (25, MANY),
        (93, FEW),
        (100, MANY),
        (101, ONE),
        (102, FEW),
        (111, MANY),
        (112, MANY),
        (114, MANY),
        (121, ONE),
        (1001, ONE),
        (1011, MANY),
    ],
)
def test_ukrainian_plural_categories(n: int, expected: int) -> None:
    assert plural_index(n, "uk") == expected


@pytest.mark.parametrize(
    ("n", "expected"), [(0, MANY), (1, ONE), (2, MANY), (21, MANY), (101, MANY)]
)
def test_english_plural_categories(n: int, expected: int) -> None:
    assert plural_index(n, "en") == expected


@pytest.mark.parametrize(
    ("kind", "n", "phrase"),
    [
        ("training", 7, "7 тренінгів"),
        ("training", 1, "1 тренінг"),
        ("training", 22, "22 тренінги"),
        ("seminar", 2, "2 семінари"),
        ("practical", 1, "1 практичне заняття"),
        ("practical", 5, "5 практичних занять"),
        ("campaign", 1, "1 інформаційну акцію"),
        ("campaign", 3, "3 інформаційні акції"),
        ("campaign", 11, "11 інформаційних акцій"),
        ("lecture", 21, "21 лекцію"),
        ("master_class", 12, "12 майстер-класів"),
        ("meeting", 104, "104 зустрічі"),
    ],
)
def test_default_kinds_count_in_the_accusative(kind: str, n: int, phrase: str) -> None:
    forms = {k.key: k for k in default_event_kinds()}[kind].counted["uk"]
    assert count_phrase(n, forms, "uk") == phrase


def test_the_catalog_plural_rule_agrees_with_the_domain_rule() -> None:
    """gettext's Plural-Forms header and plural_index must never disagree."""
    tr = Catalogs().get("uk")
    forms = ("{n} free seat left of {total}.", "{n} free seats left of {total}.")
    seen = {}
    for n in range(0, 250):
        text = tr.ngettext(*forms, n)
        seen.setdefault(plural_index(n, "uk"), set()).add(text.replace(str(n), "N"))
    assert all(len(texts) == 1 for texts in seen.values()), seen
    assert len(seen) == 3
