"""The report as a Word document, filled from a DOCX template with docxtpl.

The template (the shipped one, bot/templates/report.docx, or the library's own named by
``[documents] report_template``) holds Jinja tags; every fixed word comes from the
context, translated, so one template serves Ukrainian and English readers. A library's
own template may use the context's values in its own words instead. Imported where a
report is made (docxtpl brings python-docx, lxml and Jinja), not at start-up.
"""

from __future__ import annotations

import contextlib
import io
import re
from importlib import resources
from pathlib import Path
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined
from jinja2 import TemplateError as JinjaError

from bot.config import Config
from bot.domain.report_line import ENGLISH, UKRAINIAN, LineWords, punctuate, report_line
from bot.exports.report_text import (
    branch_heading,
    branch_label,
    branches_heading,
    in_config_order,
    period_days,
    period_label,
    planned_heading,
    registered_so_far,
    totals_sentence,
)
from bot.i18n import Translator
from bot.services.report import EventLine, Report

TEMPLATE = "report.docx"
BRANCH_TABLE = "[branch table]"
_URL = re.compile(r"^(https?://)?[\w.-]+\.[a-z]{2,}(/\S*)?$", re.IGNORECASE)


class TemplateError(Exception):
    """The report template cannot be used; the message is one line naming the problem."""


def default_template() -> bytes:
    """The shipped template, as bytes (``hromada-bot report template`` writes it out)."""
    return resources.files("bot.templates").joinpath(TEMPLATE).read_bytes()


def context(config: Config, tr: Translator, report: Report) -> dict[str, Any]:
    """What the template is filled with (also documented in README for own templates)."""
    lang, tz = tr.language, config.library.timezone
    english = lang == "en"
    quote = ENGLISH if english else UKRAINIAN
    library = config.library.name if english else config.library.genitive
    program = report.program
    period = period_label(config, tr, report)
    lines = punctuate([_line(config, lang, event) for event in report.events])
    planned = punctuate(
        [
            f"{tr.date(event.starts_at, tz)} — {_line(config, lang, event)} "
            f"({registered_so_far(tr, event)})"
            for event in report.planned
        ]
    )
    if program:
        name = f"{quote.open_quote}{program.name}{quote.close_quote}"
        frame = " ".join(program.frame.split()).rstrip(",. ")
        intro = (
            tr.gettext("During the project {name}, {frame}, the following were held:")
            if frame
            else tr.gettext("During the project {name} the following were held:")
        ).format(name=name, frame=frame)
        subtitle = tr.gettext("{library} on the project").format(library=library)
    else:
        name = ""
        intro = tr.gettext("In the period the following were held:")
        first, last = period_days(config, tr, report)
        subtitle = tr.gettext("{library} for {start} – {end}").format(
            library=library, start=first, end=last
        )
    if not report.held:  # «… проведено:» with nothing after it
        intro = ""
    link = " ".join((program.link if program else "").split())
    if not link:
        more = ""
    elif _URL.match(link):
        more = tr.gettext("More about the events held can be found at {link}").format(link=link)
    else:
        more = tr.gettext("More about the events held can be found {where}").format(where=link)
    position = (program.signer_position if program else "").splitlines()
    return {
        "title": tr.gettext("Report"),
        "subtitle": subtitle,
        "programme": name,
        "programme_name": program.name if program else "",
        "purpose": program.purpose.strip() if program else "",
        "intro": intro,
        "lines": lines,
        "totals": totals_sentence(config, tr, report)
        if report.held
        else tr.gettext("No events were held in this period."),
        "planned_heading": planned_heading(tr, report) if report.planned else "",
        "planned": planned,
        "more": more,
        "link": link,
        "signer_position": [line.strip() for line in position if line.strip()],
        "signer_name": program.signer_name.strip() if program else "",
        "library": config.library.name,
        "library_genitive": config.library.genitive,
        "period": period,
        "held": report.held,
        "trained": report.trained,
        "branch": branch_label(config, tr, report.branch) if report.branch else "",
        "branch_line": branch_heading(config, tr, report),
        "branches_heading": branches_heading(tr) if report.branches else "",
        # Where the per-branch table goes: a paragraph of its own that report_docx replaces
        # with the table.
        "branch_table": BRANCH_TABLE if report.branches else "",
    }


