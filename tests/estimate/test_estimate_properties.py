"""Properties (hypothesis): monotone in beds and stays, order-free, intervals hold the median."""

from __future__ import annotations

import numpy as np
import pandas as pd
from estimate_helpers import hospitals, obs, observations, point_model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from txaudit.estimate import estimate_frames, parse_model

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _noisy_model() -> object:
    """The point model with real estimator noise and uncertain stay and share."""
    raw = point_model().raw
    for spec in raw["estimators"].values():
        spec["log_sd"] = 0.4
    for p in raw["parameter"]:
        if p["name"] == "length_of_stay":
            p.update({"dist": "pert", "low": 7, "mode": 14, "high": 30})
            p.pop("value")
        if p["name"] == "ward_transplant_share":
            p.update({"dist": "uniform", "low": 0.25, "high": 1.0})
            p.pop("value")
    raw["model"]["shrinkage"] = True
    return parse_model(raw)


MODEL = _noisy_model()
beds = st.integers(min_value=1, max_value=500)
stays = st.floats(min_value=1.0, max_value=60.0)


def _rows(bed_counts: list[int], stay: float | None = None) -> list[dict]:
    rows = []
    for i, b in enumerate(bed_counts):
        rows.append(obs(f"b{i}", f"H{i}", "transplant_beds", b))
        if stay is not None:
            rows.append(obs(f"s{i}", f"H{i}", "avg_length_of_stay", stay))
    return rows


def _total(rows: list[dict], n: int) -> np.ndarray:
    result = estimate_frames(observations(rows), hospitals([f"H{i}" for i in range(n)]), None,
                             MODEL, years=2015, draws=1024, seed=3)  # type: ignore[arg-type]
    return result.draws_for(2015, "all")


@SETTINGS
@given(st.lists(beds, min_size=1, max_size=6), st.integers(0, 5), st.integers(1, 200))
def test_more_beds_never_lower_the_estimate(counts: list[int], which: int, more: int) -> None:
    which %= len(counts)
    bigger = list(counts)
    bigger[which] += more
    base, grown = _total(_rows(counts), len(counts)), _total(_rows(bigger), len(counts))
    # same seed, same draws: every draw is at least as large
    assert np.all(grown >= base * (1 - 1e-12))


@SETTINGS
@given(st.lists(beds, min_size=1, max_size=5), stays, st.floats(0.1, 20.0))
def test_shorter_stays_never_lower_the_estimate(counts: list[int], stay: float,
                                                 cut: float) -> None:
    shorter = max(stay - cut, 0.5)
    long_ = _total(_rows(counts, stay), len(counts))
    short = _total(_rows(counts, shorter), len(counts))
    assert np.all(short >= long_ * (1 - 1e-12))


@SETTINGS
@given(st.lists(beds, min_size=2, max_size=6), st.randoms(use_true_random=False))
def test_row_order_does_not_change_results(counts: list[int], rnd: object) -> None:
    rows = _rows(counts, 12.0)
    rows.append(obs("c0", "H0", "transplants_annual", 300))
    shuffled = list(rows)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    ids = [f"H{i}" for i in range(len(counts))]
    hosp = hospitals(ids)
    a = estimate_frames(observations(rows), hosp, None, MODEL, years=2015,  # type: ignore[arg-type]
                        draws=1024, seed=1)
    b = estimate_frames(observations(shuffled), hosp.iloc[::-1], None, MODEL,  # type: ignore[arg-type]
                        years=2015, draws=1024, seed=1)
    np.testing.assert_array_equal(a.draws_for(2015), b.draws_for(2015))
    pd.testing.assert_frame_equal(a.national_, b.national_)


@SETTINGS
@given(st.lists(beds, min_size=0, max_size=6), st.integers(0, 2**31 - 1))
def test_intervals_are_nested_and_contain_the_median(counts: list[int], seed: int) -> None:
    result = estimate_frames(observations(_rows(counts)),
                             hospitals([f"H{i}" for i in range(len(counts))]), None,
                             MODEL, years=2015, draws=1024, seed=seed)  # type: ignore[arg-type]
    for _, r in result.national_.iterrows():
        assert r["low95"] <= r["low80"] <= r["low50"] <= r["median"]
        assert r["median"] <= r["high50"] <= r["high80"] <= r["high95"]
        if not counts:
            assert r["median"] == 0 and r["high95"] == 0
