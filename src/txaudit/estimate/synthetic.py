"""Synthetic countries with known true volumes, for calibration, tests and benchmarks.

A synthetic country follows the estimation model's own measurement model:

1. true parameters ``theta*`` are drawn from the model's priors (one set per
   country: length of stay, occupancy, claim inflation, growth, prices, universe
   counts and organ participation);
2. each universe group has ``count* x participation*`` hospitals per organ; each
   hospital's true yearly volume is lognormal around its category's typical
   volume (times the organ mix), times ``unreported_volume_ratio*`` for
   hospitals that end up with no evidence;
3. a share of the hospitals is listed in the hospital table; each listed
   hospital reports each kind of evidence with a given probability (missing data),
   generated backwards from its true volume through the estimator's formula with
   the country's ``theta*`` and the estimator's log-scale noise; claims carry the
   country's inflation factor and their qualifiers.

No I/O: everything comes from the generator passed in.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from txaudit.estimate.base import spread_sum
from txaudit.estimate.model import Model, parse_model
from txaudit.frames import HOSPITAL_COLUMNS, OBSERVATION_COLUMNS, OFFICIAL_FIGURE_COLUMNS

#: typical yearly volume (all organs) of a hospital by category
TYPICAL_VOLUME = {"civilian": 220.0, "military": 180.0, "regional": 120.0, "unapproved": 50.0}
#: probability that a listed hospital reports each kind of evidence
EVIDENCE_PROBABILITY = {
    "transplant_beds": 0.35,
    "ward_census": 0.15,
    "admissions": 0.15,
    "transplants_annual": 0.35,
    "transplants_cumulative": 0.2,
    "transplant_surgeons": 0.2,
    "transplant_revenue": 0.1,
}
_APPROVED_CATS = ("civilian", "military", "regional")


@dataclass
class SyntheticCountry:
    """Frames for one synthetic country and its true totals by organ."""

    observations: pd.DataFrame
    hospitals: pd.DataFrame
    official: pd.DataFrame
    truth: dict[str, float]  # organ -> true national total ("all" included)
    theta: dict[str, float]
    volumes: dict[tuple[str, str], float]  # (hospital id, organ) -> true volume, all hospitals


def draw_theta(model: Model, rng: np.random.Generator) -> dict[str, float]:
    """One value of every model parameter, drawn from its prior."""
    return {p.key: float(p.dist.ppf(rng.random())) for p in model.parameters}


def _value(model: Model, theta: dict[str, float], name: str, organ: str | None = None,
           category: str | None = None, year: int | None = None) -> float:
    param = model.find(name, organ, category, year)
    assert param is not None, name
    return theta[param.key]


def scaled_model(model: Model, scale: float) -> Model:
    """``model`` with every ``universe_count`` multiplied by ``scale`` (smaller countries)."""
    raw = copy.deepcopy(model.raw)
    fields = ("value", "low", "high", "mode", "median", "mean", "sd")
    for entry in raw.get("parameter", []):
        if entry.get("name") == "universe_count":
            for f in fields:
                if f in entry:
                    entry[f] = float(entry[f]) * scale
    for scen in raw.get("scenarios", {}).values():
        for entry in scen.get("parameter", []) or []:
            if entry.get("name") == "universe_count":
                for f in fields:
                    if f in entry:
                        entry[f] = float(entry[f]) * scale
    return parse_model(raw, scenario=model.scenario)


def synthetic_country(
    model: Model,
    rng: np.random.Generator,
    year: int = 2015,
    listed_share: float = 0.6,
    evidence_probability: dict[str, float] | None = None,
) -> SyntheticCountry:
    """Draw one country (see the module docstring); use :func:`scaled_model` for size."""
    probs = evidence_probability or EVIDENCE_PROBABILITY
    theta = draw_theta(model, rng)
    obs: list[dict[str, Any]] = []
    hosp: list[dict[str, Any]] = []
    truth = {o: 0.0 for o in model.organs}
    counter = 0
    per_hospital: dict[tuple[str, str], float] = {}

    def volume(cat: str, organ: str) -> float:
        return (TYPICAL_VOLUME[cat] * _value(model, theta, "organ_mix", organ)
                * math.exp(model.between_hospital_log_sd * rng.standard_normal()))

    def ratio(organ: str, group: str) -> float:
        p = model.find("unreported_volume_ratio", organ, group, year)
        return 1.0 if p is None else theta[p.key]

    for group in model.universe:
        count_p = model.find("universe_count", None, group.name, year)
        if count_p is None:
            continue
        cats = [c for c in group.categories if c in TYPICAL_VOLUME] or ["civilian"]
        approved = group.name == "approved"
        part_p = {o: model.find("organ_participation", o, group.name, year) for o in model.organs}
        parts = {o: (0.0 if p is None else theta[p.key]) for o, p in part_p.items()}
        median_part = {o: (0.0 if p is None else p.dist.median()) for o, p in part_p.items()}
        # 1. the listed hospitals: a fixed number, organs at the median participation
        n_listed = int(round(listed_share * count_p.dist.median()))
        listed_active = {o: 0 for o in model.organs}
        listed_ids: set[str] = set()
        for _ in range(n_listed):
            counter += 1
            hid = f"h{counter:05d}"
            listed_ids.add(hid)
            cat = cats[int(rng.integers(len(cats)))]
            organs = [o for o in model.organs if rng.random() < median_part[o]]
            hosp.append({
                "hospital_id": hid, "name_en": f"Hospital {hid}", "name_zh": None,
                "province": "P", "city": None, "tier": "3A", "military": cat == "military",
                "category": cat, "approved_organs": ";".join(organs) if approved else None,
                "approved_year": None, "note": "synthetic",
            })
            for o in organs:
                v = volume(cat, o)
                found = _evidence(model, theta, rng, hid, cat, o, v, year, probs)
                if not found and not approved:
                    # an unapproved hospital without evidence for the organ is not
                    # known to do it: it belongs to the unlisted remainder
                    continue
                if not found:
                    v *= ratio(o, group.name)
                obs += found
                truth[o] += v
                per_hospital[(hid, o)] = v
                listed_active[o] += 1
        # 2. the true count and participation, conditioned on the listed hospitals
        #    exactly as the engine conditions them (plan.sample_parameters)
        n_active = len({h for (h, o) in per_hospital if h in listed_ids})
        count = float(count_p.dist.ppf_above(np.array([rng.random()]),
                                             np.array([float(n_active)]))[0])
        theta[count_p.key] = count
        for o, p in part_p.items():
            if p is None or p.dist.support()[1] <= 0:
                continue
            bound = listed_active[o] / max(count, 1e-12)
            parts[o] = float(p.dist.ppf_above(np.array([rng.random()]), np.array([bound]))[0])
            theta[p.key] = parts[o]
        # 3. unlisted hospitals doing each organ
        for o in model.organs:
            extra = max(count * parts[o] - listed_active[o], 0.0)
            for _ in range(int(math.floor(extra + rng.random()))):
                cat = cats[int(rng.integers(len(cats)))]
                counter += 1
                v = volume(cat, o) * ratio(o, group.name)
                truth[o] += v
                per_hospital[(f"u{counter:05d}", o)] = v
    truth["all"] = sum(truth[o] for o in model.organs)
    for i, rec in enumerate(obs):
        rec["observation_id"] = f"obs-{i:06d}"
    observations = pd.DataFrame(obs, columns=list(OBSERVATION_COLUMNS))
    hospitals = pd.DataFrame(hosp, columns=list(HOSPITAL_COLUMNS))
    official = pd.DataFrame(columns=list(OFFICIAL_FIGURE_COLUMNS))
    return SyntheticCountry(observations, hospitals, official, truth, theta, per_hospital)


def _evidence(
    model: Model, theta: dict[str, float], rng: np.random.Generator, hid: str, cat: str,
    organ: str, volume: float, year: int, probs: dict[str, float],
) -> list[dict[str, Any]]:
    """Observations a hospital reports, generated backwards from its true volume."""
    group = model.group_of(cat)

    def val(name: str) -> float:
        p = model.find(name, organ, group, year) or model.find(name, organ, cat, year)
        assert p is not None, name
        return theta[p.key]

    def noise(estimator: str) -> float:
        return math.exp(model.estimators[estimator].log_sd * rng.standard_normal())

    out: list[dict[str, Any]] = []

    def add(indicator: str, value: float, unit: str, qualifier: str = "exact",
            **extra: Any) -> None:
        effect = model.qualifiers.get(qualifier)
        if effect is not None and qualifier != "exact":
            # the stated figure is the true claim moved back by the qualifier's effect
            value = value * math.exp(-effect.log_shift - effect.log_sd * rng.standard_normal())
        out.append({
            "scope": "hospital", "hospital_id": hid, "region": None, "indicator": indicator,
            "organ": organ, "year": extra.get("year", year), "since_year": extra.get("since"),
            "as_of": extra.get("as_of"), "value": value, "low": None, "high": None,
            "qualifier": qualifier, "unit": unit, "grade": "C", "source_sha256": None,
            "source_locator": None, "cited_url": None, "cited_locator": None,
            "original_text": None, "note": "synthetic", "status": "current",
        })

    est = model.estimators
    if est["bed_throughput"].enabled and rng.random() < probs["transplant_beds"]:
        per_bed = val("bed_occupancy") * 365.0 / val("length_of_stay") * val(
            "ward_transplant_share")
        add("transplant_beds", volume / per_bed / noise("bed_throughput"), "beds")
    if est["ward_census"].enabled and rng.random() < probs["ward_census"]:
        per_patient = 365.0 / val("length_of_stay") * val("ward_transplant_share")
        add("ward_census", volume / per_patient / noise("ward_census"), "patients")
    if est["admissions"].enabled and rng.random() < probs["admissions"]:
        add("admissions", volume / val("admission_transplant_share") / noise("admissions"),
            "count/year")
    if est["claimed_annual"].enabled and rng.random() < probs["transplants_annual"]:
        qual = "more_than" if rng.random() < 0.3 else "exact"
        add("transplants_annual", volume * val("claim_inflation") * noise("claimed_annual"),
            "count/year", qual)
    if est["claimed_cumulative"].enabled and rng.random() < probs["transplants_cumulative"]:
        since = year - int(rng.integers(2, 8))
        s = spread_sum(since, year, 1.0, year, val("cumulative_growth"))
        add("transplants_cumulative",
            volume * s * val("claim_inflation") * noise("claimed_cumulative"), "count",
            year=None, since=since, as_of=f"{year}-12-31")
    if est["surgeon_capacity"].enabled and rng.random() < probs["transplant_surgeons"]:
        add("transplant_surgeons",
            volume / val("ops_per_surgeon_year") / noise("surgeon_capacity"), "persons")
    if est["revenue"].enabled and rng.random() < probs["transplant_revenue"]:
        add("transplant_revenue", volume * val("transplant_price") * noise("revenue"), "CNY/year")
    return out
