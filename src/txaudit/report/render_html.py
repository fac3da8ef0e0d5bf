"""The self-contained HTML report.

One file: styles inline, charts as inline SVG, no scripts, no fonts or images
fetched from anywhere; a Content-Security-Policy meta tag (``default-src
'none'``) makes the browser refuse any load that might creep in. Links to
sources are ordinary ``<a href>`` links that the reader may follow; nothing is
loaded when the page opens. The page prints
well (print styles in ``templates/report.css``), and WeasyPrint turns the same
HTML into the PDF.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup, escape

from txaudit.report.charts import Chart, report_charts
from txaudit.report.model import EvidenceRow, Figure, Interval, ReportData, TornadoRow
from txaudit.report.numbers import (
    fmt_estimate,
    fmt_int,
    fmt_p,
    fmt_ratio,
    fmt_share,
    fmt_stat,
    p_phrase,
)

#: Section ids and titles, in order; tests check each is present.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "Summary"),
    ("national", "National totals by year and organ"),
    ("breakdown", "By hospital category and province"),
    ("hospitals", "Top hospitals by contribution"),
    ("coverage", "Coverage of the evidence"),
    ("sensitivity", "Sensitivity"),
    ("forensics", "Forensic tests"),
    ("assumptions", "Assumptions"),
    ("evidence", "Evidence appendix"),
    ("warnings", "Warnings"),
    ("reproducibility", "Reproducibility"),
)

_EVIDENCE_KINDS = (
    ("observation", "Observations"),
    ("official", "Official figures"),
    ("reference", "Reference figures"),
)

_UNSAFE = re.compile(r"[^A-Za-z0-9_.:-]")
_URL = re.compile(r"https?://[^\s<>\"']+")


def anchor(evidence_id: str) -> str:
    """The HTML id fragment of an evidence id (letters, digits, ``_.:-`` kept)."""
    return _UNSAFE.sub("_", str(evidence_id))


def linkify(text: str) -> Markup:
    """``text`` escaped for HTML, with each http(s) URL in it made a link to itself."""
    parts: list[Markup] = []
    pos = 0
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(".,;:)")
        parts.append(escape(text[pos:m.start()]))
        parts.append(Markup('<a class="url" href="{0}">{0}</a>').format(url))
        pos = m.start() + len(url)
    parts.append(escape(text[pos:]))
    return Markup("").join(parts)


def _interval(iv: Interval | None) -> str:
    if iv is None:
        return "—"
    return f"{fmt_estimate(iv.low)}–{fmt_estimate(iv.high)}"


def _conf(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("txaudit.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        anchor=anchor,
        est=fmt_estimate,
        count=fmt_int,
        interval=_interval,
        ratio=fmt_ratio,
        pval=fmt_p,
        pphrase=p_phrase,
        stat=fmt_stat,
        share=fmt_share,
        conf=_conf,
        linkify=linkify,
    )
    return env


def _css() -> str:
    return resources.files("txaudit.report").joinpath("templates/report.css").read_text("utf-8")


def render_html(data: ReportData, charts: list[Chart] | None = None) -> str:
    """The report as one self-contained HTML document.

    ``charts`` are the report's charts (:func:`report_charts`); pass them when
    they were already drawn, e.g. to write them with ``--figures`` as well.
    """
    charts = report_charts(data) if charts is None else charts
    return _environment().get_template("report.html.j2").render(**_context(data, charts))


def _context(data: ReportData, charts: list[Chart]) -> dict[str, Any]:
    svgs = {c.key: c.svg() for c in charts}
    finding_svgs = {
        f.key: svgs[f"finding-{f.key}"] for f in data.findings if f"finding-{f.key}" in svgs
    }
    tornado_rows: list[TornadoRow] = []
    if data.sensitivity is not None:
        tornado_rows = sorted(data.sensitivity.tornado, key=lambda r: r.swing, reverse=True)
    return {
        "data": data,
        "css": _css(),
        "sections": SECTIONS,
        "figures": {f.key: f for f in data.summary.figures},
        "figure_groups": figure_groups(data),
        "national_charts": [(k, v) for k, v in svgs.items() if k.startswith("national-")],
        "tornado_svg": svgs.get("tornado", ""),
        "tornado_rows": tornado_rows,
        "finding_svgs": finding_svgs,
        "chart_captions": {c.key: c.caption for c in charts},
        "groups": [
            ("by-category", "By hospital category", "Category", data.by_category),
            ("by-province", "By province", "Province", data.by_province),
        ],
        "evidence_groups": evidence_groups(data),
        "warning_kinds": list(Counter((w.origin, w.code) for w in data.warnings).items()),
    }


def figure_groups(data: ReportData) -> list[list[Figure]]:
    """Summary figures that cite the same evidence, grouped (in order of first mention).

    The estimated totals all cite every observation used; listing those links once
    per group instead of once per number keeps the list of sources readable.
    """
    groups: dict[tuple[str, tuple[str, ...]], list[Figure]] = {}
    for f in data.summary.figures:
        groups.setdefault((f.note, f.evidence_ids), []).append(f)
    return list(groups.values())


def evidence_groups(data: ReportData) -> list[tuple[str, str, list[EvidenceRow]]]:
    """Appendix rows grouped by kind: known kinds first, any other kind after them."""
    titles = dict(_EVIDENCE_KINDS)
    kinds = [k for k, _ in _EVIDENCE_KINDS]
    kinds += sorted({e.kind for e in data.evidence} - set(kinds))
    groups = []
    for kind in kinds:
        rows = [e for e in data.evidence if e.kind == kind]
        if rows:
            groups.append((kind, titles.get(kind, kind.capitalize()), rows))
    return groups
