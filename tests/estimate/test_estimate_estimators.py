"""Each estimator against the hand calculation in its docstring, formula and engine."""

from __future__ import annotations

import math

import pytest
from estimate_helpers import hospitals, obs, observations, point_model

from txaudit.estimate import estimate_frames
from txaudit.estimate.base import spread_sum
from txaudit.estimate.estimators import (
    Admissions,
    BedThroughput,
    ClaimedAnnual,
    ClaimedCumulative,
    MinCapacity,
    Revenue,
    SurgeonCapacity,
    WardCensus,
    peak_day_bound,
)


def test_bed_throughput_formula_matches_docstring_example() -> None:
    """120 beds x 1.05 x 365 / 21 x 1.0 = 2,190."""
    assert BedThroughput.formula(120, 1.05, 21, 1.0) == pytest.approx(2190.0, rel=1e-12)


def test_ward_census_formula_matches_docstring_example() -> None:
    """70 x 365 / 14 x 0.5 = 912.5."""
    assert WardCensus.formula(70, 14, 0.5) == pytest.approx(912.5, rel=1e-12)


def test_admissions_formula_matches_docstring_example() -> None:
    """1,560 x 0.4 = 624."""
    assert Admissions.formula(1560, 0.4) == pytest.approx(624.0, rel=1e-12)


def test_claimed_annual_formula_matches_docstring_example() -> None:
    """2,000 / 1.25 = 1,600."""
    assert ClaimedAnnual.formula(2000, 1.25) == pytest.approx(1600.0, rel=1e-12)


def test_claimed_cumulative_formula_spreads_evenly_without_growth() -> None:
    """3,000 over 2010-2014 (five whole years), no growth: 600 a year."""
    assert ClaimedCumulative.formula(3000, 1.0, 2010, 2014, 1.0, 2012, 0.0) == pytest.approx(600)


def test_spread_sum_with_growth_and_partial_last_year() -> None:
    """2010-2012, last year half counted, 10% growth, seen from 2012:
    1.1^-2 + 1.1^-1 + 0.5 = 0.826446 + 0.909091 + 0.5 = 2.235537."""
    assert spread_sum(2010, 2012, 0.5, 2012, 0.1) == pytest.approx(2.2355372, rel=1e-7)


def test_surgeon_capacity_formula_matches_docstring_example() -> None:
    """8 x 40 = 320."""
    assert SurgeonCapacity.formula(8, 40) == 320


def test_revenue_formula_matches_docstring_example() -> None:
    """230 M / 300,000 = 766.67."""
    assert Revenue.formula(230e6, 300_000) == pytest.approx(766.6667, rel=1e-6)


def test_min_capacity_formula_matches_docstring_example() -> None:
    """430 x 0.628 = 270.04."""
    assert MinCapacity.formula(430, 0.628) == pytest.approx(270.04)


def test_peak_day_bound_is_peak_times_days() -> None:
    """12 x 365 = 4,380."""
    assert peak_day_bound(12, 365) == 4380


def _run(rows: list[dict], **kw: object) -> object:
    return estimate_frames(observations(rows), hospitals(["H1"]), None, point_model(),
                           years=2015, draws=2048, seed=1, **kw)


def _central(result: object, estimator: str) -> float:
    table = result.estimators_  # type: ignore[attr-defined]
    return float(table.loc[table["estimator"] == estimator, "central"].iloc[0])


def test_engine_bed_throughput_equals_hand_calculation() -> None:
    """Beds 120, reported occupancy 1.05, model stay 21 d, share 1: 2,190 a year."""
    result = _run([
        obs("o1", "H1", "transplant_beds", 120),
        obs("o2", "H1", "bed_occupancy", 1.05),
    ])
    assert _central(result, "bed_throughput") == pytest.approx(2190.0, rel=1e-9)
    kidney = result.national_.set_index("organ").loc["kidney"]  # type: ignore[attr-defined]
    assert kidney["median"] == pytest.approx(2190.0, rel=1e-4)
    hosp = result.hospitals_.iloc[0]  # type: ignore[attr-defined]
    assert hosp["observation_ids"] == ["o1", "o2"]
    assert "length_of_stay" in hosp["assumptions"]
    assert "bed_occupancy" not in hosp["assumptions"]  # reported, not assumed


def test_engine_uses_model_occupancy_when_not_reported() -> None:
    """120 x 0.8 x 365 / 21 = 1,668.57."""
    result = _run([obs("o1", "H1", "transplant_beds", 120)])
    assert _central(result, "bed_throughput") == pytest.approx(120 * 0.8 * 365 / 21, rel=1e-9)


def test_engine_reported_stay_replaces_the_model_stay() -> None:
    """120 x 0.8 x 365 / 10 = 3,504."""
    result = _run([obs("o1", "H1", "transplant_beds", 120),
                   obs("o2", "H1", "avg_length_of_stay", 10)])
    assert _central(result, "bed_throughput") == pytest.approx(3504.0, rel=1e-9)


