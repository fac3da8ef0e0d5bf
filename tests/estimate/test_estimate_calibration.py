"""Calibration: the 50/80/95% intervals cover the truth within 5 points of nominal."""

from __future__ import annotations

import numpy as np
import pytest

from txaudit.estimate import load_model
from txaudit.estimate.calibration import calibrate
from txaudit.estimate.synthetic import scaled_model, synthetic_country


def test_synthetic_country_truth_sums_its_hospitals() -> None:
    model = scaled_model(load_model(), 0.3)
    c = synthetic_country(model, np.random.default_rng(0))
    assert c.truth["all"] == pytest.approx(sum(c.volumes.values()))
    assert c.truth["all"] == pytest.approx(sum(c.truth[o] for o in model.organs))
    assert set(c.observations["hospital_id"]) <= set(c.hospitals["hospital_id"])


@pytest.mark.slow
def test_intervals_cover_the_true_national_total_at_nominal_rates() -> None:
    """200 synthetic countries, fixed seed, 1,000 draws each; |coverage - nominal| <= 0.05."""
    result = calibrate(load_model(), n_countries=200, draws=1000, seed=2024, scale=0.2)
    assert result.n_countries == 200
    for level, nominal in (("50", 0.50), ("80", 0.80), ("95", 0.95)):
        assert abs(result.coverage[level] - nominal) <= 0.05, result.coverage
    assert abs(result.bias) < 0.2
