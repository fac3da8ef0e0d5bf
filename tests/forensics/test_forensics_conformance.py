"""Formula conformance: power, false alarms and the real-panel check (fixed seeds)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from txaudit.forensics import (
    ReferencePanel,
    as_series,
    formula_conformance,
    panel_false_alarms,
    simulate_counts,
)

YEARS = np.arange(2010, 2019)
T = np.arange(1.0, 10.0)


def _series(values: np.ndarray) -> pd.Series:
    return pd.Series(values, index=YEARS[: values.size])


def test_exact_one_parameter_quadratics_are_flagged_in_at_least_95_percent(
    panel: ReferencePanel,
) -> None:
    """200 series y = round(a t^2), t = 1..9, a log-uniform on [0.5, 100]."""
    rng = np.random.default_rng(7)
    flagged = 0
    for trial in range(200):
        a = np.exp(rng.uniform(np.log(0.5), np.log(100)))
        finding = formula_conformance(
            as_series(_series(np.round(a * T**2))), panel=panel, replicates=499, seed=trial
        )
        flagged += finding.flagged
    print(f"power on exact y = a t^2 (n = 9): {flagged / 200:.1%}")
    assert flagged / 200 >= 0.95


def test_negative_binomial_series_around_smooth_trends_are_flagged_at_most_7_percent(
    panel: ReferencePanel,
) -> None:
    """200 negative-binomial series (panel dispersion) around linear, quadratic (a t^2
    included), logistic and exponential trends, levels 50-5,000."""
    rng = np.random.default_rng(11)
    phi = panel.dispersion()
    flagged = 0
    for trial in range(200):
        level = np.exp(rng.uniform(np.log(50), np.log(5000)))
        mu = [
            level * (1 + 0.05 * T),
            level * (T / 9) ** 2 + 1,
            level / (1 + np.exp(-(T - 5))),
            level * np.exp(0.1 * T),
        ][trial % 4]
        y = simulate_counts(mu, 1, rng, phi)[0]
        finding = formula_conformance(
            as_series(_series(y)), panel=panel, replicates=499, seed=trial
        )
        flagged += finding.flagged
    print(f"false alarms on negative-binomial series: {flagged / 200:.1%}")
    assert flagged / 200 <= 0.07


def test_real_godt_series_are_flagged_at_most_10_percent(panel: ReferencePanel) -> None:
    check = panel_false_alarms(panel, replicates=499, seed=3)
    print(
        f"GODT panel false alarms (annual, alpha 0.05): {check.n_flagged}/{check.n_series} "
        f"= {check.share_flagged:.1%}; by calibration alone: "
        + ", ".join(f"{k} {v:.1%}" for k, v in check.share_by_calibration.items())
    )
    # deceased donors, kidney and liver transplants of ~70 countries with 9+ years
    assert check.n_series >= 150
    assert check.share_flagged <= 0.10


def test_simulated_negative_binomial_counts_have_the_requested_mean_and_variance() -> None:
    mu = np.array([200.0, 2000.0])
    sims = simulate_counts(mu, 200_000, np.random.default_rng(0), phi=0.01)
    np.testing.assert_allclose(sims.mean(axis=0), mu, rtol=0.01)
    np.testing.assert_allclose(sims.var(axis=0), mu + 0.01 * mu**2, rtol=0.03)
    poisson = simulate_counts(mu, 200_000, np.random.default_rng(0))
    np.testing.assert_allclose(poisson.var(axis=0), mu, rtol=0.02)


def test_the_same_seed_gives_the_same_p_values(panel: ReferencePanel) -> None:
    s = as_series(_series(np.array([34, 160, 430, 720, 1300, 2766, 4080, 5146, 6302.0])))
    a = formula_conformance(s, panel=panel, replicates=300, seed=5)
    b = formula_conformance(s, panel=panel, replicates=300, seed=5)
    assert a.details["p_values"] == b.details["p_values"]
    assert a.p_value == max(p for p in a.details["p_values"].values() if p is not None)


def test_conformance_reports_every_form_and_the_chart(panel: ReferencePanel) -> None:
    s = as_series(_series(np.round(40 * T**2)))
    finding = formula_conformance(s, panel=panel, replicates=200)
    assert set(finding.details["fits"]) == {
        "linear", "quadratic", "quadratic1", "cubic", "exponential"
    }
    assert finding.details["fits"]["quadratic1"]["coefficients"]["a"] == pytest.approx(40)
    assert finding.chart["years"] == YEARS.tolist()
    assert len(finding.chart["fitted"]) == 9
    assert "more closely than" in finding.verdict
    assert finding.to_dict()["p_value"] == finding.p_value


def test_without_a_panel_only_the_bootstrap_calibrations_run() -> None:
    s = as_series(_series(np.round(40 * T**2)))
    finding = formula_conformance(s, replicates=200)
    assert finding.details["p_values"]["panel"] is None
    assert finding.details["p_values"]["negative_binomial"] is None
    assert any("negative-binomial check" in c for c in finding.caveats)


def test_cumulative_fits_are_calibrated_with_cumulated_replicates(
    panel: ReferencePanel,
) -> None:
    """A cumulative total built from an exact a t^3-like running sum of a t^2 years."""
    annual = np.round(25 * T**2)
    finding = formula_conformance(
        as_series(_series(np.cumsum(annual))), kind="cumulative", cumulative=True, panel=panel,
        replicates=300,
    )
    assert finding.test == "formula_conformance_cumulative"
    assert finding.chart["observed"] == np.cumsum(annual).tolist()
    assert finding.details["values"] == "cumulative"
