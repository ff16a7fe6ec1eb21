"""Build bot/templates/report.docx, the report document's default template.

Run from the repository: ``.venv/bin/python tools/make_report_template.py``. The output
is the same file every time (fixed dates in the document's properties and in the zip),
so the committed template can be checked against this script.

Every word on the page comes from the context (bot/exports/report_docx.py ``context``):
one template serves every language. ``{%p … %}`` tags sit in paragraphs of their own
(docxtpl removes those paragraphs when it fills the template in).
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

OUTPUT = Path(__file__).resolve().parents[1] / "bot" / "templates" / "report.docx"
FIXED = datetime(2026, 1, 1)


def build() -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    section.left_margin, section.right_margin = Cm(2.5), Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    normal.paragraph_format.space_after = Pt(6)

    def paragraph(text: str, *, bold: bool = False, centre: bool = False, style: str = "") -> None:
        p = document.add_paragraph(style=style or None)
        run = p.add_run(text)
        run.bold = bold
        if centre:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif not style:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.paragraph_format.first_line_indent = Cm(1.25)

    def tag(text: str) -> None:
        document.add_paragraph(text)

    paragraph("{{ title }}", bold=True, centre=True)
    paragraph("{{ subtitle }}", bold=True, centre=True)
    tag("{%p if programme %}")
    paragraph("{{ programme }}", bold=True, centre=True)
    tag("{%p endif %}")
    tag("{%p if branch_line %}")
    paragraph("{{ branch_line }}", bold=True, centre=True)
    tag("{%p endif %}")
    tag("{%p if purpose %}")
    paragraph("{{ purpose }}")
    tag("{%p endif %}")
    tag("{%p if intro %}")
    paragraph("{{ intro }}")
    tag("{%p endif %}")
    tag("{%p for line in lines %}")
    paragraph("{{ line }}", style="List Bullet")
    tag("{%p endfor %}")
    paragraph("{{ totals }}")
    tag("{%p if branches_heading %}")
    paragraph("{{ branches_heading }}")
    tag("{{ branch_table }}")
    tag("{%p endif %}")
    tag("{%p if planned %}")
    paragraph("{{ planned_heading }}")
    tag("{%p for line in planned %}")
    paragraph("{{ line }}", style="List Bullet")
    tag("{%p endfor %}")
    tag("{%p endif %}")
    tag("{%p if more %}")
    paragraph("{{ more }}")
    tag("{%p endif %}")
    tag("{%p if signer_position or signer_name %}")
    document.add_paragraph()
    tag("{%p for line in signer_position %}")
    document.add_paragraph("{{ line }}").paragraph_format.space_after = Pt(0)
    tag("{%p endfor %}")
    document.add_paragraph()
    document.add_paragraph("{{ signer_name }}")
    tag("{%p endif %}")

    properties = document.core_properties
    properties.author = properties.last_modified_by = "hromada-bot"
    properties.title = "Report"
    properties.created = properties.modified = FIXED
    properties.revision = 1
    raw = io.BytesIO()
    document.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with every entry's date fixed, in name order: reproducible bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=FIXED.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(name))
    return out.getvalue()


def main() -> int:
    data = build()
    if "--check" in sys.argv[1:]:
        same = OUTPUT.read_bytes() == data
        print("up to date" if same else f"{OUTPUT} differs: run {__file__}")
        return 0 if same else 1
    OUTPUT.write_bytes(data)
    print(f"wrote {OUTPUT} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
