"""Inputs of the report tests: a ReportData built by hand, and small store frames."""

from __future__ import annotations

import pandas as pd

from txaudit.frames import (
    HOSPITAL_COLUMNS,
    OBSERVATION_COLUMNS,
    OFFICIAL_FIGURE_COLUMNS,
    REFERENCE_FIGURE_COLUMNS,
    SOURCE_COLUMNS,
)
from txaudit.report.model import (
    Assumption,
    ChartSeries,
    Coverage,
    CoverageRow,
    EvidenceRow,
    FindingRow,
    GroupRow,
    HospitalRow,
    Interval,
    NationalRow,
    ReportData,
    Sensitivity,
    SobolRow,
    Stamp,
    TornadoRow,
    WarningRow,
)
from txaudit.report.summary import build_summary


def _obs(i: int, hospital: str, indicator: str, value: str) -> EvidenceRow:
    return EvidenceRow(
        evidence_id=f"obs-{i:06d}",
        kind="observation",
        subject=hospital,
        indicator=indicator,
        organ="kidney",
        period="2015",
        value=value,
        unit="beds" if "beds" in indicator else "count/year",
        grade="C",
        source_url=f"https://example.org/hospital/{i}",
        archive_url=f"https://web.archive.org/web/2016/https://example.org/hospital/{i}",
        sha256=f"{i:064x}",
        locator="para 4",
        original_text=value,
    )


def make_report(*, generated_at: str | None = None, with_extras: bool = True) -> ReportData:
    """A small report: two years, two organs, three hospitals, one finding, one flag."""
    evidence = [
        _obs(1, "Hospital A", "transplant_beds", "46"),
        _obs(2, "Hospital A", "bed_occupancy", "1.3"),
        _obs(3, "Hospital B", "transplants_annual", "500"),
        _obs(4, "Hospital C <b>&", "transplants_cumulative", "2000"),
        EvidenceRow("off-2015", "official", "china:transplants:nhc", "transplants_annual", "all",
                    "2015", "10,057", "count/year", "A", "https://example.org/official/2015",
                    "", "a" * 64, "table 1"),
        EvidenceRow("off-2016", "official", "china:transplants:nhc", "transplants_annual", "all",
                    "2016", "13,238", "count/year", "A", "https://example.org/official/2016",
                    "", "b" * 64, "table 1"),
        EvidenceRow("ref-los-us", "reference", "United States", "avg_length_of_stay", "kidney",
                    "2019", "7.4", "days", "A", "https://example.org/los", "", "c" * 64, "p. 3"),
    ]
    national = (
        NationalRow(2015, "all", 61000.0, 60000.0,
                    {"50": Interval(52000, 68000), "80": Interval(45000, 78000),
                     "95": Interval(40000, 90000)},
                    10057.0, ("off-2015",), 6.0, Interval(4.0, 8.9), 0.999),
        NationalRow(2016, "all", 65000.0, 64873.0,
                    {"50": Interval(56000, 73000), "80": Interval(51000, 83000),
                     "95": Interval(48123, 91234)},
                    13238.0, ("off-2016",), 4.9, Interval(3.6, 6.9), 0.998),
        NationalRow(2016, "kidney", 40000.0, 39000.0,
                    {"50": Interval(33000, 45000), "80": Interval(30000, 50000),
                     "95": Interval(26000, 58000)}),
    )
    sens = Sensitivity(
        target="national total 2016", unit="transplants/year", baseline=64873.0,
        tornado=(
            TornadoRow("avg_length_of_stay", 7.0, 25.0, 120000.0, 35000.0),
            TornadoRow("bed_occupancy", 0.8, 1.3, 52000.0, 80000.0),
            TornadoRow("transplant_share", 0.5, 0.9, 55000.0, 70000.0),
            TornadoRow("growth_profile", 0.0, 1.0, 63000.0, 66000.0),
        ),
        sobol=(SobolRow("avg_length_of_stay", 0.61, 0.04, 0.70, 0.05),
               SobolRow("bed_occupancy", 0.20, 0.03, 0.25, None)),
    )
    assumptions = (
        Assumption("avg_length_of_stay", "days in hospital per transplant admission",
                   "triangular(7, 14, 25)", "central", "kidney",
                   "US kidney length of stay 2019", "https://example.org/los",
                   ("ref-los-us",)),
        Assumption("bed_occupancy", "occupancy when unreported", "uniform(0.8, 1.3)", "central",
                   "all", "China health statistics 2006", "https://example.org/occ"),
        Assumption("transplant_share", "share of ward stays that are transplants",
                   "pert(0.5, 0.7, 0.9)", "central", "all", "expert range", ""),
        Assumption("growth_profile", "growth of cumulative claims", "uniform(0, 1)", "central",
                   "all", "assumed", ""),
    )
    findings = (
        FindingRow("quad-2015", "one-parameter quadratic", "china:deceased_donors", 0.9995,
                   "R²", 0.003, True, "Fits better than real counts usually do",
                   "The series fits y = a·t² more closely than 99.7% of simulated real series.",
                   ("off-2015", "off-2016"),
                   ChartSeries((2010, 2011, 2012, 2013), (34, 136, 306, 544),
                               (34.0, 136.0, 306.0, 544.0), "y = 34·t²", "donors per year")),
        FindingRow("digits", "terminal digits", "provinces", 3.2, "χ²", 0.52, False,
                   "No departure from uniform digits", "Terminal digits look uniform.",
                   ("off-2016",),
                   ChartSeries(tuple(range(10)), (3, 2, 4, 3, 2, 3, 3, 4, 2, 4),
                               (3.0,) * 10, "expected if uniform", "count of values",
                               "terminal digit", "bars")),
    )
    obs_ids = [e.evidence_id for e in evidence if e.kind == "observation"]
    summary = build_summary(
        country="China", scenario="central", national=national, observation_ids=obs_ids,
        n_hospitals=5, n_hospitals_with_evidence=3, n_imputed=2, sensitivity=sens,
        assumptions=assumptions, findings=findings,
    )
    hospitals = (
        HospitalRow("h-a", "Hospital A", "某医院", "Henan", "civilian", 2016, "kidney", 1090.0,
                    Interval(700, 1600), 0.0168, False, ("obs-000001", "obs-000002"),
                    ("bed_throughput",)),
        HospitalRow("h-b", "Hospital B", "", "Hubei", "military", 2016, "kidney", 520.0,
                    Interval(300, 800), 0.008, False, ("obs-000003",), ("claimed_annual",)),
        HospitalRow("h-d", "Hospital D", "", "Hubei", "unapproved", 2016, "kidney", 300.0,
                    Interval(50, 900), 0.0046, True, ()),
    )
    coverage = Coverage(
        ("transplant_beds", "bed_occupancy", "transplants_annual"),
        (CoverageRow("h-a", "Hospital A", {"transplant_beds": 1, "bed_occupancy": 1}),
         CoverageRow("h-b", "Hospital B", {"transplants_annual": 1}, ("liver",)),
         CoverageRow("h-d", "Hospital D", {}, ("kidney", "liver"))),
    )
    groups = (GroupRow("civilian", 2016, "all", 30000.0, Interval(20000, 45000), 3, 1),
              GroupRow("military", 2016, "all", 35000.0, Interval(20000, 50000), 2, 1))
    provinces = (GroupRow("Henan", 2016, "all", 5000.0, Interval(3000, 8000), 2, 0),
                 GroupRow("Hubei", 2016, "all", 820.0, None, 2, 1))
    return ReportData(
        title="Transplant volume audit: China",
        country="China",
        summary=summary,
        national=national,
        by_category=groups if with_extras else (),
        by_province=provinces if with_extras else (),
        top_hospitals=hospitals,
        coverage=coverage,
        sensitivity=sens if with_extras else None,
        findings=findings if with_extras else (),
        assumptions=assumptions,
        evidence=tuple(evidence),
        warnings=(WarningRow("estimate", "Hospital D has no usable evidence; imputed.",
                             "no_evidence"),
                  WarningRow("estimate", "Hospital E has no usable evidence; imputed.",
                             "no_evidence"),
                  WarningRow("forensics (digits, provinces)", "only 10 values")),
        stamp=Stamp("0.1.0", "d" * 64, "e" * 64, "central", 42, 1000,
                    "txaudit report --seed 42 --draws 1000 --reproducible", generated_at),
        timings={"estimate": 1.5, "render": 0.2},
    )


