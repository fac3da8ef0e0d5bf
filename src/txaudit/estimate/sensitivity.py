"""Sensitivity: which assumptions drive the national total and its gap to the official figure.

Both analyses use the *expected* national total given the parameters,
``E[T | theta]`` (:func:`txaudit.estimate.plan.expected_totals`): hospital-level
noise averages out, so the answer is a smooth function of the assumptions.

* **One at a time (tornado).** Every uncertain parameter is moved to its 5th and
  95th percentile while the others stay at their medians. The swing is the
  difference of the two totals.
* **Sobol indices** (SALib, Saltelli/Sobol' sampling, first-order ``S1`` and
  total ``ST``). Parameters are sampled in their model ``group`` s, so
  parameters that move together (length of stay and occupancy: group
  ``bed_use``) are treated as one factor; the output names the members of each
  group. Indices are computed for the total of all organs; the gap to the
  official figure (``total - official``) and ``log(total / official)`` differ
  from the total (and its log) by a constant, so they share these indices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from txaudit.errors import EstimationError
from txaudit.estimate.plan import Plan, expected_totals, sample_parameters


@dataclass
class SensitivityResult:
    """Tornado and Sobol tables for one year (total of all organs)."""

    year: int
    baseline: float
    official: float | None
    tornado_: pd.DataFrame
    sobol_: pd.DataFrame
    sobol_log_: pd.DataFrame
    n_base: int
    model_hash: str
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "baseline_total": self.baseline,
            "official": self.official,
            "baseline_ratio": (self.baseline / self.official) if self.official else None,
            "tornado": _records(self.tornado_),
            "sobol": _records(self.sobol_),
            "sobol_log_total": _records(self.sobol_log_),
            "sobol_base_samples": self.n_base,
            "model_hash": self.model_hash,
            "notes": self.notes,
        }


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = df.replace({np.nan: None}).to_dict("records")  # type: ignore[assignment]
    return out


def _uncertain(plan: Plan) -> list[int]:
    return [j for j, d in enumerate(plan.dists) if d.kind != "point"]


def _total(plan: Plan, u: np.ndarray) -> np.ndarray:
    return expected_totals(plan, sample_parameters(plan, u)).sum(axis=1)


def tornado(plan: Plan, official: float | None, groups: dict[str, str]) -> pd.DataFrame:
    """One-at-a-time swings (5th vs 95th percentile), largest first."""
    cols = _uncertain(plan)
    base_u = np.full((1, plan.n_params), 0.5)
    rows = []
    for j in cols:
        u = np.repeat(base_u, 2, axis=0)
        u[0, j], u[1, j] = 0.05, 0.95
        low, high = _total(plan, u)
        values = plan.dists[j].ppf(np.array([0.05, 0.95]))
        rows.append({
            "parameter": plan.keys[j],
            "group": groups.get(plan.keys[j], ""),
            "value_low": float(values[0]),
            "value_high": float(values[1]),
            "total_at_low": float(low),
            "total_at_high": float(high),
            "swing": float(abs(high - low)),
            "ratio_at_low": float(low / official) if official else None,
            "ratio_at_high": float(high / official) if official else None,
        })
    df = pd.DataFrame(rows, columns=[
        "parameter", "group", "value_low", "value_high", "total_at_low", "total_at_high",
        "swing", "ratio_at_low", "ratio_at_high"])
    return df.sort_values(["swing", "parameter"], ascending=[False, True]).reset_index(drop=True)


def sobol(plan: Plan, groups: dict[str, str], n_base: int = 1024, seed: int = 0
          ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Grouped Sobol indices of the total and of its logarithm."""
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    cols = _uncertain(plan)
    empty = pd.DataFrame(columns=["group", "parameters", "S1", "S1_conf", "ST", "ST_conf"])
    if not cols:
        return empty, empty.copy()
    names = [plan.keys[j] for j in cols]
    group_of = [groups.get(k, k) or k for k in names]
    distinct = sorted(set(group_of))
    problem: dict[str, Any] = {
        "num_vars": len(cols), "names": names, "bounds": [[0.0, 1.0]] * len(cols),
    }
    if len(distinct) > 1:
        problem["groups"] = group_of
    sample = sobol_sample.sample(problem, n_base, calc_second_order=False, seed=seed)
    u = np.full((sample.shape[0], plan.n_params), 0.5)
    u[:, cols] = np.clip(sample, 1e-9, 1 - 1e-9)
    y = np.concatenate([_total(plan, u[i:i + 8192]) for i in range(0, len(u), 8192)])
    tables = []
    for values in (y, np.log(np.maximum(y, 1e-300))):
        if np.allclose(values, values[0]):
            tables.append(empty.copy())
            continue
        res = sobol_analyze.analyze(problem, values, calc_second_order=False, seed=seed)
        # SALib orders groups by first appearance; without groups, by variable
        grouped = len(distinct) > 1 or len(names) == 1
        labels = list(pd.unique(np.array(group_of))) if grouped else names
        rows = []
        for i, label in enumerate(labels):
            members = ([n for n, g in zip(names, group_of, strict=True) if g == label]
                       if grouped else [label])
            rows.append({
                "group": label, "parameters": ";".join(members),
                "S1": float(res["S1"][i]), "S1_conf": float(res["S1_conf"][i]),
                "ST": float(res["ST"][i]), "ST_conf": float(res["ST_conf"][i]),
            })
        tables.append(pd.DataFrame(rows).sort_values("ST", ascending=False)
                      .reset_index(drop=True))
    return tables[0], tables[1]


def analyse(
    plan: Plan,
    official: float | None,
    groups: dict[str, str],
    model_hash: str,
    method: str = "both",
    n_base: int = 1024,
    seed: int = 0,
) -> SensitivityResult:
    """Run ``method`` (``oat``, ``sobol`` or ``both``) on a prepared plan."""
    if method not in ("oat", "sobol", "both"):
        raise EstimationError(f"unknown sensitivity method {method!r}; use oat, sobol or both")
    baseline = float(_total(plan, np.full((1, plan.n_params), 0.5))[0])
    torn = tornado(plan, official, groups) if method in ("oat", "both") else pd.DataFrame()
    s1, s1_log = (sobol(plan, groups, n_base, seed) if method in ("sobol", "both")
                  else (pd.DataFrame(), pd.DataFrame()))
    notes = []
    multi = {g for g in groups.values() if list(groups.values()).count(g) > 1}
    if multi:
        notes.append("parameters sampled as groups in the Sobol analysis: "
                     + ", ".join(sorted(multi)))
    return SensitivityResult(plan.year, baseline, official, torn, s1, s1_log, n_base,
                             model_hash, notes)