def test_engine_ward_census_equals_hand_calculation() -> None:
    """70 x 365 / 21 x 1.0 = 1,216.67."""
    result = _run([obs("o1", "H1", "ward_census", 70)])
    assert _central(result, "ward_census") == pytest.approx(70 * 365 / 21, rel=1e-9)


def test_engine_admissions_equals_hand_calculation() -> None:
    """1,560 x 0.4 = 624."""
    result = _run([obs("o1", "H1", "admissions", 1560)])
    assert _central(result, "admissions") == pytest.approx(624.0, rel=1e-9)


def test_engine_claimed_annual_divides_by_inflation() -> None:
    """2,000 / 1.25 = 1,600."""
    result = _run([obs("o1", "H1", "transplants_annual", 2000)])
    assert _central(result, "claimed_annual") == pytest.approx(1600.0, rel=1e-9)


def test_engine_claim_for_all_organs_is_split_by_organ_mix() -> None:
    """2,000 / 1.25 x 0.628 = 1,004.8 kidney; x 0.372 = 595.2 liver."""
    result = _run([obs("o1", "H1", "transplants_annual", 2000, organ="all")])
    table = result.estimators_.set_index("organ")  # type: ignore[attr-defined]
    assert table.loc["kidney", "central"] == pytest.approx(1004.8, rel=1e-9)
    assert table.loc["liver", "central"] == pytest.approx(595.2, rel=1e-9)


def test_engine_cumulative_claim_is_spread_over_its_years() -> None:
    """3,000 since 2011 as of 2015-12-31, no growth, inflation 1.25: 3,000 / 1.25 / 5 = 480."""
    result = _run([obs("o1", "H1", "transplants_cumulative", 3000, year=None,
                       since_year=2011, as_of="2015-12-31")])
    assert _central(result, "claimed_cumulative") == pytest.approx(480.0, rel=1e-9)


def test_engine_surgeon_capacity_equals_hand_calculation() -> None:
    """8 x 40 = 320."""
    result = _run([obs("o1", "H1", "transplant_surgeons", 8)])
    assert _central(result, "surgeon_capacity") == pytest.approx(320.0, rel=1e-9)


def test_engine_revenue_uses_reported_price_first() -> None:
    """230 M / 600,000 = 383.33 (reported price), not / 300,000 (model)."""
    result = _run([obs("o1", "H1", "transplant_revenue", 230e6),
                   obs("o2", "H1", "transplant_price", 600_000)])
    assert _central(result, "revenue") == pytest.approx(230e6 / 600_000, rel=1e-9)


def test_engine_range_qualifier_uses_log_midpoint() -> None:
    """A claim of 100-400 reads as sqrt(100 x 400) = 200, / 1.25 = 160."""
    result = _run([obs("o1", "H1", "transplants_annual", None, low=100, high=400,
                       qualifier="range")])
    assert _central(result, "claimed_annual") == pytest.approx(160.0, rel=1e-9)
    log_sd = float(result.estimators_["log_sd"].iloc[0])  # type: ignore[attr-defined]
    assert log_sd == pytest.approx(math.log(4) / math.sqrt(12), rel=1e-3)


def test_precision_fusion_weights_estimates_by_inverse_variance() -> None:
    """Claim 1,600 (log-sd 0.1) and surgeons 320 (log-sd 0.3): weights 0.9 and 0.1, so
    the fused median is exp(0.9 ln 1600 + 0.1 ln 320) = 1,425.96."""
    model = point_model().raw
    model["estimators"]["claimed_annual"]["log_sd"] = 0.1
    model["estimators"]["surgeon_capacity"]["log_sd"] = 0.3
    from txaudit.estimate import parse_model

    result = estimate_frames(
        observations([obs("o1", "H1", "transplants_annual", 2000),
                      obs("o2", "H1", "transplant_surgeons", 8)]),
        hospitals(["H1"]), None, parse_model(model), years=2015, draws=40_000, seed=3)
    weights = result.estimators_.set_index("estimator")["weight"]
    assert weights["claimed_annual"] == pytest.approx(0.9, rel=1e-9)
    expected = math.exp(0.9 * math.log(1600) + 0.1 * math.log(320))
    median = result.national_.set_index("organ").loc["kidney", "median"]
    assert median == pytest.approx(expected, rel=0.01)


@pytest.mark.parametrize("rule,expected", [("min", 320.0), ("max", 1600.0)])
def test_bracketing_rules_take_min_or_max_of_estimators(rule: str, expected: float) -> None:
    """Claim 1,600 and surgeons 320 with negligible noise: min 320, max 1,600."""
    result = estimate_frames(
        observations([obs("o1", "H1", "transplants_annual", 2000),
                      obs("o2", "H1", "transplant_surgeons", 8)]),
        hospitals(["H1"]), None, point_model(f'\n[scenarios.s.model]\nfusion = "{rule}"\n'),
        scenario="s", years=2015, draws=1024, seed=3)
    median = result.national_.set_index("organ").loc["kidney", "median"]
    assert median == pytest.approx(expected, rel=1e-4)
