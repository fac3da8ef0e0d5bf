"""The engine end to end: determinism, chunking, Dask, errors, warnings, results."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from estimate_helpers import hospitals, obs, observations, official, point_model

from txaudit.errors import ConfigError, EstimationError, InputError
from txaudit.estimate import estimate, estimate_frames, load_model
from txaudit.estimate.synthetic import scaled_model, synthetic_country


@pytest.fixture(scope="module")
def country() -> object:
    model = scaled_model(load_model(), 0.3)
    return model, synthetic_country(model, np.random.default_rng(11))


def _run(country: object, **kw: object) -> object:
    model, c = country  # type: ignore[misc]
    return estimate_frames(c.observations, c.hospitals, c.official, model, years=2015, **kw)


def test_same_seed_gives_identical_output(country: object) -> None:
    a = _run(country, draws=3000, seed=5)
    b = _run(country, draws=3000, seed=5)
    np.testing.assert_array_equal(a.draws_for(2015), b.draws_for(2015))
    pd.testing.assert_frame_equal(a.national_, b.national_)
    assert json.dumps(a.to_dict(), default=str) == json.dumps(b.to_dict(), default=str)


def test_different_seed_gives_different_draws(country: object) -> None:
    a = _run(country, draws=2000, seed=5)
    b = _run(country, draws=2000, seed=6)
    assert not np.array_equal(a.draws_for(2015), b.draws_for(2015))


def test_chunk_size_does_not_change_any_draw(country: object) -> None:
    ref = _run(country, draws=5000, seed=2, chunk_size=1024)
    for chunk in (2048, 3000, 100_000):
        other = _run(country, draws=5000, seed=2, chunk_size=chunk)
        np.testing.assert_array_equal(ref.draws_for(2015), other.draws_for(2015))
        pd.testing.assert_frame_equal(ref.hospitals_, other.hospitals_)


def test_worker_threads_do_not_change_any_draw(country: object) -> None:
    ref = _run(country, draws=5000, seed=3, chunk_size=1024, workers=1)
    for workers in (2, 3):
        other = _run(country, draws=5000, seed=3, chunk_size=2048, workers=workers)
        np.testing.assert_array_equal(ref.draws_for(2015), other.draws_for(2015))
        pd.testing.assert_frame_equal(ref.hospitals_, other.hospitals_)


def test_zero_workers_is_a_config_error(country: object) -> None:
    with pytest.raises(ConfigError, match="workers"):
        _run(country, draws=100, seed=3, workers=0)


def test_more_draws_extend_the_same_stream(country: object) -> None:
    """Blocks are seeded by index: the first 2,048 draws do not depend on the total."""
    a = _run(country, draws=2048, seed=4)
    b = _run(country, draws=4096, seed=4)
    np.testing.assert_array_equal(a.draws_for(2015), b.draws_for(2015)[:2048])


@pytest.mark.slow
def test_dask_backend_gives_bit_identical_totals(country: object) -> None:
    from dask.distributed import Client, LocalCluster

    local = _run(country, draws=4096, seed=9, chunk_size=1024)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        remote = _run(country, draws=4096, seed=9, chunk_size=2048, scheduler=client)
    np.testing.assert_array_equal(local.draws_for(2015), remote.draws_for(2015))
    pd.testing.assert_frame_equal(local.national_, remote.national_)


def test_zero_hospitals_gives_zero_totals() -> None:
    result = estimate_frames(observations([]), hospitals([]), None, point_model(),
                             years=2015, draws=1024)
    assert (result.national_[["mean", "median", "low95", "high95"]] == 0).all().all()
    assert result.hospitals_.empty


def test_ratio_to_official_and_probability_above_it() -> None:
    """One hospital claiming 2,000 (/1.25 = 1,600) against an official 1,000: ratio 1.6."""
    result = estimate_frames(
        observations([obs("o1", "H1", "transplants_annual", 2000)]), hospitals(["H1"]),
        official(2015, "kidney", 1000), point_model(), years=2015, draws=1024)
    row = result.national_.set_index("organ").loc["kidney"]
    assert row["official"] == 1000
    assert row["ratio_median"] == pytest.approx(1.6, rel=1e-4)
    assert row["p_above_official"] == 1.0
    assert row["official_series"] == "testland:transplants_annual"


def test_json_shape_matches_the_documented_contract(country: object) -> None:
    model, c = country  # type: ignore[misc]
    off = official(2015, "all", 10_000)
    off["country"] = "China"
    data = estimate_frames(c.observations, c.hospitals, off, model, years=2015,
                           draws=1024, seed=1).to_dict()
    json.dumps(data)  # serialisable as is
    assert {"national", "seed", "draws", "model_hash", "warnings"} <= set(data)
    assert data["seed"] == 1 and data["draws"] == 1024 and len(data["model_hash"]) == 64
    by_organ = {r["organ"]: r for r in data["national"]}
    rec = by_organ["all"]
    assert {"year", "organ", "mean", "median", "intervals", "official",
            "ratio_to_official"} <= set(rec)
    assert set(rec["intervals"]) == {"50", "80", "95"}
    lo95, hi95 = rec["intervals"]["95"]
    lo50, hi50 = rec["intervals"]["50"]
    assert lo95 <= lo50 <= rec["median"] <= hi50 <= hi95
    assert rec["official"]["value"] == 10_000
    assert set(rec["ratio_to_official"]["intervals"]) == {"50", "80", "95"}
    assert by_organ["kidney"]["official"] is None
    assert by_organ["kidney"]["ratio_to_official"] is None


def test_hospitals_without_evidence_are_imputed_and_flagged() -> None:
    """H4 is approved for kidney but reports nothing: imputed from H1-H3."""
    rows = [obs(f"o{i}", f"H{i}", "transplants_annual", v)
            for i, v in ((1, 100), (2, 200), (3, 400))]
    hosp = hospitals(["H1", "H2", "H3", "H4"], approved_organs="kidney")
    result = estimate_frames(observations(rows), hosp, None, point_model(), years=2015,
                             draws=4096, seed=1)
    table = result.hospitals_.set_index("hospital_id")
    assert bool(table.loc["H4", "imputed"]) and not bool(table.loc["H1", "imputed"])
    assert table.loc["H4", "observation_ids"] == []
    assert "imputed from peer group" in table.loc["H4", "assumptions"]
    # the peer mean in log space: exp(mean(ln 80, ln 160, ln 320)) = 160
    assert table.loc["H4", "median"] == pytest.approx(160, rel=0.15)
    assert table["contribution"].sum() == pytest.approx(1.0, rel=1e-9)


def test_unlisted_universe_hospitals_are_added_as_imputed_rows() -> None:
    """Universe of 10 civilian hospitals, 3 listed with evidence: 7 unlisted added."""
    extra = """
