"""Typed answers to the questions of /newprogram and of editing a programme: read and checked.

Pure. Every refusal is a :class:`~bot.domain.event_form.FormError` whose ``code`` the
handler turns into a polite message with an example, as for /newevent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from bot.domain.event_form import FormError
from bot.domain.text import has_control_characters, multiline, one_line


class ProgramStep(StrEnum):
    """A question of /newprogram, or the field of a programme being edited.

    The values are stored in the staff dialog and travel in callback data: keep them
    short (at most 8 letters), and never rename one."""

    NAME = "name"
    PURPOSE = "purpose"
    FRAME = "frame"
    PERIOD = "period"
    LINK = "link"
    POSITION = "position"
    SIGNER = "signer"


STEPS = tuple(ProgramStep)
# Every question but the name may be skipped now and answered later from the card.
OPTIONAL = frozenset(STEPS) - {ProgramStep.NAME}
MULTILINE = frozenset({ProgramStep.PURPOSE, ProgramStep.FRAME, ProgramStep.POSITION})
# The columns' sizes (storage/models.py: Program); paragraphs get a limit a person can read.
LIMITS = {
    ProgramStep.NAME: 200,
    ProgramStep.PURPOSE: 3000,
    ProgramStep.FRAME: 1000,
    ProgramStep.LINK: 500,
    ProgramStep.POSITION: 300,
    ProgramStep.SIGNER: 100,
}

_DATE = r"[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
_PERIOD = re.compile(rf"({_DATE})\s*(?:–|—|-|…|\.\.\.?|до|to|по)\s*({_DATE})", re.IGNORECASE)


def parse_step(value: str) -> ProgramStep | None:
    """The step a callback or a stored row names, or None for one this version does not ask."""
    try:
        return ProgramStep(value)
    except ValueError:
        return None


def next_step(step: ProgramStep) -> ProgramStep | None:
    """The question after ``step``; None after the last one."""
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def parse_text(text: str, step: ProgramStep) -> str:
    """A name, paragraph, link or signature line: not blank, within its limit, without
    control characters (paragraphs and the position keep their line breaks)."""
    value = multiline(text) if step in MULTILINE else one_line(text)
    if not value:
        raise FormError("empty")
    if has_control_characters(value):
        raise FormError("control_chars")
    limit = LIMITS[step]
    if len(value) > limit:
        raise FormError("too_long", max=limit, length=len(value))
    return value


def _day(text: str) -> date:
    if "." in text:
        day, month, year = (int(p) for p in text.split("."))
    else:
        year, month, day = (int(p) for p in text.split("-"))
    try:
        return date(year, month, day)
    except ValueError:
        raise FormError("date_invalid", value=text) from None


def parse_period(text: str) -> tuple[date, date]:
    """``01.03.2026 – 30.11.2026`` (a hyphen, «до» or ISO dates too): first and last day."""
    match = _PERIOD.fullmatch(" ".join(text.split()))
    if match is None:
        raise FormError("period_format")
    starts_on, ends_on = _day(match.group(1)), _day(match.group(2))
    if ends_on < starts_on:
        raise FormError("period_order")
    return starts_on, ends_on


Period = tuple[date, date]
Answer = str | Period | None  # None: skipped (no period)


def parse_answer(step: ProgramStep, text: str) -> Answer:
    """The typed answer to ``step``; raises FormError."""
    if step == ProgramStep.PERIOD:
        return parse_period(text)
    return parse_text(text, step)


@dataclass(frozen=True)
class ProgramAnswers:
    """The answers of /newprogram so far ("" for a skipped text, None for no period)."""

    name: str = ""
    purpose: str = ""
    frame: str = ""
    period: Period | None = None
    link: str = ""
    position: str = ""
    signer: str = ""

    def answer(self, step: ProgramStep, value: Answer) -> ProgramAnswers:
        """These answers with ``value`` for ``step`` (None or "" skips it)."""
        if step == ProgramStep.PERIOD:
            if value is not None and not isinstance(value, tuple):
                raise TypeError(f"{step}: {value!r}")
            return replace(self, period=value)
        if not isinstance(value, str | None):
            raise TypeError(f"{step}: {value!r}")
        changes: dict[str, Any] = {step.value: value or ""}
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            s.value: getattr(self, s.value) for s in STEPS if s != ProgramStep.PERIOD
        }
        if self.period is not None:
            data["period"] = [d.isoformat() for d in self.period]
        return {k: v for k, v in data.items() if v}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ProgramAnswers:
        """Raises ValueError for data this version cannot read."""
        texts: dict[str, Any] = {}
        for step in STEPS:
            if step == ProgramStep.PERIOD or step.value not in data:
                continue
            value = data[step.value]
            if not isinstance(value, str):
                raise ValueError(f"{step}: {value!r}")
            texts[step.value] = value
        period: Period | None = None
        if (raw := data.get("period")) is not None:
            if not isinstance(raw, list) or len(raw) != 2:
                raise ValueError(f"period: {raw!r}")
            period = (date.fromisoformat(raw[0]), date.fromisoformat(raw[1]))
        return cls(period=period, **texts)
