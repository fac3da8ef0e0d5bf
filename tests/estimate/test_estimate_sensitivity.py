"""Sensitivity: tornado against hand values, Sobol ranks the driving assumption first."""

from __future__ import annotations

import numpy as np
import pytest
from estimate_helpers import hospitals, obs, observations, official, point_model
from scipy import stats

from txaudit.errors import EstimationError
from txaudit.estimate import load_model, parse_model
from txaudit.estimate.engine import sensitivity_frames
from txaudit.estimate.synthetic import scaled_model, synthetic_country


def _model() -> object:
    raw = point_model().raw
    for p in raw["parameter"]:
        if p["name"] == "claim_inflation":
            p.update({"dist": "lognormal", "median": 1.0, "sd_log": 0.35, "group": "claims"})
            p.pop("value")
        if p["name"] == "ops_per_surgeon_year":
            p.update({"dist": "uniform", "low": 10, "high": 100, "group": "staff"})
            p.pop("value")
    return parse_model(raw)


def _run(method: str = "both") -> object:
    rows = [obs("c1", "H1", "transplants_annual", 1000)]
    return sensitivity_frames(observations(rows), hospitals(["H1"]), official(2015, "all", 500),
                              _model(), year=2015, method=method, n_base=256)  # type: ignore[arg-type]


def test_tornado_moves_one_parameter_to_its_5th_and_95th_percentiles() -> None:
    """Total = 1,000 / inflation; inflation at its 5th percentile exp(-1.645 x 0.35)."""
    result = _run("oat")
    row = result.tornado_.set_index("parameter").loc["claim_inflation"]  # type: ignore[attr-defined]
    q05 = stats.lognorm(0.35).ppf(0.05)
    assert row["value_low"] == pytest.approx(q05, rel=1e-9)
    # the estimator's own noise adds exp(s^2/2) to the expected total (s = 1e-6: negligible)
    assert row["total_at_low"] == pytest.approx(1000 / q05, rel=1e-6)
    assert row["ratio_at_low"] == pytest.approx(1000 / q05 / 500, rel=1e-6)
    assert result.baseline == pytest.approx(1000, rel=1e-6)  # type: ignore[attr-defined]
    # surgeons are not evidence here: the parameter is not even in the plan
    assert "ops_per_surgeon_year" not in set(result.tornado_["parameter"])  # type: ignore[attr-defined]


def test_sobol_puts_the_only_driver_first_with_index_near_one() -> None:
    result = _run("sobol")
    top = result.sobol_.iloc[0]  # type: ignore[attr-defined]
    assert top["group"] == "claims"
    assert top["ST"] == pytest.approx(1.0, abs=0.1)


def test_sobol_groups_parameters_and_states_it() -> None:
    model = scaled_model(load_model(), 0.3)
    c = synthetic_country(model, np.random.default_rng(4))
    result = sensitivity_frames(c.observations, c.hospitals, None, model, year=2015,
                                method="both", n_base=128)
    groups = set(result.sobol_["group"])
    assert "bed_use" in groups
    bed = result.sobol_.set_index("group").loc["bed_use", "parameters"]
    assert "bed_occupancy" in bed and "length_of_stay[organ=kidney]" in bed
    assert any("bed_use" in n for n in result.notes)
    # indices are shares of variance: first-order ones add up to about 1 or less
    assert result.sobol_["S1"].sum() < 1.3
    data = result.to_dict()
    assert {"tornado", "sobol", "baseline_total"} <= set(data)
    assert list(result.tornado_["swing"]) == sorted(result.tornado_["swing"], reverse=True)


def test_unknown_sensitivity_method_is_an_error() -> None:
    with pytest.raises(EstimationError, match="unknown sensitivity method"):
        _run("guess")
