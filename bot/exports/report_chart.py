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
from bot.exports.report_text import branch_label, in_config_order, period_label, planned_heading
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
    when nothing was held or no attendance was marked. A report of all branches, when
    branches are configured, adds a panel under it: a bar per branch, stacked the same way."""
    with _drawing:
        return _draw(config, tr, report)


def _draw(config: Config, tr: Translator, report: Report) -> bytes:
    lang = tr.language
    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    title = tr.gettext("Attendance by event kind and participant category")
    subtitle = period_label(config, tr, report)
    if report.program:
        subtitle += " · " + report.program.name
    if report.branch:
        subtitle += " · " + branch_label(config, tr, report.branch)
    figure.suptitle(f"{title}\n{subtitle}", fontsize=15, fontfamily=FONT)
    if report.planned:
        # Planned events are not drawn: a bar of zero people would read as a failure.
        figure.supxlabel(planned_heading(tr, report), fontsize=11, color="#555555")

    names = {kind.key: kind.name(lang) for kind in config.event_kinds}
    kinds = [k for k in in_config_order(list(names), report.by_kind) if report.by_kind.get(k)]
    if not kinds:
        _note(figure.subplots(), tr.gettext("No events were held in this period."))
        return _png(figure)

    labels = {c.key: c.label(lang) for c in config.categories}
    present = {cat for (_, cat), n in report.by_kind_category.items() if n}
    categories = [c for c in in_config_order(list(labels), present) if c in present]
    colours = {c: COLOURS[index % len(COLOURS)] for index, c in enumerate(categories)}
    by_kind = {
        names.get(kind, kind): {c: report.by_kind_category.get((kind, c), 0) for c in categories}
        for kind in kinds
    }
    if not report.branches:
        axes: Axes = figure.subplots()
        _bars(axes, by_kind, colours, labels)
        bottom = axes
    else:
        top, bottom = figure.subplots(
            2, 1, height_ratios=[len(kinds) + 1, len(report.branches) + 1]
        )
        _bars(top, by_kind, colours, None)
        _bars(
            bottom,
            {
                branch_label(config, tr, row.key): {
                    c: row.by_category.get(c, 0) for c in categories
                }
                for row in report.branches
            },
            colours,
            labels,
        )
    bottom.set_xlabel(tr.gettext("People who came"), fontsize=12, fontfamily=FONT)
    if categories:
        bottom.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.1 if not report.branches else -0.25),
            ncols=min(len(categories), 3),
            frameon=False,
            prop={"family": FONT, "size": 11},
        )
    else:
        _note(bottom, tr.gettext("Attendance has not been marked yet."), hide_axes=False)
    return _png(figure)


def _bars(
    axes: Axes,
    rows: dict[str, dict[str, int]],
    colours: dict[str, str],
    labels: dict[str, str] | None,
) -> None:
    """A horizontal bar per row (the first on top), stacked by category, with its total;
    ``labels`` name the categories in the legend (one panel's bars are enough)."""
    names = list(rows)
    positions = list(range(len(names)))[::-1]
    left = [0] * len(names)
    for category, colour in colours.items():
        widths = [rows[name].get(category, 0) for name in names]
        label = None if labels is None else labels.get(category, category)
        axes.barh(positions, widths, left=left, color=colour, label=label, height=0.6)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    if colours:
        for position, total in zip(positions, left, strict=True):
            axes.text(total, position, f" {total}", va="center", fontsize=12, fontfamily=FONT)
    axes.set_yticks(positions, names, fontsize=12, fontfamily=FONT)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlim(0, max(*left, 1) * 1.1)  # room for the totals
    axes.set_ylim(-0.6, len(names) - 0.4)  # also when there are no bars
    axes.spines[["top", "right"]].set_visible(False)


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
