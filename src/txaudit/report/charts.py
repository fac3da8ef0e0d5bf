"""Charts of a report, drawn with matplotlib and returned as SVG text or PNG bytes.

Three kinds: the official series against the estimate band for one organ,
the tornado of one-at-a-time sensitivity, and the fit of a forensic test.
Colours are the Okabe–Ito palette (distinguishable with the common forms of
colour blindness); intervals are bands; axes carry units; nothing decorative.

SVG output is byte-reproducible: the id salt is fixed, the date is left out
and text is kept as text (no embedded glyph paths, so nothing depends on
the fonts installed). Ids are prefixed per chart so several charts can sit
in one HTML page without clashing.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from functools import partial
from typing import Any, cast

import matplotlib
from matplotlib.figure import Figure as MplFigure
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

from txaudit.report.model import ChartSeries, NationalRow, ReportData, Sensitivity
from txaudit.vocabulary import ORGANS

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}

_RC: dict[str, Any] = {
    "svg.hashsalt": "txaudit-report",
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "sans-serif"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "legend.frameon": False,
    "path.simplify": False,
}


def _style() -> AbstractContextManager[None]:
    """matplotlib settings of every chart, applied while it is drawn and saved."""
    return matplotlib.rc_context(cast(Any, _RC))


@dataclass
class Chart:
    """One chart: a stable ``key`` (file name and HTML id), a caption and the figure."""

    key: str
    caption: str
    figure: MplFigure
    _svg: bytes | None = field(default=None, repr=False, compare=False)

    def svg(self) -> str:
        """The chart as an SVG element, ready to inline in HTML (ids prefixed by key)."""
        return _inline_svg(self.svg_file().decode("utf-8"), self.key, self.caption)

    def svg_file(self) -> bytes:
        """The chart as a standalone SVG file (drawn once, then kept)."""
        if self._svg is None:
            self._svg = _svg_bytes(self.figure)
        return self._svg

    def png(self, dpi: int = 150) -> bytes:
        """The chart as PNG bytes."""
        buf = io.BytesIO()
        with _style():
            self.figure.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
        return buf.getvalue()


def _svg_bytes(fig: MplFigure) -> bytes:
    buf = io.BytesIO()
    with _style():
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(#|href="#)([^")]+)')


def _inline_svg(svg: str, prefix: str, caption: str) -> str:
    """Strip the XML prolog, prefix every id and reference, and label the chart."""
    start = svg.index("<svg")
    body = svg[start:]
    body = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', body)
    body = _REF.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", body)
    label = caption.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return body.replace(
        "<svg ",
        f'<svg class="chart" role="img" aria-label="{label}" data-chart="{prefix}" ',
        1,
    ).rstrip() + "\n"


def _new_figure(width: float = 6.4, height: float = 3.4, left: float = 0.13,
                bottom: float = 0.5) -> MplFigure:
    # Fixed margins (inches at the bottom and top): a constrained layout would measure
    # every text and double the time.
    with _style():
        fig = MplFigure(figsize=(width, height))
        fig.subplots_adjust(left=left, right=0.97, bottom=bottom / height,
                            top=1 - 0.35 / height)
    return fig


def _runs(years: Sequence[int]) -> list[list[int]]:
    """Indices of ``years`` (sorted) split into runs of consecutive years."""
    runs: list[list[int]] = []
    for i, y in enumerate(years):
        if runs and y == years[runs[-1][-1]] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def national_chart(key: str, organ: str, rows: Sequence[NationalRow]) -> Chart:
    """Official series against the estimate's 50% and 95% bands, by year, for one organ.

    Bands and lines join consecutive years only: a gap in the estimated years stays a
    gap rather than a band drawn through years that were not estimated. A year on its
    own is drawn as bars of the same colours.
    """
    rows = sorted(rows, key=lambda r: r.year)
    years = [r.year for r in rows]
    labels = {"95": "Estimate, 95% interval", "50": "Estimate, 50% interval",
              "median": "Estimate, median", "official": "Official figure"}

    def label(name: str) -> str:
        # each legend entry once, however many runs draw it ("_" labels stay out of it)
        return labels.pop(name, "_nolegend_")

    with _style():
        fig = _new_figure(height=3.8, bottom=0.95)
        ax = fig.add_subplot()
        for run in _runs(years):
            ys = [years[i] for i in run]
            part = [rows[i] for i in run]
            lo95 = [r.intervals["95"].low for r in part]
            hi95 = [r.intervals["95"].high for r in part]
            lo50 = [r.intervals["50"].low for r in part]
            hi50 = [r.intervals["50"].high for r in part]
            med = [r.median for r in part]
            if len(run) > 1:
                ax.fill_between(ys, lo95, hi95, color=OKABE_ITO["sky_blue"], alpha=0.35,
                                linewidth=0, label=label("95"))
                ax.fill_between(ys, lo50, hi50, color=OKABE_ITO["blue"], alpha=0.35,
                                linewidth=0, label=label("50"))
                ax.plot(ys, med, color=OKABE_ITO["blue"], linewidth=1.5, label=label("median"))
            else:
                ax.vlines(ys, lo95, hi95, color=OKABE_ITO["sky_blue"], alpha=0.35,
                          linewidth=14, label=label("95"))
                ax.vlines(ys, lo50, hi50, color=OKABE_ITO["blue"], alpha=0.35, linewidth=14,
                          label=label("50"))
                ax.plot(ys, med, "_", color=OKABE_ITO["black"], markersize=18,
                        label=label("median"))
            off = [(r.year, r.official) for r in part if r.official is not None]
            if off:
                ax.plot([y for y, _ in off], [v for _, v in off],
                        color=OKABE_ITO["vermillion"], marker="o", markersize=4,
                        linewidth=1.2, label=label("official"))
        if len(years) == 1:
            ax.set_xlim(years[0] - 1, years[0] + 1)
        ax.set_xlabel("Year")
        ax.set_ylabel("Transplants per year")
        ax.set_ylim(bottom=0)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        ax.set_title(f"{organ.capitalize()}: estimate and official figure")
        # below the plot, so that it never hides a band
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2, fontsize=8)
    caption = f"{organ}: official figures against the estimate's 50% and 95% intervals, by year"
    return Chart(key, caption, fig)


def _wrap_key(key: str) -> str:
    """A parameter key on two lines: ``name[organ=lung,...]`` → name, then the qualifiers."""
    name, sep, rest = key.partition("[")
    return f"{name}\n[{rest}" if sep and len(key) > 28 else key


def tornado_chart(key: str, sens: Sensitivity, top: int = 12) -> Chart:
    """Tornado: the output with each parameter alone at its low and high value."""
    # parameters that do not move the output have no bar: they stay in the table only
    moving = [r for r in sens.tornado if r.swing > 0] or list(sens.tornado)
    rows = sorted(moving, key=lambda r: r.swing, reverse=True)[:top]
    rows = rows[::-1]  # largest swing on top
    labels = [_wrap_key(r.parameter) for r in rows]
    with _style():
        longest = max((len(line) for lab in labels for line in lab.split("\n")), default=10)
        # room for the parameter names: about 0.075 inch per character at 9 pt
        fig = _new_figure(height=max(2.6, 1.3 + 0.45 * len(rows)),
                          left=min(0.55, 0.04 + longest * 0.075 / 6.4), bottom=0.9)
        ax = fig.add_subplot()
        ys = list(range(len(rows)))
        base = sens.baseline
        ax.barh(ys, [r.output_low - base for r in rows], left=base, height=0.6,
                color=OKABE_ITO["sky_blue"], label="parameter at its low value")
        ax.barh(ys, [r.output_high - base for r in rows], left=base, height=0.6,
                color=OKABE_ITO["orange"], label="parameter at its high value")
        ax.axvline(base, color=OKABE_ITO["black"], linewidth=0.8)
        ax.set_yticks(ys, labels)
        ax.set_xlabel(f"{sens.target} ({sens.unit})")
        ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", length=0)
        ax.set_title("One-at-a-time sensitivity (line: baseline)")
        fig.legend(loc="lower center", ncols=2, fontsize=8)
    caption = f"Tornado chart: {sens.target} with each parameter at its low and high value"
    return Chart(key, caption, fig)


def fit_chart(key: str, title: str, series: ChartSeries) -> Chart:
    """A forensic test's chart: observed values against the fitted or expected ones.

    ``line`` charts show official values as points and the fitted curve as a line;
    ``bars`` charts show observed counts per category as bars and the expected
    counts as markers.
    """
    with _style():
        fig = _new_figure(height=3.0)
        ax = fig.add_subplot()
        if series.kind == "bars":
            pos = list(range(len(series.x)))
            ax.bar(pos, series.observed, color=OKABE_ITO["sky_blue"], label="observed")
            if series.fitted:
                ax.plot(pos, series.fitted, "D", color=OKABE_ITO["vermillion"], markersize=5,
                        label=series.fitted_label)
            ax.set_xticks(pos, [str(v) for v in series.x])
        else:
            xs = [float(v) for v in series.x]
            ax.plot(xs, series.observed, "o", color=OKABE_ITO["black"], markersize=4,
                    label="official figure")
            if series.fitted:
                ax.plot(xs, series.fitted, color=OKABE_ITO["orange"], linewidth=1.5,
                        label=series.fitted_label)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.6g}"))
        ax.set_xlabel(series.x_label)
        ax.set_ylabel(series.unit)
        ax.set_title(title)
        ax.legend(loc="best", fontsize=8)
    return Chart(key, f"{title}: observed values and what the test compares them with", fig)


def _specs(data: ReportData) -> list[tuple[str, Callable[[], Chart]]]:
    specs: list[tuple[str, Callable[[], Chart]]] = []
    organs = sorted({r.organ for r in data.national}, key=_organ_order)
    for organ in organs:
        rows = [r for r in data.national if r.organ == organ]
        key = f"national-{organ}"
        specs.append((key, partial(national_chart, key, organ, rows)))
    sens = data.sensitivity
    if sens is not None and sens.tornado:
        specs.append(("tornado", partial(tornado_chart, "tornado", sens)))
    for finding in data.findings:
        # a chart shows a comparison; observed values alone are in the national chart
        if finding.chart is not None and finding.chart.x and finding.chart.fitted:
            key = f"finding-{finding.key}"
            specs.append((key, partial(fit_chart, key, f"{finding.test}: {finding.subject}",
                                       finding.chart)))
    return specs


def chart_keys(data: ReportData) -> list[str]:
    """Keys of the charts a report has (file names with ``--figures``), without drawing them."""
    return [key for key, _ in _specs(data)]


def report_charts(data: ReportData) -> list[Chart]:
    """Every chart of a report, in the order the report shows them."""
    return [build() for _, build in _specs(data)]


def _organ_order(organ: str) -> tuple[int, str]:
    # "all" first, then the vocabulary's order
    order = ("all", *[o for o in ORGANS if o != "all"])
    return (order.index(organ) if organ in order else len(order), organ)