[scenarios.narrow.model]
between_hospital_log_sd = 0.01
[[universe]]
name = "approved"
categories = ["civilian"]
[[parameter]]
name = "universe_count"
category = "approved"
dist = "point"
value = 10
source = "test"
[[parameter]]
name = "organ_participation"
category = "approved"
organ = "kidney"
dist = "point"
value = 1.0
source = "test"
[[parameter]]
name = "organ_participation"
category = "approved"
organ = "liver"
dist = "point"
value = 0.0
source = "test"
"""
    rows = [obs(f"o{i}", f"H{i}", "transplants_annual", 250) for i in (1, 2, 3)]
    result = estimate_frames(observations(rows), hospitals(["H1", "H2", "H3"]), None,
                             point_model(extra), scenario="narrow", years=2015, draws=4096,
                             seed=1)
    table = result.hospitals_.set_index("hospital_id")
    assert "unlisted:approved" in table.index
    # 7 unlisted hospitals at 200 each (250 / 1.25), peers identical: about 1,400
    assert table.loc["unlisted:approved", "mean"] == pytest.approx(1400, rel=0.05)
    kidney = result.national_.set_index("organ").loc["kidney", "median"]
    assert kidney == pytest.approx(2000, rel=0.05)


def test_length_of_stay_of_zero_stops_with_hospital_indicator_and_observation() -> None:
    rows = [obs("o1", "H1", "transplant_beds", 50), obs("bad-7", "H1", "avg_length_of_stay", 0)]
    with pytest.raises(EstimationError, match=r"hospital H1, indicator avg_length_of_stay, "
                       r"observation bad-7"):
        estimate_frames(observations(rows), hospitals(["H1"]), None, point_model(), years=2015)


@pytest.mark.parametrize("value", [3.5, -0.1])
def test_occupancy_outside_ceiling_stops_estimation(value: float) -> None:
    rows = [obs("occ-1", "H1", "bed_occupancy", value)]
    with pytest.raises(EstimationError, match="observation occ-1.*occupancy"):
        estimate_frames(observations(rows), hospitals(["H1"]), None, point_model(), years=2015)


def test_occupancy_ceiling_is_configurable() -> None:
    rows = [obs("b", "H1", "transplant_beds", 10), obs("occ-1", "H1", "bed_occupancy", 3.5)]
    model = point_model("\n[scenarios.high.model]\noccupancy_ceiling = 4.0\n")
    result = estimate_frames(observations(rows), hospitals(["H1"]), None, model,
                             scenario="high", years=2015, draws=1024)
    assert result.national_.set_index("organ").loc["kidney", "median"] > 0


def test_missing_assumption_names_hospital_indicator_and_observation() -> None:
    text = point_model().raw
    text["parameter"] = [p for p in text["parameter"] if p["name"] != "ward_transplant_share"]
    from txaudit.estimate import parse_model

    with pytest.raises(EstimationError, match=r"hospital H1, indicator transplant_beds, "
                       r"observation b1: .*'ward_transplant_share'"):
        estimate_frames(observations([obs("b1", "H1", "transplant_beds", 10)]),
                        hospitals(["H1"]), None, parse_model(text), years=2015)


def test_recoverable_problems_are_recorded_as_warnings_on_the_result() -> None:
    rows = [
        obs("ok", "H1", "transplants_annual", 100),
        obs("noyear", "H1", "transplant_beds", 40, year=None),
        obs("unit", "H1", "ward_census", 40, unit="beds"),
        obs("old", "H1", "transplants_cumulative", 900, year=None, since_year=1990,
            as_of="2015-06-30"),
        obs("nocum", "H1", "transplants_cumulative", 900, year=None),
        obs("ghost", "H9", "transplants_annual", 50),
    ]
    result = estimate_frames(observations(rows), hospitals(["H1"]), None, point_model(),
                             years=2015, draws=1024)
    codes = {(w.code, w.observation_id) for w in result.warnings}
    assert ("no_period", "noyear") in codes
    assert ("unit_mismatch", "unit") in codes
    assert ("before_programme", "old") in codes
    assert ("no_period", "nocum") in codes
    assert ("unlisted_hospital", None) in codes
    assert set(result.warnings_.columns) >= {"code", "message", "hospital_id", "observation_id"}
    # the old cumulative claim is still used, spread from the programme start
    assert "claimed_cumulative" in set(result.estimators_["estimator"])


def test_superseded_and_retracted_observations_are_ignored() -> None:
    rows = [obs("a", "H1", "transplants_annual", 100),
            obs("b", "H1", "transplants_annual", 9000, status="superseded", year=2015),
            obs("c", "H1", "transplant_surgeons", 90, status="retracted")]
    result = estimate_frames(observations(rows), hospitals(["H1"]), None, point_model(),
                             years=2015, draws=1024)
    assert result.hospitals_.iloc[0]["observation_ids"] == ["a"]


def test_missing_columns_raise_input_error() -> None:
    with pytest.raises(InputError, match="lacks column"):
        estimate_frames(pd.DataFrame({"observation_id": ["x"]}), None, None, point_model(),
                        years=2015)


def test_no_year_and_no_evidence_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="no year"):
        estimate_frames(observations([]), None, None, point_model())


def test_peak_day_feats_give_upper_bounds_only() -> None:
    rows = [obs("c", "H1", "transplants_annual", 10_000),
            obs("p", "H1", "transplants_peak_day", 2)]
    result = estimate_frames(observations(rows), hospitals(["H1"]), None, point_model(),
                             years=2015, draws=1024)
    row = result.hospitals_.iloc[0]
    assert row["upper_bound"] == 730 and row["bound_observation_id"] == "p"
    assert bool(row["exceeds_bound"])
    assert "exceeds_bound" in {w.code for w in result.warnings}
    # the bound does not change the estimate: 10,000 / 1.25
    assert row["median"] == pytest.approx(8000, rel=1e-4)


def test_estimate_pulls_frames_from_a_duck_typed_store() -> None:
    class Store:
        def observations(self) -> pd.DataFrame:
            return observations([obs("a", "H1", "transplants_annual", 125)])

        def hospitals(self) -> pd.DataFrame:
            return hospitals(["H1"])

        def official_figures(self) -> pd.DataFrame:
            return official(2015, "kidney", 50)

    result = estimate(Store(), point_model(), draws=1024)
    assert result.years == [2015]
    assert result.national_.set_index("organ").loc["kidney", "ratio_median"] == \
        pytest.approx(2.0, rel=1e-4)


def test_default_model_runs_on_a_synthetic_country(country: object) -> None:
    _, c = country  # type: ignore[misc]
    result = estimate_frames(c.observations, c.hospitals, c.official, load_model(),
                             years=2015, draws=1024)
    assert (result.national_["median"] > 0).any()
    assert result.parameters_["source"].str.len().gt(0).all()


def test_snapshot_date_stands_in_for_a_missing_year() -> None:
    """Beds read on a page dated 2015 (no year) count as 2015 evidence, with one note."""
    rows = [obs("b1", "H1", "transplant_beds", 120, year=None, as_of="2015"),
            obs("o1", "H1", "bed_occupancy", 1.05, year=None, as_of="2015-06-01")]
    result = estimate_frames(observations(rows), hospitals(["H1"]), None, point_model(),
                             years=2015, draws=1024)
    assert result.estimators_["central"].iloc[0] == pytest.approx(2190.0, rel=1e-9)
    assert [w.code for w in result.warnings] == ["snapshot_year"]


def test_unreported_volume_ratio_scales_imputed_hospitals() -> None:
    """Peers at 80, 160, 320 (log mean 160), ratio 0.5, spread ~0: H4 about 80."""
    extra = """
