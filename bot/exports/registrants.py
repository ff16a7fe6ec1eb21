"""An event's registrants as CSV and XLSX files for staff (personal data: staff only).

Names are typed by residents, so a cell may start with ``=`` and would run as a formula
in a spreadsheet: CSV cells get a leading apostrophe, XLSX cells are stored as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime

from bot.config import Config
from bot.domain.status import RegistrationStatus
from bot.exports.spreadsheet import csv_safe, set_text, xlsx_safe
from bot.i18n import Translator
from storage.models import Event
from storage.staff_events import Registrant


def _header(tr: Translator) -> list[str]:
    return [
        tr.gettext("Name"),
        tr.gettext("Phone"),
        tr.gettext("Category"),
        tr.gettext("Status"),
        tr.gettext("Registered at"),
        tr.gettext("Came"),
    ]


def _texts(config: Config, tr: Translator, row: Registrant) -> list[str]:
    """Every cell but the date, as text."""
    category = config.category(row.category) if row.category else None
    status = (
        tr.gettext("has a seat")
        if row.status == RegistrationStatus.CONFIRMED
        else tr.gettext("waiting list")
    )
    attended = {True: tr.gettext("yes"), False: tr.gettext("no"), None: ""}  # "": not marked
    name = row.name if row.name is not None else tr.gettext("(data deleted)")
    if row.without_telegram:  # signed up by staff: a resident who phoned
        name += f" ({tr.gettext('no Telegram')})"
    return [
        name,
        row.phone or "",
        category.label(tr.language) if category else row.category or "",
        status,
        attended[row.attended],
    ]


def _local(config: Config, moment: datetime) -> datetime:
    return moment.astimezone(config.library.timezone)


# What a Ukrainian-locale Excel splits columns on when the file is double-clicked: its
# list separator is ";" because "," is the decimal mark there.
CSV_SEPARATOR = ";"


def registrants_csv(config: Config, tr: Translator, rows: Sequence[Registrant]) -> bytes:
    """UTF-8 with a BOM, so Excel reads Cyrillic; ``;`` between cells, so a Ukrainian
    Excel opens it as columns."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_SEPARATOR)
    writer.writerow(_header(tr))
    for row in rows:
        name, phone, category, status, attended = _texts(config, tr, row)
        when = f"{_local(config, row.registered_at):%d.%m.%Y %H:%M}"
        writer.writerow([csv_safe(name), csv_safe(phone), category, status, when, attended])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def registrants_xlsx(
    config: Config, tr: Translator, event: Event, rows: Sequence[Registrant]
) -> bytes:
    # Imported here, in the worker thread that builds the file: the bot starts faster.
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = tr.gettext("Registrants")[:31]
    sheet.append(_header(tr))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        name, phone, category, status, attended = _texts(config, tr, row)
        # Excel has no time zones: the library's local time, without one.
        when = _local(config, row.registered_at).replace(tzinfo=None)
        sheet.append([name, phone, category, status, when, attended])
        line = sheet.max_row
        for column, text in ((1, name), (2, phone)):
            set_text(sheet.cell(line, column), text)
        sheet.cell(line, 5).number_format = "dd.mm.yyyy hh:mm"
    for letter, width in zip("ABCDEF", (32, 16, 30, 16, 18, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    # A title stored before control characters were refused would make the file unreadable.
    workbook.properties.title = xlsx_safe(event.title)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
