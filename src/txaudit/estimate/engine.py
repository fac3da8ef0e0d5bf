"""Estimation from evidence frames to an :class:`~txaudit.estimate.result.Estimate`.

``estimate_frames`` does the work on plain DataFrames; ``estimate`` pulls the
frames from a store (anything with ``observations()``, ``hospitals()`` and
``official_figures()`` methods) and calls it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from txaudit.errors import ConfigError
from txaudit.estimate.base import Note
from txaudit.estimate.model import Model, load_model
from txaudit.estimate.montecarlo import BlockResult, run
from txaudit.estimate.plan import Plan, build_plan
from txaudit.estimate.prepare import check_observations, hospital_table, prepare_year
from txaudit.estimate.result import LEVELS, Estimate, interval
from txaudit.estimate.sensitivity import SensitivityResult, analyse
from txaudit.frames import HOSPITAL_COLUMNS, OFFICIAL_FIGURE_COLUMNS


def official_lookup(
    official: pd.DataFrame | None, model: Model, year: int, organ: str
) -> tuple[float | None, str | None, str | None, list[Note]]:
    """The official transplant figure for ``year`` and ``organ`` (value, series, id, notes).

    Uses rows with indicator ``transplants_annual`` of the model's country and
    no region. The model's ``official_series`` prefixes are tried in order; with
    none matching, the first series by name, and a warning when series disagree.
    """
    if official is None or not len(official):
        return None, None, None, []
    df = official
    if "indicator" in df.columns:
        df = df[df["indicator"] == "transplants_annual"]
    if model.country and "country" in df.columns:
        df = df[df["country"].fillna("").str.lower() == model.country.lower()]
    if "region" in df.columns:
        df = df[df["region"].isna()]
    df = df[(df["year"] == year) & (df["organ"] == organ)]
    df = df[df["value"].notna()]
    if not len(df):
        return None, None, None, []
    df = df.sort_values(["series", "figure_id"] if "figure_id" in df.columns else ["series"])
    chosen = None
    for prefix in model.official_series:
        hit = df[df["series"].astype(str).str.startswith(prefix)]
        if len(hit):
            chosen = hit.iloc[0]
            break
    notes: list[Note] = []
    if chosen is None:
        chosen = df.iloc[0]
        if df["value"].nunique() > 1:
            notes.append(Note(
                "official_series_disagree",
                f"official series disagree for {organ} {year} "
                f"({', '.join(sorted(set(df['series'].astype(str))))}); using {chosen['series']} "
                "(set official_series in the model to choose)",
                year=year,
            ))
    fid = str(chosen["figure_id"]) if "figure_id" in df.columns else None
    return float(chosen["value"]), str(chosen["series"]), fid, notes


def default_years(official: pd.DataFrame | None, observations: pd.DataFrame, model: Model
                  ) -> list[int]:
    """The year best supported by evidence that also has an official transplant figure.

    Among the years with an official ``transplants_annual`` figure for the model's
    country, the one in which the most hospitals have observations (a snapshot's
    ``as_of`` year counts for observations without a year, as in estimation);
    ties go to the later year. Estimating the latest official year by default
    would put most reports on a year with almost no hospital evidence, where
    the result is imputation alone. Without official figures, the best-evidenced
    observed year is used.
    """
    evidence = _hospitals_per_year(observations)
    candidates: list[int] = []
    if official is not None and len(official) and "indicator" in official.columns:
        df = official[official["indicator"] == "transplants_annual"]
        if model.country and "country" in df.columns:
            df = df[df["country"].fillna("").str.lower() == model.country.lower()]
        candidates = sorted({int(y) for y in pd.to_numeric(df["year"], errors="coerce").dropna()})
    if not candidates:
        candidates = sorted(evidence)
    if not candidates:
        raise ConfigError("no year to estimate: give years=[...] (or --year)")
    return [max(candidates, key=lambda y: (evidence.get(y, 0), y))]


def _hospitals_per_year(observations: pd.DataFrame) -> dict[int, int]:
    """Number of distinct hospitals with an observation dated in each year."""
    if not len(observations) or not {"hospital_id", "year"} <= set(observations.columns):
        return {}
    year = pd.to_numeric(observations["year"], errors="coerce").astype("float64")
    if "as_of" in observations.columns:
        snapshot = pd.to_numeric(observations["as_of"].astype("string").str[:4], errors="coerce")
        year = year.fillna(snapshot.astype("float64"))
    counts = (observations.assign(_year=year).dropna(subset=["_year", "hospital_id"])
              .groupby("_year")["hospital_id"].nunique())
    return {int(float(str(y))): int(n) for y, n in counts.items()}


def estimate_frames(
    observations: pd.DataFrame,
    hospitals: pd.DataFrame | None = None,
    official: pd.DataFrame | None = None,
    model: Model | None = None,
    *,
    years: Iterable[int] | int | None = None,
    scenario: str | None = None,
    draws: int = 10_000,
    seed: int = 0,
    chunk_size: int = 16_384,
    scheduler: Any = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> Estimate:
    """Estimate yearly volumes per hospital and nationally, with Monte Carlo intervals.

    ``model`` defaults to the packaged default model; ``scenario`` applies one of
    its scenarios. ``draws`` Monte Carlo draws are made with ``seed``; results do
    not depend on ``chunk_size``, ``workers`` (local threads) or ``scheduler`` (see
    :mod:`txaudit.estimate.montecarlo`). Impossible inputs raise
    :class:`~txaudit.errors.EstimationError`; doubts are recorded in
    ``Estimate.warnings``.
    """
    model = model if model is not None else load_model(None)
    if scenario is not None:
        model = model.with_scenario(scenario)
    hospitals = hospitals if hospitals is not None else pd.DataFrame(columns=HOSPITAL_COLUMNS)
    official = official if official is not None else pd.DataFrame(columns=OFFICIAL_FIGURE_COLUMNS)
    if isinstance(years, int):
        years = [years]
    year_list = sorted(set(years)) if years is not None else default_years(
        official, observations, model)

    checked = check_observations(observations, model)
    hosp, hosp_notes = hospital_table(hospitals, checked.observations)
    notes = [*checked.notes, *hosp_notes]
    national_rows: list[dict[str, Any]] = []
    hospital_rows: list[dict[str, Any]] = []
    estimator_rows: list[dict[str, Any]] = []
    national_draws: dict[int, np.ndarray] = {}
    keep = min(model.hospital_draws_kept, draws)
    for year in year_list:
        units, unit_notes = prepare_year(model, hosp, checked, year)
        plan = build_plan(model, units, year)
        notes += unit_notes + plan.notes
        results = run(plan, draws, seed, chunk_size=chunk_size, keep=keep,
                      scheduler=scheduler, progress=progress, workers=workers)
        nat = np.concatenate([r.national for r in results], axis=0)
        nat = np.concatenate([nat, nat.sum(axis=1, keepdims=True)], axis=1)
        national_draws[year] = nat
        incomplete = plan.incomplete
        for oi, organ in enumerate([*model.organs, "all"]):
            row, more = _national_row(nat[:, oi], official, model, year, organ)
            row["complete"] = organ not in incomplete and not (organ == "all" and incomplete)
            national_rows.append(row)
            notes += more
        h_rows, h_notes = _hospital_rows(plan, results, nat, draws)
        hospital_rows += h_rows
        notes += h_notes
        estimator_rows += _estimator_rows(plan)
    return Estimate(
        seed=seed,
        draws=draws,
        model_hash=model.hash,
        model_name=model.name,
        scenario=model.scenario,
        fusion=model.fusion,
        years=year_list,
        organs=model.organs,
        national_=pd.DataFrame(national_rows),
        hospitals_=pd.DataFrame(hospital_rows, columns=_HOSPITAL_COLS),
        estimators_=pd.DataFrame(estimator_rows, columns=_ESTIMATOR_COLS),
        parameters_=model.parameters_table(),
        warnings=notes,
        national_draws=national_draws,
    )


def estimate(store: Any, model: Model | None = None, **kwargs: Any) -> Estimate:
    """Estimate from a store: ``store.observations()``, ``.hospitals()``, ``.official_figures()``.

    Keyword arguments are those of :func:`estimate_frames`.
    """
    return estimate_frames(
        store.observations(), store.hospitals(), store.official_figures(), model, **kwargs
    )


def _national_row(
    draws: np.ndarray, official: pd.DataFrame, model: Model, year: int, organ: str
) -> tuple[dict[str, Any], list[Note]]:
    row: dict[str, Any] = {"year": year, "organ": organ, "mean": float(draws.mean()),
                           "median": float(np.median(draws))}
    for k in LEVELS:
        row[f"low{k}"], row[f"high{k}"] = interval(draws, k)
    value, series, fid, notes = official_lookup(official, model, year, organ)
    row.update({"official": value, "official_series": series, "official_figure_id": fid})
    if value is not None and value > 0:
        ratio = draws / value
        row["ratio_mean"] = float(ratio.mean())
        row["ratio_median"] = float(np.median(ratio))
        for k in LEVELS:
            row[f"ratio_low{k}"], row[f"ratio_high{k}"] = interval(ratio, k)
        row["p_above_official"] = float(np.mean(draws > value))
    else:
        for name in ("ratio_mean", "ratio_median", "p_above_official",
                     *[f"ratio_{s}{k}" for k in LEVELS for s in ("low", "high")]):
            row[name] = None
    return row, notes


_HOSPITAL_COLS = [
    "year", "hospital_id", "name", "category", "group", "tier", "province", "organ",
    "imputed", "n_estimators", "estimators", "mean", "median", "low80", "high80", "low95",
    "high95", "contribution", "observation_ids", "assumptions", "upper_bound",
    "bound_observation_id", "exceeds_bound",
]

_ESTIMATOR_COLS = [
    "year", "hospital_id", "organ", "estimator", "central", "log_sd", "weight",
    "observation_ids", "assumptions",
]


def _hospital_rows(
    plan: Plan, results: list[BlockResult], nat: np.ndarray, draws: int
) -> tuple[list[dict[str, Any]], list[Note]]:
    notes: list[Note] = []
    if not results:
        return [], notes
    unit_sum = np.sum([r.unit_sum for r in results], axis=0)
    kept = np.concatenate([r.unit_kept for r in results], axis=0)
    vsum = np.sum([r.virtual_sum for r in results], axis=0)
    vkept = np.concatenate([r.virtual_kept for r in results], axis=0)
    organ_mean = nat[:, : len(plan.organs)].mean(axis=0)
    # all units' quantiles in one call (median, 80% and 95% bounds)
    probs = [0.5, 0.1, 0.9, 0.025, 0.975]
    qs = (np.quantile(kept, probs, axis=0) if kept.size
          else np.full((len(probs), kept.shape[1]), np.nan))
    rows: list[dict[str, Any]] = []
    for i, u in enumerate(plan.units):
        mean = float(unit_sum[i] / draws)
        median = float(qs[0, i]) if kept.size else None
        ids = sorted({o for r in u.rows for o in r.observation_ids})
        assumptions = sorted({a for r in u.rows for a in r.assumptions})
        if not u.rows:
            used = [plan.keys[j] for j in np.flatnonzero(plan.d[i])]
            assumptions = ["imputed from peer group", *used]
        exceeds = bool(u.upper_bound is not None and median is not None
                       and median > u.upper_bound)
        if exceeds:
            notes.append(Note(
                "exceeds_bound",
                f"median estimate {median:.0f} for {u.organ} is above the peak-day upper bound "
                f"{u.upper_bound:.0f}", u.hospital_id, "transplants_peak_day",
                u.bound_observation, plan.year))
        o = plan.organ_index[i]
        rows.append({
            "year": plan.year, "hospital_id": u.hospital_id, "name": u.name,
            "category": u.category, "group": u.group, "tier": u.tier, "province": u.province,
            "organ": u.organ, "imputed": u.imputed, "n_estimators": len(u.rows),
            "estimators": ";".join(r.estimator for r in u.rows), "mean": mean,
            "median": median,
            **_bounds(qs, i, kept.size > 0),
            "contribution": mean / organ_mean[o] if organ_mean[o] > 0 else 0.0,
            "observation_ids": ids, "assumptions": assumptions,
            "upper_bound": u.upper_bound, "bound_observation_id": u.bound_observation,
            "exceeds_bound": exceeds,
        })
    for gi, g in enumerate(plan.virtual):
        mean = float(vsum[gi] / draws)
        col = vkept[:, gi]
        rows.append({
            "year": plan.year, "hospital_id": f"unlisted:{g.group}", "name":
            f"unlisted {g.group} hospitals", "category": g.group, "group": g.group,
            "tier": None, "province": None, "organ": g.organ, "imputed": True,
            "n_estimators": 0, "estimators": "", "mean": mean,
            "median": float(np.median(col)) if col.size else None,
            **_q(col, "80"), **_q(col, "95"),
            "contribution": mean / organ_mean[g.organ_index] if organ_mean[g.organ_index] > 0
            else 0.0,
            "observation_ids": [],
            "assumptions": ["imputed from peer group",
                            *sorted({plan.keys[g.count_col], plan.keys[g.part_col],
                                     *(plan.keys[j] for j in np.flatnonzero(g.d))})],
            "upper_bound": None, "bound_observation_id": None, "exceeds_bound": False,
        })
    return rows, notes


def _bounds(qs: np.ndarray, i: int, ok: bool) -> dict[str, float | None]:
    if not ok:
        return {"low80": None, "high80": None, "low95": None, "high95": None}
    return {"low80": float(qs[1, i]), "high80": float(qs[2, i]),
            "low95": float(qs[3, i]), "high95": float(qs[4, i])}


def _q(col: np.ndarray, level: str) -> dict[str, float | None]:
    if not col.size:
        return {f"low{level}": None, f"high{level}": None}
    lo, hi = interval(col, level)
    return {f"low{level}": lo, f"high{level}": hi}


def _estimator_rows(plan: Plan) -> list[dict[str, Any]]:
    values = dict(zip(plan.keys, plan.central_values()[0], strict=True))
    out = []
    for u in plan.units:
        if not u.rows:
            continue
        total = sum(1.0 / r.log_var for r in u.rows)
        for r in u.rows:
            out.append({
                "year": plan.year, "hospital_id": u.hospital_id, "organ": u.organ,
                "estimator": r.estimator, "central": r.central(values),
                "log_sd": float(np.sqrt(r.log_var)), "weight": (1.0 / r.log_var) / total,
                "observation_ids": list(r.observation_ids), "assumptions": list(r.assumptions),
            })
    return out


def plan_for(
    observations: pd.DataFrame,
    hospitals: pd.DataFrame | None,
    model: Model,
    year: int,
) -> tuple[Plan, list[Note]]:
    """The Monte Carlo plan of one year (checks, units, fusion, imputation)."""
    hospitals = hospitals if hospitals is not None else pd.DataFrame(columns=HOSPITAL_COLUMNS)
    checked = check_observations(observations, model)
    hosp, hosp_notes = hospital_table(hospitals, checked.observations)
    units, unit_notes = prepare_year(model, hosp, checked, year)
    plan = build_plan(model, units, year)
    return plan, [*checked.notes, *hosp_notes, *unit_notes, *plan.notes]


def sensitivity_frames(
    observations: pd.DataFrame,
    hospitals: pd.DataFrame | None = None,
    official: pd.DataFrame | None = None,
    model: Model | None = None,
    *,
    year: int | None = None,
    scenario: str | None = None,
    method: str = "both",
    n_base: int = 1024,
    seed: int = 0,
) -> SensitivityResult:
    """Tornado and/or Sobol analysis of the national total (see :mod:`.sensitivity`)."""
    model = model if model is not None else load_model(None)
    if scenario is not None:
        model = model.with_scenario(scenario)
    if year is None:
        year = default_years(official, observations, model)[0]
    plan, _ = plan_for(observations, hospitals, model, year)
    value, _, _, _ = official_lookup(official, model, year, "all")
    groups = {k: model.parameter(k).group for k in plan.keys}
    return analyse(plan, value, groups, model.hash, method=method, n_base=n_base, seed=seed)


def sensitivity(store: Any, model: Model | None = None, **kwargs: Any) -> SensitivityResult:
    """Sensitivity analysis from a store (keywords of :func:`sensitivity_frames`)."""
    return sensitivity_frames(
        store.observations(), store.hospitals(), store.official_figures(), model, **kwargs
    )