[[parameter]]
name = "unreported_volume_ratio"
dist = "point"
value = 0.5
source = "test"
[scenarios.narrow.model]
between_hospital_log_sd = 0.01
"""
    rows = [obs(f"o{i}", f"H{i}", "transplants_annual", v)
            for i, v in ((1, 100), (2, 200), (3, 400))]
    result = estimate_frames(observations(rows),
                             hospitals(["H1", "H2", "H3", "H4"], approved_organs="kidney"),
                             None, point_model(extra), scenario="narrow", years=2015,
                             draws=2048, seed=1)
    table = result.hospitals_.set_index("hospital_id")
    assert table.loc["H4", "median"] == pytest.approx(80, rel=0.01)
    assert "unreported_volume_ratio" in table.loc["H4", "assumptions"]
    assert table.loc["H4", "assumptions"][0] == "imputed from peer group"


def test_bundled_dataset_estimates_with_the_default_model() -> None:
    """The shipped CSVs (read here, not by the library) run end to end for 2015."""
    from pathlib import Path

    base = Path(__file__).resolve().parents[2] / "src/txaudit/data/bundled"
    if not (base / "observations.csv").exists():
        pytest.skip("bundled dataset not present")
    obs_df = pd.read_csv(base / "observations.csv")
    hosp_df = pd.read_csv(base / "hospitals.csv")
    off_df = pd.read_csv(base / "official_figures.csv")
    result = estimate_frames(obs_df, hosp_df, off_df, load_model(), years=2015, draws=2048,
                             seed=1)
    total = result.national_.set_index("organ").loc["all"]
    assert total["official"] is not None and total["official"] > 0
    assert total["low95"] <= total["median"] <= total["high95"]
    assert len(result.estimators_) > 0
    assert result.hospitals_["observation_ids"].map(len).sum() > 0


def test_the_estimate_package_is_callable_like_the_function() -> None:
    import txaudit
    import txaudit.estimate as package

    class Store:
        def observations(self) -> pd.DataFrame:
            return observations([obs("a", "H1", "transplants_annual", 125)])

        def hospitals(self) -> pd.DataFrame:
            return hospitals(["H1"])

        def official_figures(self) -> pd.DataFrame:
            return official(2015, "kidney", 50)

    result = txaudit.estimate(Store(), point_model(), draws=1024)  # type: ignore[operator]
    assert package is txaudit.estimate
    assert result.national_.set_index("organ").loc["kidney", "median"] == \
        pytest.approx(100, rel=1e-4)


def test_box_muller_normals_follow_the_standard_normal() -> None:
    """The float32 Box-Muller sampler against N(0, 1) (odd and even sizes).

    Kolmogorov-Smirnov distance below 1.63 / sqrt(n) (the 1% critical value),
    mean and sd within 5 standard errors, tail share beyond 3 sd within 5
    binomial standard errors of 2 (1 - Phi(3)) = 0.0026998.
    """
    from scipy import stats

    from txaudit.estimate.montecarlo import standard_normal32

    for size in (400_000, 400_001):
        z = standard_normal32(np.random.default_rng(8), np.empty(size, dtype=np.float32))
        z64 = z.astype(np.float64)
        assert stats.kstest(z64, "norm").statistic < 1.63 / np.sqrt(size)
        assert abs(z64.mean()) < 5 / np.sqrt(size)
        assert abs(z64.std() - 1) < 5 / np.sqrt(2 * size)
        p = 2 * stats.norm.sf(3)
        assert abs((np.abs(z64) > 3).mean() - p) < 5 * np.sqrt(p * (1 - p) / size)
        # pairs (cos, sin) of one radius are uncorrelated
        half = (size + 1) // 2
        rest = size - half
        assert abs(np.corrcoef(z64[:rest], z64[half:])[0, 1]) < 5 / np.sqrt(rest)


def test_huge_log_volumes_fall_back_to_float64_without_overflow() -> None:
    """A claim of 1e40 a year is absurd but must not turn into inf through float32."""
    result = estimate_frames(
        observations([obs("o1", "H1", "transplants_annual", 1e40)]), hospitals(["H1"]),
        None, point_model(), years=2015, draws=1024, seed=1)
    row = result.national_.set_index("organ").loc["kidney"]
    # point model: 1e40 / claim_inflation 1.25, estimator noise negligible
    assert row["median"] == pytest.approx(8e39, rel=1e-4)


def test_runs_of_identical_hospitals_get_the_same_log_means_as_the_full_product() -> None:
    """Grouped log-means (once per run of identical exponent rows) against float64 ``D log θ``.

    32 hospitals with beds only share one exponent row, so the grouped float32 path is
    taken; it must agree with :func:`unit_means` in float64 to float32 rounding.
    """
    from txaudit.estimate.engine import plan_for
    from txaudit.estimate.montecarlo import _unit_means32
    from txaudit.estimate.plan import sample_parameters, unit_means

    ids = [f"H{i:02d}" for i in range(32)]
    frame = observations([obs(f"b{i}", h, "transplant_beds", 10 + 3 * i)
                          for i, h in enumerate(ids)])
    model = load_model()
    plan, _ = plan_for(frame, hospitals(ids), model, 2015)
    assert len(plan.d_runs[0]) * 16 <= len(plan.units)
    values = sample_parameters(plan, np.random.default_rng(0).random((500, plan.n_params)))
    grouped = _unit_means32(plan, values)
    np.testing.assert_allclose(grouped, unit_means(plan, values), rtol=2e-6, atol=2e-6)
