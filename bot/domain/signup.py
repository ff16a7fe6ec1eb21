"""The questions asked before someone's first registration, in order."""

from __future__ import annotations

from enum import StrEnum


class Step(StrEnum):
    NAME = "name"
    CATEGORY = "category"
    PHONE = "phone"
    CONSENT = "consent"


def next_step(
    *, has_name: bool, has_category: bool, phone_done: bool, has_consent: bool
) -> Step | None:
    """The first question still unanswered, or None when the person can register in one tap.

    The phone is optional: it is done once given or skipped.
    """
    if not has_name:
        return Step.NAME
    if not has_category:
        return Step.CATEGORY
    if not phone_done:
        return Step.PHONE
    if not has_consent:
        return Step.CONSENT
    return None
