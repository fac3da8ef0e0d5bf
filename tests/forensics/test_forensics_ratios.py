"""Ratio stability against scipy's contingency chi-square, and its calibration."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pytest
from scipy import stats

from txaudit.forensics import ReferencePanel, as_series, ratio_stability
from txaudit.forensics.ratios import homogeneity

YEARS = list(range(2010, 2019))


def _pairs(years: Iterable[Any], values: Iterable[Any]) -> list[tuple[Any, Any]]:
    return list(zip(years, values, strict=True))


def test_homogeneity_statistic_equals_scipy_contingency_chi_square() -> None:
    """The binomial homogeneity X^2 of x/(x+y) is Pearson's X^2 of the 2 x k table."""
    x = np.array([510.0, 640, 700, 820, 900, 1100, 1260, 1400, 1500])
    y = np.array([200.0, 240, 290, 300, 350, 420, 500, 520, 610])
    x2, df = homogeneity(x, y)
    ref = stats.chi2_contingency(np.vstack([x, y]), correction=False)
    assert x2 == pytest.approx(ref.statistic, rel=1e-10)
    assert df == ref.dof


def test_a_ratio_fixed_exactly_is_flagged_as_unusually_stable() -> None:
    donors = np.array([1000.0, 1400, 1900, 2600, 3300, 4100, 5000, 5900, 6900])
    transplants = np.round(2.6 * donors)
    findings = ratio_stability(as_series(_pairs(YEARS, transplants), name="tx"),
                               as_series(_pairs(YEARS, donors), name="donors"))
    assert findings[0].flagged
    assert findings[0].effect_size < 0.1


def test_poisson_counts_with_a_constant_rate_ratio_are_rarely_flagged() -> None:
    rng = np.random.default_rng(5)
    mu = np.linspace(500, 3000, 9)
    flagged = 0
    for _ in range(300):
        donors = rng.poisson(mu).astype(float)
        tx = rng.poisson(2.6 * mu).astype(float)
        finding = ratio_stability(as_series(_pairs(YEARS, tx)),
                                  as_series(_pairs(YEARS, donors)))[0]
        flagged += finding.flagged
    assert flagged / 300 <= 0.08  # nominal 5%, exact chi-square null


def test_ratio_range_uses_the_panel_pair_and_names_years_outside(
    panel: ReferencePanel,
) -> None:
    donors = as_series(_pairs(YEARS, [100.0] * 9), name="donors")
    donors.indicator, donors.organ = "deceased_donors", "all"
    kidney = as_series(_pairs(YEARS, [150.0, 160, 170, 180, 190, 200, 210, 900, 230]),
                       name="kidney")
    kidney.indicator, kidney.organ = "transplants_annual", "kidney"
    findings = ratio_stability(kidney, donors, panel=panel)
    ranged = [f for f in findings if f.test == "ratio_range"][0]
    assert 2017 in ranged.details["outside"]
    assert ranged.flagged
    assert ranged.p_value is None


def test_too_few_shared_years_skip_with_a_reason() -> None:
    a = as_series([(2015, 10), (2016, 12)])
    b = as_series([(2016, 5), (2017, 6)])
    finding = ratio_stability(a, b)[0]
    assert finding.skipped and "shared years" in finding.skipped
