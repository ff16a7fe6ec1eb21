"""The report document's line for one event: «тренінг «Навчаємось …» (для пенсіонерів);».

Pure wording: the caller passes the words of the reader's language (the kind's
accusative, «спільно з» / "together with", the quotation marks).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class LineWords:
    """What the line is made of, as the event stores it (empty or None: left out)."""

    kind_accusative: str
    title: str
    report_label: str | None = None
    report_title: str | None = None
    audience: str | None = None
    partner: str | None = None
    report_note: str | None = None


@dataclass(frozen=True)
class Language:
    """The fixed words of the line in one language."""

    together_with: str = "спільно з"
    open_quote: str = "«"
    close_quote: str = "»"


UKRAINIAN = Language()
ENGLISH = Language(together_with="together with", open_quote="“", close_quote="”")


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def report_line(words: LineWords, language: Language = UKRAINIAN) -> str:
    """``{label} {title}{ (audience)}{ (спільно з partner)}{, note}``, without the end mark.

    The label is the event's own (``report_label``) or its kind's accusative; the title
    is ``report_title`` as written (quotes and all), else the event's title in quotes.
    """
    label = _clean(words.report_label) or _clean(words.kind_accusative)
    title = _clean(words.report_title) or (
        f"{language.open_quote}{_clean(words.title)}{language.close_quote}"
    )
    line = f"{label} {title}" if label else title
    if audience := _clean(words.audience):
        line += f" ({audience})"
    if partner := _clean(words.partner):
        line += f" ({language.together_with} {partner})"
    if note := _clean(words.report_note):
        line += f", {note}"
    return line


def punctuate(lines: Sequence[str]) -> list[str]:
    """Every line but the last ends with «;», the last with «.» (as a list in a sentence)."""
    return [line.rstrip() + (";" if i < len(lines) - 1 else ".") for i, line in enumerate(lines)]