def _line(config: Config, lang: str, event: EventLine) -> str:
    kind = config.event_kind(event.kind)
    return report_line(
        LineWords(
            kind_accusative=kind.accusative(lang) if kind else event.kind,
            title=event.title,
            report_label=event.report_label,
            report_title=event.report_title,
            audience=event.audience,
            partner=event.partner,
            report_note=event.report_note,
        ),
        ENGLISH if lang == "en" else UKRAINIAN,
    )


def report_docx(
    config: Config, tr: Translator, report: Report, template: Path | None = None
) -> bytes:
    """The filled document; ``template`` None means the shipped one.

    Raises TemplateError (one line) for a template that is missing, not a DOCX, or has a
    mistake in its tags.
    """
    name = str(template) if template else TEMPLATE
    if template is None:
        data = default_template()
    else:
        try:
            data = template.read_bytes()
        except FileNotFoundError:
            raise TemplateError(f"report template {name}: file not found") from None
        except OSError as exc:
            raise TemplateError(f"report template {name}: {exc.strerror or exc}") from None
    document = DocxTemplate(io.BytesIO(data))
    try:
        document.init_docx()
    except Exception:  # python-docx: not a zip, or a zip that is not a Word document
        raise TemplateError(
            f"report template {name}: not a DOCX document (save it in Word or LibreOffice as .docx)"
        ) from None
    # Values are escaped for the XML; a misspelt name is an error, not an empty gap.
    environment = Environment(autoescape=True, undefined=StrictUndefined)
    try:
        document.render(context(config, tr, report), environment)
        if report.branches:
            _branch_table(document, config, tr, report)
        out = io.BytesIO()
        document.save(out)
    except JinjaError as exc:
        raise TemplateError(f"report template {name}: {_describe(exc)}") from None
    except Exception as exc:  # a library's own template can break docxtpl in other ways
        raise TemplateError(
            f"report template {name}: cannot be filled in ({type(exc).__name__}: {exc})"
        ) from None
    return out.getvalue()


def _branch_table(document: DocxTemplate, config: Config, tr: Translator, report: Report) -> None:
    """The per-branch table in place of the paragraph that reads ``{{ branch_table }}``
    (none: no table): per branch, events held and attendances by category; the last row
    the totals."""
    filled = document.docx
    assert filled is not None
    marker = next((p for p in filled.paragraphs if p.text.strip() == BRANCH_TABLE), None)
    if marker is None:  # a library's own template without the table
        return
    lang = tr.language
    labels = {c.key: c.label(lang) for c in config.categories}
    categories = [
        c
        for c in in_config_order(list(labels), set(report.trained_by_category))
        if report.trained_by_category.get(c)
    ]
    header: list[str | int] = [
        tr.gettext("Branch"),
        tr.gettext("Events held"),
        *(labels.get(c, c) for c in categories),
        tr.gettext("Attended"),
    ]
    rows: list[list[str | int]] = [
        [
            branch_label(config, tr, line.key),
            line.held,
            *(line.by_category.get(c, 0) for c in categories),
            line.trained,
        ]
        for line in report.branches
    ]
    total: list[str | int] = [
        tr.gettext("Total"),
        report.held,
        *(report.trained_by_category.get(c, 0) for c in categories),
        report.trained,
    ]
    table = filled.add_table(rows=0, cols=len(header))
    with contextlib.suppress(KeyError):  # a library's own template may not have the style
        table.style = "Table Grid"
    for values, bold in ((header, True), *((r, False) for r in rows), (total, True)):
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            if not isinstance(value, str):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = paragraph.add_run(str(value))
            run.bold = bold
            run.font.size = Pt(10)
    marker._p.addnext(table._tbl)
    marker._p.getparent().remove(marker._p)


def _describe(exc: Exception) -> str:
    """The Jinja error in one line, with the text of the paragraph it is in."""
    message = " ".join(str(exc).split())
    lineno = getattr(exc, "lineno", None)
    nearby = list(getattr(exc, "docx_context", None) or [])
    if lineno is not None and nearby:
        index = lineno - 1 - max(lineno - 4, 0)
        if 0 <= index < len(nearby) and (text := " ".join(nearby[index].split())):
            message += f", in the paragraph «{text[:80]}»"
    return "mistake in a {{ }} or {% %} tag: " + message
