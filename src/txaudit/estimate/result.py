"""The :class:`Estimate` result: national totals, hospitals, provenance, warnings.

Attribute names here are a stable interface for the report and the CLI; they
are listed in ``docs/reference/model.md`` ("The Estimate object").
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from txaudit.estimate.base import Note

#: nominal coverage of the intervals reported everywhere
LEVELS: tuple[str, ...] = ("50", "80", "95")


def interval(draws: np.ndarray, level: str) -> tuple[float, float]:
    """Equal-tailed interval of ``draws`` at ``level`` percent."""
    p = float(level) / 100.0
    lo, hi = np.quantile(draws, [(1 - p) / 2, (1 + p) / 2])
    return float(lo), float(hi)


def summarise(draws: np.ndarray) -> dict[str, Any]:
    """Mean, median and the 50/80/95% intervals of a vector of draws."""
    if draws.size == 0:
        return {"mean": None, "median": None, "intervals": {k: [None, None] for k in LEVELS}}
    return {
        "mean": float(np.mean(draws)),
        "median": float(np.median(draws)),
        "intervals": {k: list(interval(draws, k)) for k in LEVELS},
    }


@dataclass
class Estimate:
    """Result of :func:`txaudit.estimate.estimate`.

    Fitted tables end in ``_`` (pandas DataFrames):

    * ``national_``: one row per year and organ (``all`` = sum of organs):
      ``mean, median, low50, high50, low80, high80, low95, high95, official,
      official_series, official_figure_id, ratio_mean, ratio_median, ratio_low95,
      ratio_high95, ..., p_above_official, complete``;
    * ``hospitals_``: one row per hospital, organ and year (plus one per group of
      unlisted universe hospitals): contribution, intervals, ``imputed`` flag,
      ``estimators``, ``observation_ids``, ``assumptions``, ``upper_bound``;
    * ``estimators_``: one row per estimator answer before fusion, with its
      central value, log-sd, fusion weight and provenance;
    * ``parameters_``: the model's parameter table with citations;
    * ``warnings_``: the recorded warnings (also in ``warnings``).
    """

    seed: int
    draws: int
    model_hash: str
    model_name: str
    scenario: str | None
    fusion: str
    years: list[int]
    organs: tuple[str, ...]
    national_: pd.DataFrame
    hospitals_: pd.DataFrame
    estimators_: pd.DataFrame
    parameters_: pd.DataFrame
    warnings: list[Note] = field(default_factory=list)
    national_draws: dict[int, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def warnings_(self) -> pd.DataFrame:
        cols = ["code", "message", "hospital_id", "indicator", "observation_id", "year"]
        return pd.DataFrame([w.to_dict() for w in self.warnings], columns=cols)

    def draws_for(self, year: int, organ: str = "all") -> np.ndarray:
        """All Monte Carlo draws of the national total for ``year`` and ``organ``."""
        cols = [*self.organs, "all"]
        return self.national_draws[year][:, cols.index(organ)]

    def national_records(self) -> list[dict[str, Any]]:
        """``national`` as in the JSON output (see :meth:`to_dict`)."""
        out = []
        for rec in self.national_.to_dict("records"):
            ratio = None
            if rec["official"] is not None and not pd.isna(rec["official"]):
                ratio = {
                    "mean": rec["ratio_mean"],
                    "median": rec["ratio_median"],
                    "intervals": {k: [rec[f"ratio_low{k}"], rec[f"ratio_high{k}"]]
                                  for k in LEVELS},
                    "p_above_official": rec["p_above_official"],
                }
            official = None
            if ratio is not None:
                official = {
                    "value": rec["official"],
                    "series": rec["official_series"],
                    "figure_id": rec["official_figure_id"],
                }
            out.append(
                {
                    "year": int(rec["year"]),
                    "organ": rec["organ"],
                    "mean": rec["mean"],
                    "median": rec["median"],
                    "intervals": {k: [rec[f"low{k}"], rec[f"high{k}"]] for k in LEVELS},
                    "official": official,
                    "ratio_to_official": ratio,
                    "complete": bool(rec["complete"]),
                }
            )
        return out

    def to_dict(self, hospitals: bool = True) -> dict[str, Any]:
        """JSON-ready result: ``national`` list, seed, draws, model hash, warnings, ..."""
        data: dict[str, Any] = {
            "national": self.national_records(),
            "seed": self.seed,
            "draws": self.draws,
            "model_hash": self.model_hash,
            "model": self.model_name,
            "scenario": self.scenario,
            "fusion": self.fusion,
            "years": self.years,
            "warnings": [w.to_dict() for w in self.warnings],
        }
        if hospitals:
            data["hospitals"] = json.loads(self.hospitals_.to_json(orient="records"))
        return data
