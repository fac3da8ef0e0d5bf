"""Markdown, JSON, PDF and figure files: the same content in every format."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from report_fixtures import make_report

from txaudit.errors import ConfigError
from txaudit.report.build import render_report
from txaudit.report.render_html import SECTIONS
from txaudit.report.render_json import report_to_dict


def test_markdown_has_every_section_and_links_each_figure_to_its_sources() -> None:
    md = render_report(make_report(), "md").content.decode()
    for _, title in SECTIONS:
        assert f"\n## {title}\n" in md
    data = make_report()
    for fig in data.summary.figures:
        assert f"[**{fig.text}**](#src-{fig.key})" in md
        assert f'<a id="src-{fig.key}"></a>' in md
    anchors = set(re.findall(r'<a id="(ev-[^"]+)"></a>', md))
    cited = set(re.findall(r"\]\(#(ev-[^)]+)\)", md))
    assert cited and cited <= anchors
    assert "between [**48,000**](#src-all-2016-low95) and [**91,000**]" in md


def test_markdown_tables_escape_pipes_and_show_figures_when_written() -> None:
    import dataclasses

    data = make_report()
    ev = list(data.evidence)
    ev[0] = dataclasses.replace(ev[0], locator="table 2 | row 3")
    data = dataclasses.replace(data, evidence=tuple(ev))
    md = render_report(data, "md", figure_dir="fig/").content.decode()
    assert "table 2 \\| row 3" in md
    assert "![tornado](fig/tornado.svg)" in md
    assert "![national-all](fig/national-all.svg)" in md


def test_json_holds_the_same_content_with_intervals_as_lists() -> None:
    report = render_report(make_report(), "json")
    doc = json.loads(report.content)
    assert doc["format_version"] == 1
    row = doc["national"][1]
    assert row["year"] == 2016 and row["organ"] == "all"
    assert row["intervals"]["95"] == [48123, 91234]
    assert row["ratio_interval"] == [3.6, 6.9]
    assert {f["key"] for f in doc["summary"]["figures"]} == {
        f.key for f in make_report().summary.figures}
    assert len(doc["evidence"]) == 7
    assert doc["stamp"]["seed"] == 42
    assert "timings" not in doc  # reproducible: no generation time, no timings


def test_json_carries_timings_by_stage_when_not_reproducible() -> None:
    report = render_report(make_report(generated_at="2026-12-01T00:00:00Z"), "json")
    doc = json.loads(report.content)
    assert doc["timings"]["estimate"] == 1.5
    assert {"charts"} <= set(doc["timings"])
    assert {"charts", "render"} <= set(report.timings)


def test_json_of_report_data_round_trips_through_dict() -> None:
    d = report_to_dict(make_report())
    assert json.loads(json.dumps(d)) == d


def test_unknown_format_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="unknown report format 'docx'.*html, pdf, md, json"):
        render_report(make_report(), "docx")


@pytest.mark.slow
def test_pdf_is_a_pdf_with_the_summary_text_and_is_reproducible(tmp_path: Path) -> None:
    first = render_report(make_report(), "pdf").content
    second = render_report(make_report(), "pdf").content
    assert first.startswith(b"%PDF-")
    assert first == second
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; PDF text not checked")
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(first)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    text = " ".join(text.split())
    assert "most likely about 65,000" in text
    assert "Evidence appendix" in text
    assert "obs-000001" in text


def test_figures_are_written_as_svg_and_png(tmp_path: Path) -> None:
    report = render_report(make_report(), "html")
    written = report.write_figures(tmp_path / "figs")
    names = sorted(p.name for p in written)
    assert names == sorted(f"{k}.{ext}" for k in
                           ("national-all", "national-kidney", "tornado", "finding-quad-2015",
                            "finding-digits")
                           for ext in ("svg", "png"))
    for p in written:
        data = p.read_bytes()
        if p.suffix == ".png":
            assert data.startswith(b"\x89PNG\r\n\x1a\n")
        else:
            root = ET.fromstring(data)
            assert root.tag.endswith("svg")
            assert b"<dc:date>" not in data  # no date: byte-reproducible
    again = render_report(make_report(), "html").write_figures(tmp_path / "again")
    for a, b in zip(sorted(written), sorted(again), strict=True):
        assert a.read_bytes() == b.read_bytes()


def test_national_chart_joins_only_consecutive_years() -> None:
    """Years 2015-2016, 2018 and 2020-2021: two bands, one bar, never a band over 2017."""
    from txaudit.report.charts import _runs, national_chart
    from txaudit.report.model import Interval, NationalRow

    assert _runs([2015, 2016, 2018, 2020, 2021]) == [[0, 1], [2], [3, 4]]
    rows = [NationalRow(y, "all", 10.0, 10.0, {k: Interval(5, 15) for k in ("50", "80", "95")})
            for y in (2015, 2016, 2018, 2020, 2021)]
    ax = national_chart("n", "all", rows).figure.axes[0]
    bands = [c for c in ax.collections if type(c).__name__ == "FillBetweenPolyCollection"
             or type(c).__name__ == "PolyCollection"]
    xs = sorted({round(float(x)) for band in bands for path in band.get_paths()
                 for x in path.vertices[:, 0]})
    assert 2017 not in xs and 2019 not in xs
    assert len(bands) == 4  # 95% and 50% for each of the two runs
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["Estimate, 95% interval", "Estimate, 50% interval", "Estimate, median"]
