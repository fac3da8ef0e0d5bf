"""Cross-consistency and artefact checks on hand-checked figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from txaudit.forensics import (
    as_series,
    compare_versions,
    cumulative_vs_annual,
    impossible_ratios,
    parts_vs_whole,
    repeated_across_series,
    repeated_values,
    rounding_pattern,
    run_all,
)
from txaudit.forensics.artefacts import coincidence_probability

# Official annual deceased donors (published-methodology-notes 2.3): COTRS vs CODAC 2019.
COTRS = [(2015, 2766), (2016, 4080), (2017, 5146), (2018, 6302), (2019, 5818)]
CODAC = [(2019, 5830)]


def test_two_versions_disagreeing_in_2019_are_reported_by_year() -> None:
    finding = compare_versions(as_series(COTRS, name="cotrs"), as_series(CODAC, name="codac"))
    assert finding.flagged and finding.p_value is None
    assert finding.details["differences"] == {2019: {"a": 5818.0, "b": 5830.0}}
    assert finding.statistic == pytest.approx(12 / 5830)
    assert "2019: 5,818 vs 5,830" in finding.verdict


def test_cumulative_2015_2019_equals_the_sum_of_annual_figures() -> None:
    """24,112 = 2,766 + 4,080 + 5,146 + 6,302 + 5,818 (methodology notes 2.3)."""
    finding = cumulative_vs_annual(as_series([(2019, 24112)]), as_series(COTRS))
    assert not finding.flagged
    assert finding.chart["fitted"] == [24112.0]
    off = cumulative_vs_annual(as_series([(2019, 25000)]), as_series(COTRS))
    assert off.flagged and off.details["differences"][2019]["sum"] == 24112


def test_parts_adding_to_more_than_the_whole_are_flagged_shortfalls_are_not() -> None:
    whole = as_series([(2013, 500), (2014, 600)], name="province")
    parts = [as_series([(2013, 300), (2014, 250)], name="h1"),
             as_series([(2013, 260), (2014, 200)], name="h2")]
    finding = parts_vs_whole(parts, whole)
    assert finding.flagged
    assert list(finding.details["excess_years"]) == [2013]
    assert finding.details["parts_reporting"] == {2013: 2, 2014: 2}


def test_coincidence_probability_equals_the_sum_of_squared_poisson_probabilities() -> None:
    for mu in (3.0, 40.0, 2144.0):
        k = np.arange(0, int(mu * 3 + 50))
        assert coincidence_probability(mu) == pytest.approx(
            float((stats.poisson.pmf(k, mu) ** 2).sum()), rel=1e-9
        )


def test_repeated_values_report_the_run_and_its_probability() -> None:
    values = [(2008, 1990), (2009, 2000), (2010, 2144), (2011, 2144), (2012, 2144),
              (2013, 2144), (2014, 2144), (2015, 2300)]
    finding = repeated_values(as_series(values))
    assert finding.flagged
    assert finding.details["runs"] == [{"first_year": 2010, "last_year": 2014, "value": 2144.0}]
    assert finding.p_value == pytest.approx(7 * coincidence_probability(2144) ** 4)


def test_small_repeated_counts_are_not_flagged() -> None:
    finding = repeated_values(as_series([(2010, 12), (2011, 12), (2012, 15)]))
    assert not finding.flagged


def test_same_value_in_two_series_in_one_year_is_listed() -> None:
    a = as_series([(2012, 1500), (2013, 1600)], name="kidney")
    b = as_series([(2012, 1500), (2013, 700)], name="liver")
    finding = repeated_across_series([a, b])
    assert finding.flagged
    assert finding.details["matches"] == [
        {"year": 2012, "value": 1500.0, "series": ["kidney", "liver"]}
    ]


def test_more_than_two_kidneys_per_deceased_donor_is_impossible() -> None:
    tx = as_series([(2016, 9000), (2017, 8000)], name="dd kidney")
    donors = as_series([(2016, 4080), (2017, 5146)], name="donors")
    finding = impossible_ratios(tx, donors, organ="kidney")
    assert finding.flagged and list(finding.details["over"]) == [2016]


def test_rounding_pattern_uses_the_binomial_tail() -> None:
    values = [(2000 + i, v) for i, v in enumerate([9700, 7800, 5900, 4500, 3500, 3500, 4577])]
    finding = rounding_pattern(as_series(values))
    assert finding.flagged
    p10 = stats.binom.sf(5, 7, 0.1)
    assert finding.details["bases"][10]["p"] == pytest.approx(p10)


def test_run_all_reads_provincial_rows_against_the_nation_as_parts() -> None:
    provinces = pd.DataFrame({
        "figure_id": ["p1", "p2", "p3", "p4"],
        "series": ["donors:provincial"] * 4,
        "region": ["Guangdong", "Guangdong", "Hubei", "Hubei"],
        "year": [2013, 2014, 2013, 2014],
        "value": [165, 246, 100, 120],
        "cited_url": ["https://example.org/gd"] * 2 + ["https://example.org/hb"] * 2,
    })
    nation = pd.DataFrame({"year": [2013, 2014], "value": [250, 1300],
                           "series": ["donors:national"] * 2})
    findings = {f.test: f for f in run_all(provinces, nation)}
    whole = findings["parts_vs_whole"]
    assert whole.flagged and list(whole.details["excess_years"]) == [2013]
    assert [s.series for s in whole.inputs] == [
        "donors:national", "donors:provincial Guangdong", "donors:provincial Hubei"
    ]
    assert whole.inputs[1].figure_ids == ["p1", "p2"]
