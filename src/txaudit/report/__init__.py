"""Audit reports: every number cited, every chart inline, byte-reproducible.

The report part turns results the other parts computed (store frames, an
:class:`~txaudit.estimate.Estimate`, a sensitivity result, forensic findings)
into a document: self-contained HTML, PDF, Markdown or JSON. It never opens
the store itself; the CLI gathers the inputs and calls :func:`build_report`.

>>> from txaudit.report import build_report           # doctest: +SKIP
>>> report = build_report(estimate=est, observations=obs, hospitals=hosp,
...                       official_figures=off, stamp=stamp, format="html")
>>> report.write("report.html")
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import pandas as pd

from txaudit.report.assemble import assemble_report
from txaudit.report.build import FORMATS, Report, render_report
from txaudit.report.charts import Chart, chart_keys, report_charts
from txaudit.report.model import ReportData, Stamp, WarningRow
from txaudit.report.render_html import render_html
from txaudit.report.render_json import render_json, report_to_dict
from txaudit.report.render_markdown import render_markdown


def build_report(
    *,
    estimate: Any,
    observations: pd.DataFrame,
    hospitals: pd.DataFrame,
    official_figures: pd.DataFrame,
    stamp: Stamp,
    format: str = "html",
    sources: pd.DataFrame | None = None,
    reference_figures: pd.DataFrame | None = None,
    sensitivity: Any = None,
    findings: Sequence[Any] = (),
    country: str | None = None,
    title: str | None = None,
    top_n: int = 20,
    warnings: Sequence[WarningRow] = (),
    timings: dict[str, float] | None = None,
    figure_dir: str | None = None,
) -> Report:
    """Assemble the report's content and render it in ``format`` (html, pdf, md, json).

    ``timings`` are the seconds the caller spent per stage (store, estimate,
    sensitivity, forensics); the report adds ``assemble``, ``charts`` and
    ``render``. They appear in the JSON unless the stamp has no generation
    time (``--reproducible``), and never in the HTML, PDF or Markdown.
    ``figure_dir`` (relative to the Markdown file) makes the Markdown show the
    charts written there with :meth:`Report.write_figures`.
    """
    t0 = time.perf_counter()
    data = assemble_report(
        estimate=estimate, observations=observations, hospitals=hospitals,
        official_figures=official_figures, stamp=stamp, sources=sources,
        reference_figures=reference_figures, sensitivity=sensitivity, findings=findings,
        country=country, title=title, top_n=top_n, warnings=warnings, timings=timings,
    )
    data.timings["assemble"] = time.perf_counter() - t0
    return render_report(data, format, figure_dir=figure_dir)


__all__ = [
    "FORMATS",
    "Chart",
    "Report",
    "ReportData",
    "Stamp",
    "WarningRow",
    "assemble_report",
    "build_report",
    "chart_keys",
    "render_html",
    "render_json",
    "render_markdown",
    "render_report",
    "report_charts",
    "report_to_dict",
]
