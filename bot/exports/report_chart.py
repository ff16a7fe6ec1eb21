"""The report as a PNG chart: attendance by event kind, split by participant category.

Drawn with matplotlib's object API on the Agg canvas: no pyplot, so no display, no global
figure registry to close, and the figure is freed with its last reference. matplotlib is
not thread-safe, so drawing is serialised (the bot draws in a worker thread).
"""

from __future__ import annotations

import io
import threading

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.config import Config
from bot.exports.report_text import in_config_order, period_label, planned_heading
from bot.i18n import Translator
from bot.services.report import Report

WIDTH, HEIGHT, DPI = 12, 7, 100  # 1200 × 700 pixels
FONT = "DejaVu Sans"  # ships with matplotlib, has Cyrillic
# Colour-blind-safe (Okabe–Ito), then greys for any further categories.
COLOURS = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#999999",
    "#666666",
    "#333333",
)
_drawing = threading.Lock()


def report_chart(config: Config, tr: Translator, report: Report) -> bytes:
    """A horizontal bar per event kind held, stacked by category; a note instead of bars
    when nothing was held or no attendance was marked."""
    with _drawing:
        return _draw(config, tr, report)


def _draw(config: Config, tr: Translator, report: Report) -> bytes:
    lang = tr.language
    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes: Axes = figure.subplots()
    title = tr.gettext("Attendance by event kind and participant category")
    subtitle = period_label(config, tr, report)
    if report.program:
        subtitle += " · " + report.program.name
    figure.suptitle(f"{title}\n{subtitle}", fontsize=15, fontfamily=FONT)
    if report.planned:
        # Planned events are not drawn: a bar of zero people would read as a failure.
        figure.supxlabel(planned_heading(tr, report), fontsize=11, color="#555555")

    names = {kind.key: kind.name(lang) for kind in config.event_kinds}
    kinds = [k for k in in_config_order(list(names), report.by_kind) if report.by_kind.get(k)]
    if not kinds:
        _note(axes, tr.gettext("No events were held in this period."))
        return _png(figure)

    labels = {c.key: c.label(lang) for c in config.categories}
    present = {cat for (_, cat), n in report.by_kind_category.items() if n}
    categories = [c for c in in_config_order(list(labels), present) if c in present]
    rows = list(range(len(kinds)))[::-1]  # the first kind on top
    left = [0] * len(kinds)
    for index, category in enumerate(categories):
        widths = [report.by_kind_category.get((kind, category), 0) for kind in kinds]
        axes.barh(
            rows,
            widths,
            left=left,
            color=COLOURS[index % len(COLOURS)],
            label=labels.get(category, category),
            height=0.6,
        )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    if categories:
        for row, total in zip(rows, left, strict=True):
            axes.text(total, row, f" {total}", va="center", fontsize=12, fontfamily=FONT)

    axes.set_yticks(rows, [names.get(k, k) for k in kinds], fontsize=12, fontfamily=FONT)
    axes.set_xlabel(tr.gettext("People who came"), fontsize=12, fontfamily=FONT)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlim(0, max(*left, 1) * 1.1)  # room for the totals
    axes.set_ylim(-0.6, len(kinds) - 0.4)  # also when there are no bars
    axes.spines[["top", "right"]].set_visible(False)
    if categories:
        axes.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.1),
            ncols=min(len(categories), 3),
            frameon=False,
            prop={"family": FONT, "size": 11},
        )
    else:
        _note(axes, tr.gettext("Attendance has not been marked yet."), hide_axes=False)
    return _png(figure)


def _note(axes: Axes, text: str, *, hide_axes: bool = True) -> None:
    if hide_axes:
        axes.set_axis_off()
    axes.text(
        0.5,
        0.5,
        text,
        transform=axes.transAxes,
        ha="center",
        va="center",
        fontsize=16,
        color="#555555",
        fontfamily=FONT,
    )


def _png(figure: Figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, facecolor="white")
    figure.clear()
    return out.getvalue()
