"""From a :class:`ReportData` to the bytes of a report in one format, and its charts."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from txaudit.errors import ConfigError
from txaudit.report.charts import Chart, chart_keys, report_charts
from txaudit.report.model import ReportData
from txaudit.report.render_html import render_html
from txaudit.report.render_json import render_json
from txaudit.report.render_markdown import render_markdown
from txaudit.report.render_pdf import html_to_pdf

#: Formats a report can be written in, with their usual file suffix.
FORMATS: dict[str, str] = {"html": ".html", "pdf": ".pdf", "md": ".md", "json": ".json"}


@dataclass
class Report:
    """A rendered report: its content, the data it shows and its charts."""

    data: ReportData
    format: str
    content: bytes
    charts: list[Chart] = field(default_factory=list)
    #: seconds per stage, including the stages of rendering
    timings: dict[str, float] = field(default_factory=dict)

    def write(self, path: str | Path) -> Path:
        """Write the report to ``path`` (parents created) and return the path."""
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(self.content)
        return out

    def write_figures(self, directory: str | Path) -> list[Path]:
        """Write every chart as ``<key>.svg`` and ``<key>.png`` into ``directory``."""
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        charts = self.charts or report_charts(self.data)
        written = []
        for chart in charts:
            svg, png = folder / f"{chart.key}.svg", folder / f"{chart.key}.png"
            svg.write_bytes(chart.svg_file())
            png.write_bytes(chart.png())
            written += [svg, png]
        return written


def render_report(
    data: ReportData,
    format: str = "html",
    *,
    figure_dir: str | None = None,
) -> Report:
    """Render ``data`` as ``format`` (html, pdf, md or json).

    ``figure_dir`` is where the charts are written with ``--figures``, relative
    to the Markdown file; the Markdown then shows them as ``<dir>/<key>.svg``.
    """
    if format not in FORMATS:
        raise ConfigError(
            f"unknown report format {format!r}; choose one of {', '.join(FORMATS)}")
    timings = dict(data.timings)
    t0 = time.perf_counter()
    charts: list[Chart] = []
    if format in ("html", "pdf"):
        charts = report_charts(data)
        for chart in charts:
            chart.svg_file()  # draw now, so the time counts as the charts stage
    timings["charts"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    if format == "json":
        # the JSON carries the timings measured so far (dropped when reproducible)
        content = render_json(replace(data, timings=timings)).encode("utf-8")
    elif format == "md":
        paths = None
        if figure_dir is not None:
            paths = {k: f"{figure_dir.rstrip('/')}/{k}.svg" for k in chart_keys(data)}
        content = render_markdown(data, paths).encode("utf-8")
    else:
        html = render_html(data, charts)
        content = html.encode("utf-8") if format == "html" else html_to_pdf(html)
    timings["render"] = time.perf_counter() - t0
    return Report(data, format, content, charts, timings)
