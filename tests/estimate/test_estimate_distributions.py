"""Distributions against scipy.stats: moments, quantiles, truncation, bad specs."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from txaudit.errors import ConfigError
from txaudit.estimate.distributions import Distribution

CASES = [
    ({"dist": "uniform", "low": 2, "high": 6}, stats.uniform(2, 4)),
    ({"dist": "triangular", "low": 1, "mode": 2, "high": 5}, stats.triang(0.25, 1, 4)),
    # PERT(a, m, b, lambda=4) = a + (b - a) Beta(1 + 4 (m - a)/(b - a), 1 + 4 (b - m)/(b - a))
    ({"dist": "pert", "low": 0, "mode": 3, "high": 10}, stats.beta(2.2, 3.8, 0, 10)),
    ({"dist": "normal", "mean": 5, "sd": 2}, stats.norm(5, 2)),
    ({"dist": "lognormal", "median": 10, "sd_log": 0.5}, stats.lognorm(0.5, scale=10)),
    ({"dist": "beta", "alpha": 2, "beta": 5}, stats.beta(2, 5)),
]


@pytest.mark.parametrize("spec,reference", CASES)
def test_distribution_mean_and_quantiles_match_scipy(spec: dict, reference: object) -> None:
    dist = Distribution.from_spec(spec)
    q = np.array([0.05, 0.5, 0.95])
    np.testing.assert_allclose(dist.ppf(q), reference.ppf(q), rtol=1e-10)  # type: ignore[attr-defined]
    assert dist.mean() == pytest.approx(reference.mean(), rel=1e-10)  # type: ignore[attr-defined]


@pytest.mark.parametrize("spec,reference", CASES)
def test_distribution_sample_moments_agree_with_scipy(spec: dict, reference: object) -> None:
    dist = Distribution.from_spec(spec)
    draws = dist.sample(np.random.default_rng(7), 200_000)
    sd = reference.std()  # type: ignore[attr-defined]
    # 6 standard errors of the mean: fails only if the sampler is wrong
    assert abs(draws.mean() - reference.mean()) < 6 * sd / np.sqrt(draws.size)  # type: ignore[attr-defined]
    assert draws.std() == pytest.approx(sd, rel=0.02)


def test_point_distribution_is_constant() -> None:
    dist = Distribution.from_spec({"dist": "point", "value": 3.5})
    assert np.all(dist.ppf(np.array([0.0, 0.3, 1.0])) == 3.5)
    assert dist.mean() == 3.5


def test_truncated_normal_matches_scipy_truncnorm() -> None:
    dist = Distribution.from_spec({"dist": "normal", "mean": 1, "sd": 1, "truncate": [0, 3]})
    ref = stats.truncnorm(-1, 2, loc=1, scale=1)
    q = np.array([0.01, 0.5, 0.99])
    np.testing.assert_allclose(dist.ppf(q), ref.ppf(q), rtol=1e-8)
    assert dist.mean() == pytest.approx(ref.mean(), rel=1e-6)
    assert dist.support() == pytest.approx((0.0, 3.0))


def test_ppf_above_conditions_on_a_lower_bound() -> None:
    """Uniform(0, 100) above 60 is uniform(60, 100): its median is 80."""
    dist = Distribution.from_spec({"dist": "uniform", "low": 0, "high": 100})
    assert dist.ppf_above(np.array([0.5]), np.array([60.0]))[0] == pytest.approx(80.0)
    # a bound above the whole prior returns the bound
    assert dist.ppf_above(np.array([0.5]), np.array([150.0]))[0] == 150.0


@pytest.mark.parametrize("spec,fragment", [
    ({"dist": "weird"}, "unknown distribution"),
    ({"dist": "uniform", "low": 5, "high": 1}, "low must be below high"),
    ({"dist": "triangular", "low": 0, "mode": 9, "high": 5}, "mode must lie"),
    ({"dist": "normal", "mean": 0}, "needs field 'sd'"),
    ({"dist": "lognormal", "median": -1, "sd_log": 1}, "must be positive"),
    ({"dist": "uniform", "low": 0, "high": "x"}, "must be a number"),
    ({"dist": "normal", "mean": 0, "sd": 1, "truncate": [5, 1]}, "lower bound must be below"),
])
def test_bad_distribution_specs_raise_config_error(spec: dict, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        Distribution.from_spec(spec, "parameter 'x'")


@pytest.mark.parametrize("spec", [
    {"dist": "pert", "low": 0.7, "mode": 0.95, "high": 1.31},
    {"dist": "pert", "low": 7.4, "mode": 14, "high": 30},
    {"dist": "pert", "low": 0, "mode": 0, "high": 1},
    {"dist": "pert", "low": 0, "mode": 5, "high": 10, "truncate": [2, 9]},
    {"dist": "beta", "alpha": 500, "beta": 400},
    {"dist": "beta", "alpha": 0.5, "beta": 3},
])
def test_tabulated_beta_quantiles_agree_with_scipy_everywhere(spec: dict) -> None:
    """The fast beta/PERT quantile path (table + Newton) against scipy's own inversion.

    Reference: ``scipy.stats.beta(a, b, loc, scale).ppf`` at the same (truncated)
    probabilities, over random points, a fine grid including 0 and 1, and the tails.
    """
    dist = Distribution.from_spec(spec)
    q = np.concatenate([np.random.default_rng(1).random(50_000), np.linspace(0, 1, 4097),
                        [1e-12, 1e-6, 1 - 1e-6, 1 - 1e-12]])
    lo, hi = dist._cdf_bounds()
    reference = dist.scipy().ppf(lo + q * (hi - lo))
    np.testing.assert_allclose(dist.ppf(q), reference, rtol=1e-10, atol=1e-12)
