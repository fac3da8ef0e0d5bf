"""assemble_report on real Estimate and Finding objects, from small hand-made frames."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest
from report_htmlcheck import parse

from txaudit.frames import (
    HOSPITAL_COLUMNS,
    OBSERVATION_COLUMNS,
    OFFICIAL_FIGURE_COLUMNS,
    REFERENCE_FIGURE_COLUMNS,
    SOURCE_COLUMNS,
)
from txaudit.report import Stamp, assemble_report, build_report
from txaudit.report.model import ReportData

estimate_mod = pytest.importorskip("txaudit.estimate", reason="estimation part not present")
forensics_mod = pytest.importorskip("txaudit.forensics", reason="forensics part not present")

# a source URL the packaged default model cites for the number of approved hospitals
COTRS_URL = "https://confman.tts2016.org/mobis/lecture/2363"


def _obs(i: int, hid: str, ind: str, organ: str, value: float, unit: str,
         qual: str = "exact") -> dict[str, object]:
    return dict(observation_id=f"obs-{i}", scope="hospital", hospital_id=hid, region=None,
                indicator=ind, organ=organ, year=2016, since_year=None, as_of=None,
                value=value, low=None, high=None, qualifier=qual, unit=unit, grade="B",
                source_sha256=f"{i:064x}", source_locator=f"line {i}",
                cited_url=f"https://example.org/h/{i}", cited_locator="para 2",
                original_text=f"{value}", note="", status="current")


def _frames() -> dict[str, pd.DataFrame]:
    obs = pd.DataFrame([
        _obs(1, "h-a", "transplants_annual", "kidney", 500, "count/year"),
        _obs(2, "h-b", "transplant_beds", "kidney", 46, "beds"),
        _obs(3, "h-b", "bed_occupancy", "kidney", 1.3, "fraction", "more_than"),
        _obs(4, "h-c", "transplants_annual", "liver", 300, "count/year"),
        _obs(5, "h-d", "transplants_annual", "kidney", 200, "count/year"),
        _obs(6, "h-d", "hospital_beds", "all", 3000, "beds"),
    ], columns=OBSERVATION_COLUMNS)
    hosp = pd.DataFrame([
        dict(hospital_id=h, name_en=f"Hospital {h[-1].upper()}", name_zh="", province=p,
             city="", tier="3A", military=c == "military", category=c,
             approved_organs="kidney;liver", approved_year=2007, note="")
        for h, p, c in [("h-a", "Henan", "civilian"), ("h-b", "Henan", "civilian"),
                        ("h-c", "Hubei", "military"), ("h-d", "Hubei", "civilian"),
                        ("h-e", "Hubei", "civilian")]
    ], columns=HOSPITAL_COLUMNS)
    official = [dict(figure_id="off-1", series="china:transplants:nhc", publisher="NHC",
                     country="China", region=None, year=2016, organ="all",
                     indicator="transplants_annual", value=13000, unit="count/year",
                     source_sha256="f" * 64, source_locator="line 1",
                     cited_url="https://example.org/nhc", cited_locator="table 1", note="")]
    # deceased donors exactly on y = 34 t^2: the pattern the conformance test looks for
    for t in range(1, 10):
        official.append(dict(figure_id=f"don-{2009 + t}", series="china:deceased_donors:cotrs",
                             publisher="COTRS", country="China", region=None, year=2009 + t,
                             organ="all", indicator="deceased_donors", value=34 * t * t,
                             unit="count/year", source_sha256="e" * 64,
                             source_locator=f"line {t}", cited_url="https://example.org/cotrs",
                             cited_locator="fig 1", note=""))
    off = pd.DataFrame(official, columns=OFFICIAL_FIGURE_COLUMNS)
    refs = pd.DataFrame([dict(
        figure_id="ref-cotrs-169", topic="universe", entity="China",
        indicator="approved_hospitals", description="licensed transplant hospitals",
        organ="all", value=169, low=None, high=None, qualifier="exact", unit="hospitals",
        period="2015", grade="A", source_sha256="d" * 64, source_locator="line 4",
        cited_url=COTRS_URL, cited_locator="Results", original_text="169", note="")],
        columns=REFERENCE_FIGURE_COLUMNS)
    sources = pd.DataFrame([dict(
        sha256=f"{2:064x}", byte_length=10, media_type="text/html",
        url="https://example.org/h/2", archive_url="https://web.archive.org/web/2016/x",
        retrieved_at="2016-01-01T00:00:00Z", http_status=200, http_headers="{}",
        warc_record_id=None, warc_payload_digest=None, charset="utf-8", lang="zh",
        title="h-b", collector="test", tool_version="0", parent_sha256=None)],
        columns=SOURCE_COLUMNS)
    return {"observations": obs, "hospitals": hosp, "official_figures": off,
            "reference_figures": refs, "sources": sources}


Assembled = tuple[ReportData, Any, dict[str, pd.DataFrame]]


@pytest.fixture(scope="module")
def assembled() -> Assembled:
    frames = _frames()
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
