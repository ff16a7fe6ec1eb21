"""A printable poster of an event: a PNG with the title, time, place and a QR code of the
event's deep link. Pure: texts in, bytes out (the caller formats dates in its language)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import matplotlib
import segno
from PIL import Image, ImageDraw, ImageFont

# A4 at 150 dpi: sharp enough to print, small enough to send.
WIDTH, HEIGHT = 1240, 1754
MARGIN = 100
CONTENT = WIDTH - 2 * MARGIN
QR_SIZE = 460

INK = (20, 20, 20)
MUTED = (90, 90, 90)
ACCENT = (0, 87, 183)  # the blue of the Ukrainian flag

TITLE_SIZES = (88, 76, 66, 58, 50)
TITLE_LINE_HEIGHT = 1.2
# The title's share of the page: with the lines above and below it, the QR code still fits.
TITLE_HEIGHT = 400


@dataclass(frozen=True)
class PosterText:
    library: str
    title: str
    kind: str
    when: str
    place: str
    link: str
    call_to_action: str  # e.g. "Scan the code to sign up"


@cache
def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    # DejaVu ships with matplotlib and has Cyrillic.
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name), size)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Lines no wider than ``width``, broken at spaces; a word too long for a line is broken
    inside."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        rest = word
        while font.getlength(rest) > width:
            cut = max(1, _fit(rest, font, width))
            lines.append(rest[:cut])
            rest = rest[cut:]
        line = rest
    if line:
        lines.append(line)
    return lines


def _fit(word: str, font: ImageFont.FreeTypeFont, width: float) -> int:
    """How many leading characters of ``word`` fit in ``width``."""
    n = 0
    while n < len(word) and font.getlength(word[: n + 1]) <= width:
        n += 1
    return n


def _clip(lines: list[str], limit: int, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """At most ``limit`` lines, the last one ending in an ellipsis if text was cut."""
    if len(lines) <= limit:
        return lines
    last = lines[limit - 1]
    while last and font.getlength(last + "…") > width:
        last = last[:-1]
    return [*lines[: limit - 1], last.rstrip() + "…"]


def title_layout(title: str) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size at which the title fits its space (cut with … if none does)."""
    for size in TITLE_SIZES:
        font = _font(size, bold=True)
        lines = wrap(title, font, CONTENT)
        fits = TITLE_HEIGHT // int(size * TITLE_LINE_HEIGHT)
        if len(lines) <= fits:
            return font, lines
    return font, _clip(lines, fits, font, CONTENT)


def _qr(link: str) -> Image.Image:
    code = segno.make(link, error="m", micro=False)
    modules = code.symbol_size(scale=1, border=2)[0]
    out = io.BytesIO()
    code.save(out, kind="png", scale=max(1, QR_SIZE // modules), border=2)
    out.seek(0)
    return Image.open(out).convert("RGB")


def render(text: PosterText) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    y = MARGIN

    def block(
        lines: list[str], font: ImageFont.FreeTypeFont, fill: tuple[int, int, int], gap: float
    ) -> None:
        nonlocal y
        step = int(font.size * gap)
        for line in lines:
            draw.text((MARGIN, y), line, font=font, fill=fill)
            y += step

    small = _font(36)
    block(_clip(wrap(text.library, small, CONTENT), 2, small, CONTENT), small, MUTED, 1.3)
    y += 10
    draw.rectangle((MARGIN, y, MARGIN + CONTENT, y + 6), fill=ACCENT)
    y += 50
    kind = _font(44, bold=True)
    block(_clip(wrap(text.kind.upper(), kind, CONTENT), 1, kind, CONTENT), kind, ACCENT, 1.5)
    title_font, title_lines = title_layout(text.title)
    block(title_lines, title_font, INK, TITLE_LINE_HEIGHT)
    y += 40
    details = _font(46)
    block(_clip(wrap(text.when, details, CONTENT), 2, details, CONTENT), details, INK, 1.35)
    block(_clip(wrap(text.place, details, CONTENT), 2, details, CONTENT), details, INK, 1.35)

    # The QR code and its caption sit at the bottom, whatever the text above took.
    qr = _qr(text.link)
    caption = _font(38, bold=True)
    link_font = _font(28)
    qr_top = HEIGHT - MARGIN - qr.height - 120
    image.paste(qr, ((WIDTH - qr.width) // 2, qr_top))
    for line, font, fill, top in (
        (text.call_to_action, caption, INK, qr_top + qr.height + 20),
        (text.link, link_font, MUTED, qr_top + qr.height + 75),
    ):
        shown = _clip(wrap(line, font, CONTENT), 1, font, CONTENT)[0] if line else ""
        draw.text(((WIDTH - font.getlength(shown)) / 2, top), shown, font=font, fill=fill)
    assert y <= qr_top, "the text above must leave room for the QR code"
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
