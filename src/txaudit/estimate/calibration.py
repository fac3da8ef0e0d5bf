"""Calibration: do the intervals cover the truth as often as they claim?

For each of ``n_countries`` synthetic countries (:mod:`.synthetic`), evidence is
generated from known true volumes through the model's own measurement model,
the engine estimates the national totals, and we record whether each 50/80/95%
interval contains the true total. Honest intervals cover the truth about 50, 80
and 95% of the time. ``bias`` is the mean of ``log(median / truth)`` (0 = no
bias; 0.1 is about 10% too high) and ``relative_bias`` the mean of
``median / truth - 1``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from txaudit.estimate.engine import estimate_frames
from txaudit.estimate.model import Model
from txaudit.estimate.result import LEVELS
from txaudit.estimate.synthetic import scaled_model, synthetic_country


@dataclass
class CalibrationResult:
    """Coverage of the national intervals over synthetic countries."""

    coverage: dict[str, float]
    n_countries: int
    bias: float
    relative_bias: float
    by_organ: dict[str, dict[str, float]]
    draws: int
    seed: int
    scale: float
    model_hash: str
    countries_: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)

    def to_dict(self) -> dict[str, Any]:
        return {
            "coverage": self.coverage,
            "n_countries": self.n_countries,
            "bias": self.bias,
            "relative_bias": self.relative_bias,
            "coverage_by_organ": self.by_organ,
            "draws": self.draws,
            "seed": self.seed,
            "scale": self.scale,
            "model_hash": self.model_hash,
        }


def calibrate(
    model: Model,
    n_countries: int = 200,
    draws: int = 2000,
    seed: int = 0,
    scale: float = 0.2,
    year: int = 2015,
    progress: Callable[[int, int], None] | None = None,
) -> CalibrationResult:
    """Run the calibration (see the module docstring).

    ``scale`` multiplies the model's universe counts so that each synthetic
    country stays small and the run quick; the measurement model is unchanged.
    """
    small = scaled_model(model, scale)
    rows: list[dict[str, Any]] = []
    organs = [*small.organs, "all"]
    for i in range(n_countries):
        rng = np.random.default_rng([seed, i])
        country = synthetic_country(small, rng, year=year)
        result = estimate_frames(
            country.observations, country.hospitals, country.official, small,
            years=[year], draws=draws, seed=seed * 100_003 + i,
        )
        nat: dict[str, dict[str, Any]] = {
            r["organ"]: r for r in result.national_.to_dict("records")  # type: ignore[misc]
        }
        for organ in organs:
            truth = country.truth[organ]
            rec: dict[str, Any] = {"country": i, "organ": organ, "truth": truth,
                                   "median": float(nat[organ]["median"])}
            for k in LEVELS:
                lo, hi = float(nat[organ][f"low{k}"]), float(nat[organ][f"high{k}"])
                rec[f"covered{k}"] = bool(lo <= truth <= hi)
            rows.append(rec)
        if progress is not None:
            progress(i + 1, n_countries)
    df = pd.DataFrame(rows)
    total = df[df["organ"] == "all"]
    coverage = {k: float(total[f"covered{k}"].mean()) for k in LEVELS}
    by_organ: dict[str, dict[str, float]] = {
        str(organ): {k: float(g[f"covered{k}"].mean()) for k in LEVELS}
        for organ, g in df[(df["organ"] != "all") & (df["truth"] > 0)].groupby("organ")
    }
    ok = total[(total["truth"] > 0) & (total["median"] > 0)]
    return CalibrationResult(
        coverage=coverage,
        n_countries=n_countries,
        bias=float(np.mean(np.log(ok["median"] / ok["truth"]))) if len(ok) else float("nan"),
        relative_bias=float(np.mean(ok["median"] / ok["truth"] - 1)) if len(ok) else float("nan"),
        by_organ=by_organ,
        draws=draws,
        seed=seed,
        scale=scale,
        model_hash=model.hash,
        countries_=df,
    )
