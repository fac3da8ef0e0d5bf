"""The bundled official series (GODT rows for China) run and cite their sources."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from txaudit.forensics import ReferencePanel, run_all


def _china(frame: pd.DataFrame, series: str) -> pd.DataFrame:
    return frame[(frame["series"] == series) & (frame["country"] == "China")]


@pytest.mark.parametrize(
    "series", ["godt:actual_dd", "godt:kidney_tx_total", "godt:liver_tx_total"]
)
def test_bundled_china_series_run_and_cite_their_sources(
    official_figures: pd.DataFrame, panel: ReferencePanel, series: str
) -> None:
    rows = _china(official_figures, series)
    assert not rows.empty
    findings = run_all(rows, panel=panel, replicates=200)
    assert findings
    for finding in findings:
        source = finding.inputs[0]
        assert source.series == series
        assert set(source.figure_ids) == set(rows["figure_id"])
        assert source.cited_urls and source.cited_urls[0].startswith("http")
        json.dumps(finding.to_dict())  # JSON-ready


@pytest.mark.parametrize(
    ("series", "value"), [("godt:kidney_tx_total", 5540), ("godt:liver_tx_total", 2144)]
)
def test_china_repeated_totals_for_2010_to_2014_are_surfaced(
    official_figures: pd.DataFrame, panel: ReferencePanel, series: str, value: int
) -> None:
    findings = run_all(_china(official_figures, series), panel=panel, replicates=200)
    repeated = [f for f in findings if f.test == "repeated_values"][0]
    assert repeated.flagged
    assert {"first_year": 2010, "last_year": 2014, "value": float(value)} in repeated.details[
        "runs"
    ]
    assert f"{value:,} in 2010-2014" in repeated.verdict


def test_kidney_against_liver_gives_ratio_findings_with_both_sources(
    official_figures: pd.DataFrame, panel: ReferencePanel
) -> None:
    findings = run_all(
        _china(official_figures, "godt:kidney_tx_total"),
        _china(official_figures, "godt:liver_tx_total"),
        panel=panel,
        replicates=200,
    )
    ratio = [f for f in findings if f.test == "ratio_stability"][0]
    assert [s.series for s in ratio.inputs] == ["godt:kidney_tx_total", "godt:liver_tx_total"]
    assert ratio.details["panel_pair"] == [["godt:kidney_tx_total"], ["godt:liver_tx_total"]]
    assert ratio.p_value is not None
    assert any(f.test == "ratio_range" for f in findings)


def test_every_bundled_china_series_runs_and_cites_its_sources(
    official_figures: pd.DataFrame, panel: ReferencePanel
) -> None:
    """Whatever official China series the bundle holds (GODT rows today, other
    publishers' series when added), each runs through run_all and cites its figures."""
    china = official_figures[official_figures["country"] == "China"]
    keys = ["series", "organ"] + (["region"] if china["region"].notna().any() else [])
    groups = list(china.groupby(keys, dropna=False))
    assert len(groups) >= 3
    for _, rows in groups:
        for finding in run_all(rows, panel=panel, replicates=100):
            assert finding.inputs[0].figure_ids
            assert finding.inputs[0].cited_urls