# a source URL the packaged default model cites for the number of approved hospitals
COTRS_URL = "https://confman.tts2016.org/mobis/lecture/2363"


def _obs_row(i: int, hid: str, ind: str, organ: str, value: float, unit: str,
             qual: str = "exact") -> dict[str, object]:
    return dict(observation_id=f"obs-{i}", scope="hospital", hospital_id=hid, region=None,
                indicator=ind, organ=organ, year=2016, since_year=None, as_of=None,
                value=value, low=None, high=None, qualifier=qual, unit=unit, grade="B",
                source_sha256=f"{i:064x}", source_locator=f"line {i}",
                cited_url=f"https://example.org/h/{i}", cited_locator="para 2",
                original_text=f"{value}", note="", status="current")


def small_frames() -> dict[str, pd.DataFrame]:
    """Store frames of five hospitals, one official figure, a donor series on y = 34 t²."""
    obs = pd.DataFrame([
        _obs_row(1, "h-a", "transplants_annual", "kidney", 500, "count/year"),
        _obs_row(2, "h-b", "transplant_beds", "kidney", 46, "beds"),
        _obs_row(3, "h-b", "bed_occupancy", "kidney", 1.3, "fraction", "more_than"),
        _obs_row(4, "h-c", "transplants_annual", "liver", 300, "count/year"),
        _obs_row(5, "h-d", "transplants_annual", "kidney", 200, "count/year"),
        _obs_row(6, "h-d", "hospital_beds", "all", 3000, "beds"),
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
