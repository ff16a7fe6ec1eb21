"""The printable poster: an A4 PNG whose QR code opens the event, and text that stays on it."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

from bot.exports import poster

LINK = "https://t.me/hromada_test_bot?start=event_123456789"
# 200 characters, the longest title an event may have.
LONG_TITLE = (
    "Навчаємось вираховувати житлову субсидію та пільги: покрокова інструкція для пенсіонерів "
    "і внутрішньо переміщених осіб з прикладами заповнення заяв на порталі «Дія» разом із УСЗН"
)


def _text(title: str = "Навчаємось вираховувати субсидію", **changes: str) -> poster.PosterText:
    values = {
        "library": "Центральна районна бібліотека ім. Лесі Українки",
        "title": title,
        "kind": "Тренінг",
        "when": "четвер, 3 грудня 2026, 14:00–15:30",
        "place": "Читальна зала, вул. Шевченка, 12",
        "link": LINK,
        "call_to_action": "Скануйте код, щоб записатися",
    } | changes
    return poster.PosterText(**values)


def _image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image.convert("RGB")


def _ink_in_margins(image: Image.Image) -> bool:
    """Anything drawn in the side margins means a line ran off the text column."""
    width, height = image.size
    for box in ((0, 0, poster.MARGIN - 2, height), (width - poster.MARGIN + 2, 0, width, height)):
        extrema = image.crop(box).convert("L").getextrema()
        if extrema[0] < 250:  # type: ignore[operator]
            return True
    return False


@pytest.mark.parametrize(
    "title", ["Навчаємось вираховувати субсидію", LONG_TITLE], ids=["short", "200 characters"]
)
def test_an_a4_png_whose_qr_code_is_the_deep_link(title: str) -> None:
    image = _image(poster.render(_text(title)))
    assert image.size == (1240, 1754)  # A4 at 150 dpi
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [LINK]
    assert not _ink_in_margins(image)


def test_a_long_ukrainian_title_wraps_inside_the_column_and_loses_no_word() -> None:
    font, lines = poster.title_layout(LONG_TITLE)
    assert len(lines) > 3
    assert all(font.getlength(line) <= poster.CONTENT for line in lines)
    assert " ".join(lines) == LONG_TITLE  # nothing cut: 200 characters fit


def test_an_endless_title_is_cut_with_an_ellipsis_and_a_giant_word_is_broken() -> None:
    font, lines = poster.title_layout("Дуже " * 100)
    assert lines[-1].endswith("…")
    assert len(lines) * int(font.size * poster.TITLE_LINE_HEIGHT) <= poster.TITLE_HEIGHT

    word = "Електронні" * 12
    wrapped = poster.wrap(word, font, poster.CONTENT)
    assert len(wrapped) > 1 and "".join(wrapped) == word
    assert all(font.getlength(line) <= poster.CONTENT for line in wrapped)

    image = _image(poster.render(_text(word, place="П" * 150)))
    assert not _ink_in_margins(image)
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [LINK]
