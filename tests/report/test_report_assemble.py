"""assemble_report on real Estimate and Finding objects, from small hand-made frames."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest
from report_fixtures import COTRS_URL, small_frames
from report_htmlcheck import parse

from txaudit.report import Stamp, assemble_report, build_report
from txaudit.report.model import ReportData

estimate_mod = pytest.importorskip("txaudit.estimate", reason="estimation part not present")
forensics_mod = pytest.importorskip("txaudit.forensics", reason="forensics part not present")

Assembled = tuple[ReportData, Any, dict[str, pd.DataFrame]]


@pytest.fixture(scope="module")
def assembled() -> Assembled:
    frames = small_frames()
    est = estimate_mod.estimate_frames(frames["observations"], frames["hospitals"],
                                       frames["official_figures"], draws=2000, seed=3)
    off = frames["official_figures"]
    donors = off[off["series"] == "china:deceased_donors:cotrs"]
    findings = forensics_mod.run_all(donors, replicates=300, seed=1,
                                     name="china:deceased_donors:cotrs")
    stamp = Stamp("0.1.0", est.model_hash, "a" * 64, "default", 3, 2000, "txaudit report")
    data = assemble_report(estimate=est, stamp=stamp, findings=findings, country="China",
                           **frames)
    return data, est, frames


def test_every_summary_figure_cites_rows_of_the_appendix(assembled: Assembled) -> None:
    data, _, _ = assembled
    ids = data.evidence_ids()
    assert data.summary.figures
    for fig in data.summary.figures:
        assert fig.evidence_ids, fig.key
        assert set(fig.evidence_ids) <= ids, fig.key


def test_appendix_holds_every_observation_used_with_its_provenance(assembled: Assembled) -> None:
    data, est, _ = assembled
    used = {i for cell in est.hospitals_["observation_ids"] for i in cell}
    rows = {e.evidence_id: e for e in data.evidence}
    assert used == {e.evidence_id for e in data.evidence if e.kind == "observation"}
    b = rows["obs-2"]
    assert b.subject == "Hospital B"
    assert b.source_url == "https://example.org/h/2"
    assert b.archive_url == "https://web.archive.org/web/2016/x"
    assert b.sha256 == f"{2:064x}"
    assert b.locator == "para 2; line 2"
    assert rows["obs-3"].value == "> 1.3"  # the more_than qualifier is kept
    # hospital_beds is used by no estimator here, so it is not cited as evidence
    assert "obs-6" not in rows


def test_national_rows_cite_the_official_figure_and_ratio(assembled: Assembled) -> None:
    data, est, _ = assembled
    total = next(r for r in data.national if r.organ == "all")
    assert total.official == 13000
    assert total.official_evidence_ids == ("off-1",)
    rec = est.national_[est.national_["organ"] == "all"].iloc[0]
    assert total.median == pytest.approx(rec["median"], rel=1e-12)
    assert total.intervals["95"].low == pytest.approx(rec["low95"], rel=1e-12)
    assert total.ratio_interval is not None
    assert total.ratio_interval.high == pytest.approx(rec["ratio_high95"], rel=1e-12)


def test_category_totals_add_up_to_the_national_mean(assembled: Assembled) -> None:
    """The mean of a sum is the sum of means: groups must add up to the national mean."""
    data, _, _ = assembled
    total = next(r for r in data.national if r.organ == "all")
    assert sum(g.mean for g in data.by_category) == pytest.approx(total.mean, rel=1e-9)
    assert sum(g.mean for g in data.by_province) == pytest.approx(total.mean, rel=1e-9)
    henan = next(g for g in data.by_province if g.group == "Henan")
    assert henan.n_hospitals == 2 and henan.n_imputed == 0


def test_top_hospitals_are_listed_hospitals_by_mean_with_their_evidence(
    assembled: Assembled,
) -> None:
    data, _, _ = assembled
    top = data.top_hospitals
    assert top and all(not h.hospital_id.startswith("unlisted:") for h in top)
    means = [h.mean for h in top]
    assert means == sorted(means, reverse=True)
    hb = next(h for h in top if h.hospital_id == "h-b" and h.organ == "kidney")
    assert hb.evidence_ids == ("obs-2", "obs-3") and not hb.imputed
    assert all(h.evidence_ids == () for h in top if h.imputed)


def test_coverage_counts_indicators_and_names_imputed_organs(assembled: Assembled) -> None:
    data, _, _ = assembled
    rows = {c.hospital_id: c for c in data.coverage.rows}
    assert rows["h-b"].counts == {"transplant_beds": 1, "bed_occupancy": 1}
    assert rows["h-b"].imputed_organs == ("liver",)
    assert rows["h-e"].counts == {} and rows["h-e"].imputed_organs == ("kidney", "liver")
    assert data.coverage.indicators.index("transplants_annual") < \
        data.coverage.indicators.index("bed_occupancy")  # vocabulary order


def test_assumptions_list_every_parameter_and_cite_matching_reference_figures(
    assembled: Assembled,
) -> None:
    data, est, _ = assembled
    assert len(data.assumptions) == len(est.parameters_)
    cited = [a for a in data.assumptions if a.citation_url == COTRS_URL]
    assert cited and all(a.evidence_ids == ("ref-cotrs-169",) for a in cited)
    assert "ref-cotrs-169" in data.evidence_ids()
    assert all(a.distribution for a in data.assumptions)


def test_forensic_findings_keep_their_chart_and_cite_the_series(assembled: Assembled) -> None:
    data, _, _ = assembled
    conformance = [f for f in data.findings if f.test == "formula conformance"]
    assert conformance and conformance[0].flagged
    chart = conformance[0].chart
    assert chart is not None and chart.x == tuple(float(y) for y in range(2010, 2019))
    assert chart.observed[-1] == 34 * 81
    assert set(conformance[0].evidence_ids) == {f"don-{y}" for y in range(2010, 2019)}
    assert any(f.key.endswith("formula-conformance") for f in data.findings)


def test_estimate_warnings_reach_the_report(assembled: Assembled) -> None:
    data, est, _ = assembled
    messages = [w.message for w in data.warnings if w.origin == "estimate"]
    assert len(messages) == len(est.warnings) > 0
    assert all(not math.isnan(r.mean) for r in data.national)


def test_real_report_renders_with_every_internal_link_resolving(assembled: Assembled) -> None:
    _, est, frames = assembled
    stamp = Stamp("0.1.0", est.model_hash, "a" * 64, "default", 3, 2000, "txaudit report")
    report = build_report(estimate=est, stamp=stamp, country="China", **frames)
    doc = parse(report.content.decode())
    ids = set(doc.ids())
    hrefs = [a.attrs["href"][1:] for a in doc.find("a") if a.attrs.get("href", "")
             .startswith("#")]
    assert hrefs and not [h for h in hrefs if h not in ids]
    assert {"assemble", "charts", "render"} <= set(report.timings)
