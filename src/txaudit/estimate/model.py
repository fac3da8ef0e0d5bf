"""The estimation model: every assumption as data, with its citation.

A model is a TOML document (see ``docs/reference/model.md``). It holds

* ``[model]`` settings (country, programme start, occupancy ceiling, fusion rule, ...);
* ``[[parameter]]`` entries: one uncertain assumption each, a distribution with a
  ``source`` and a ``note``, optionally specific to an ``organ``, a hospital
  ``category`` or a ``year`` (the most specific match wins);
* ``[estimators.NAME]``: whether an estimator is used and its log-scale error;
* ``[qualifiers.NAME]``: how "more than", "about", ... widen or shift a value;
* ``[[universe]]``: the hospital universe by category, an explicit cited input;
* ``[scenarios.NAME]``: overrides applied on top (conservative / central / liberal).

This module parses text or dicts; it opens no files. :func:`load_model` is the one
loader that reads a file or the packaged default model.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from txaudit.errors import ConfigError
from txaudit.estimate.distributions import Distribution
from txaudit.vocabulary import ORGANS

#: Estimators the engine knows; see :mod:`txaudit.estimate.estimators`.
ESTIMATOR_NAMES: tuple[str, ...] = (
    "bed_throughput",
    "ward_census",
    "admissions",
    "claimed_annual",
    "claimed_cumulative",
    "surgeon_capacity",
    "revenue",
    "min_capacity",
)

FUSION_RULES: tuple[str, ...] = ("precision", "min", "median", "max")


@dataclass(frozen=True)
class Parameter:
    """One uncertain assumption (possibly specific to an organ, category or year)."""

    name: str
    dist: Distribution
    organ: str | None = None
    category: str | None = None
    year: int | None = None
    unit: str = ""
    source: str = ""
    note: str = ""
    group: str = ""

    @property
    def key(self) -> str:
        """Stable id, e.g. ``length_of_stay[organ=kidney]``."""
        parts = [
            f"{k}={v}"
            for k, v in (("organ", self.organ), ("category", self.category), ("year", self.year))
            if v is not None
        ]
        return f"{self.name}[{','.join(parts)}]" if parts else self.name

    @property
    def inferred(self) -> bool:
        """True when the value is the compiler's arithmetic, not a published figure."""
        return "INFERRED" in self.note.upper() or "INFERRED" in self.source.upper()

    def specificity(self, organ: str | None, category: str | None, year: int | None) -> int:
        """How specifically this entry matches (-1: does not apply)."""
        score = 0
        for mine, wanted, weight in (
            (self.organ, organ, 4),
            (self.category, category, 2),
            (self.year, year, 1),
        ):
            if mine is None:
                continue
            if mine != wanted:
                return -1
            score += weight
        return score


@dataclass(frozen=True)
class EstimatorSetting:
    """Whether an estimator runs and how precise its output is taken to be."""

    name: str
    enabled: bool
    log_sd: float
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class QualifierEffect:
    """How a qualifier moves and widens a value, in log space."""

    name: str
    log_shift: float
    log_sd: float
    note: str = ""


@dataclass(frozen=True)
class UniverseGroup:
    """A category of hospitals and which hospital ``category`` values belong to it."""

    name: str
    categories: tuple[str, ...]
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class Model:
    """A parsed, validated model (after applying a scenario, if any)."""

    raw: dict[str, Any]
    scenario: str | None
    name: str
    country: str
    programme_start: int
    occupancy_ceiling: float
    fusion: str
    evidence_window: int
    year_drift_sd: float
    min_peers: int
    hospital_draws_kept: int
    shrinkage: bool
    between_hospital_log_sd: float
    organs: tuple[str, ...]
    official_series: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    estimators: dict[str, EstimatorSetting]
    qualifiers: dict[str, QualifierEffect]
    universe: tuple[UniverseGroup, ...]
    scenarios: tuple[str, ...] = field(default=())

    # -- identity -----------------------------------------------------------
    @property
    def hash(self) -> str:
        """sha256 of the canonical JSON form of the model and the chosen scenario."""
        canonical = json.dumps(
            {"model": self.raw, "scenario": self.scenario},
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    # -- look-ups -----------------------------------------------------------
    def find(
        self,
        name: str,
        organ: str | None = None,
        category: str | None = None,
        year: int | None = None,
    ) -> Parameter | None:
        """Most specific parameter entry called ``name`` that applies, or None."""
        best: Parameter | None = None
        best_score = -1
        for param in self.parameters:
            if param.name != name:
                continue
            score = param.specificity(organ, category, year)
            if score > best_score:
                best, best_score = param, score
        return best

    def parameter(self, key: str) -> Parameter:
        for param in self.parameters:
            if param.key == key:
                return param
        raise ConfigError(f"model has no parameter {key!r}")

    def group_of(self, hospital_category: str | None) -> str:
        """Universe group a hospital ``category`` belongs to (its own name if none)."""
        cat = hospital_category or "unknown"
        for group in self.universe:
            if cat in group.categories:
                return group.name
        return cat

    def with_scenario(self, scenario: str | None) -> Model:
        """This model with ``scenario``'s overrides applied (None: as is)."""
        return parse_model(self.raw, scenario=scenario)

    # -- presentation -------------------------------------------------------
    def parameters_table(self) -> pd.DataFrame:
        """One row per parameter: key, distribution, median, 5-95% range, citation."""
        rows = []
        for p in self.parameters:
            lo, hi = (float(v) for v in p.dist.ppf(np.array([0.05, 0.95])))
            rows.append(
                {
                    "key": p.key,
                    "name": p.name,
                    "organ": p.organ,
                    "category": p.category,
                    "year": p.year,
                    "unit": p.unit,
                    "distribution": p.dist.describe(),
                    "median": p.dist.median(),
                    "p05": lo,
                    "p95": hi,
                    "group": p.group,
                    "inferred": p.inferred,
                    "source": p.source,
                    "note": p.note,
                }
            )
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description: settings, parameters with citations, hash."""
        table = self.parameters_table()
        return {
            "name": self.name,
            "scenario": self.scenario,
            "scenarios": list(self.scenarios),
            "model_hash": self.hash,
            "country": self.country,
            "programme_start": self.programme_start,
            "fusion": self.fusion,
            "parameters": json.loads(table.to_json(orient="records")),
            "estimators": {
                k: {"enabled": v.enabled, "log_sd": v.log_sd, "source": v.source, "note": v.note}
                for k, v in self.estimators.items()
            },
            "qualifiers": {
                k: {"log_shift": v.log_shift, "log_sd": v.log_sd, "note": v.note}
                for k, v in self.qualifiers.items()
            },
            "universe": [
                {"name": g.name, "categories": list(g.categories), "source": g.source,
                 "note": g.note}
                for g in self.universe
            ],
        }


# ---------------------------------------------------------------------------
# parsing
# ---------------------------------------------------------------------------

_PARAM_META = {"name", "organ", "category", "year", "unit", "source", "note", "group"}


def parse_model_text(text: str, scenario: str | None = None, origin: str = "model") -> Model:
    """Parse TOML ``text`` into a :class:`Model` (``origin`` names it in errors)."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: not valid TOML: {exc}") from None
    return parse_model(raw, scenario=scenario, origin=origin)


def parse_model(
    raw: dict[str, Any], scenario: str | None = None, origin: str = "model"
) -> Model:
    """Validate a model dict (as read from TOML) and apply ``scenario``."""
    raw = copy.deepcopy(raw)
    scenarios = raw.get("scenarios", {}) or {}
    if not isinstance(scenarios, dict):
        raise ConfigError(f"{origin}: [scenarios] must be a table of named scenarios")
    effective = _apply_scenario(raw, scenario, scenarios, origin)

    settings = effective.get("model", {})
    organs = tuple(settings.get("organs", ["kidney", "liver", "heart", "lung"]))
    for organ in organs:
        if organ not in ORGANS or organ == "all":
            raise ConfigError(f"{origin}: [model] organs: unknown organ {organ!r}")
    fusion = str(settings.get("fusion", "precision"))
    if fusion not in FUSION_RULES:
        raise ConfigError(
            f"{origin}: [model] fusion must be one of {', '.join(FUSION_RULES)}, got {fusion!r}"
        )
    ceiling = _number(settings.get("occupancy_ceiling", 3.0), f"{origin}: occupancy_ceiling")
    if ceiling <= 0:
        raise ConfigError(f"{origin}: [model] occupancy_ceiling must be positive")

    parameters = tuple(
        _parse_parameter(entry, i, origin) for i, entry in enumerate(effective.get("parameter", []))
    )
    seen: set[str] = set()
    for p in parameters:
        if p.key in seen:
            raise ConfigError(f"{origin}: parameter {p.key} is declared twice")
        seen.add(p.key)
        if p.organ is not None and p.organ not in ORGANS:
            raise ConfigError(f"{origin}: parameter {p.key}: unknown organ {p.organ!r}")

    estimators: dict[str, EstimatorSetting] = {}
    for name, spec in (effective.get("estimators", {}) or {}).items():
        if name not in ESTIMATOR_NAMES:
            raise ConfigError(
                f"{origin}: [estimators.{name}] is not an estimator; "
                f"known: {', '.join(ESTIMATOR_NAMES)}"
            )
        log_sd = _number(spec.get("log_sd", 0.5), f"{origin}: estimators.{name}.log_sd")
        if log_sd <= 0:
            raise ConfigError(f"{origin}: estimators.{name}.log_sd must be positive")
        estimators[name] = EstimatorSetting(
            name, bool(spec.get("enabled", True)), log_sd,
            str(spec.get("source", "")), str(spec.get("note", "")),
        )
    for name in ESTIMATOR_NAMES:
        estimators.setdefault(name, EstimatorSetting(name, False, 1.0, "", "not in the model"))

    qualifiers: dict[str, QualifierEffect] = {
        "exact": QualifierEffect("exact", 0.0, 0.0, "taken as stated"),
    }
    for name, spec in (effective.get("qualifiers", {}) or {}).items():
        q = QualifierEffect(
            name,
            _number(spec.get("log_shift", 0.0), f"{origin}: qualifiers.{name}.log_shift"),
            _number(spec.get("log_sd", 0.0), f"{origin}: qualifiers.{name}.log_sd"),
            str(spec.get("note", "")),
        )
        if q.log_sd < 0:
            raise ConfigError(f"{origin}: qualifiers.{name}.log_sd must not be negative")
        qualifiers[name] = q

    universe = tuple(
        UniverseGroup(
            str(g["name"]),
            tuple(g.get("categories", [g["name"]])),
            str(g.get("source", "")),
            str(g.get("note", "")),
        )
        for g in effective.get("universe", [])
    )

    return Model(
        raw=raw,
        scenario=scenario,
        name=str(settings.get("name", "unnamed")),
        country=str(settings.get("country", "")),
        programme_start=int(settings.get("programme_start", 2000)),
        occupancy_ceiling=ceiling,
        fusion=fusion,
        evidence_window=int(settings.get("evidence_window_years", 3)),
        year_drift_sd=_number(settings.get("year_drift_sd", 0.1), f"{origin}: year_drift_sd"),
        min_peers=int(settings.get("min_peers", 3)),
        hospital_draws_kept=int(settings.get("hospital_draws_kept", 2000)),
        shrinkage=bool(settings.get("shrinkage", True)),
        between_hospital_log_sd=_positive(settings.get("between_hospital_log_sd", 0.7),
                                          f"{origin}: [model] between_hospital_log_sd"),
        organs=organs,
        official_series=tuple(settings.get("official_series", [])),
        parameters=parameters,
        estimators=estimators,
        qualifiers=qualifiers,
        universe=universe,
        scenarios=tuple(sorted(scenarios)),
    )


def _apply_scenario(
    raw: dict[str, Any], scenario: str | None, scenarios: dict[str, Any], origin: str
) -> dict[str, Any]:
    effective = {k: copy.deepcopy(v) for k, v in raw.items() if k != "scenarios"}
    if scenario is None:
        return effective
    if scenario not in scenarios:
        known = ", ".join(sorted(scenarios)) or "none"
        raise ConfigError(f"{origin}: no scenario {scenario!r} (known: {known})")
    over = scenarios[scenario]
    for section in ("model", "estimators", "qualifiers"):
        for key, value in (over.get(section, {}) or {}).items():
            target = effective.setdefault(section, {})
            if isinstance(value, dict) and isinstance(target.get(key), dict):
                target[key] = {**target[key], **value}
            else:
                target[key] = value
    params = effective.setdefault("parameter", [])
    for entry in over.get("parameter", []) or []:
        ident = tuple(entry.get(k) for k in ("name", "organ", "category", "year"))
        for i, old in enumerate(params):
            if tuple(old.get(k) for k in ("name", "organ", "category", "year")) == ident:
                params[i] = {**{k: old[k] for k in _PARAM_META if k in old}, **entry}
                break
        else:
            params.append(entry)
    return effective


def _parse_parameter(entry: dict[str, Any], index: int, origin: str) -> Parameter:
    if "name" not in entry:
        raise ConfigError(f"{origin}: [[parameter]] number {index + 1} has no name")
    where = f"{origin}: parameter {entry['name']!r}"
    spec = {k: v for k, v in entry.items() if k not in _PARAM_META}
    dist = Distribution.from_spec(spec, where)
    year = entry.get("year")
    return Parameter(
        name=str(entry["name"]),
        dist=dist,
        organ=entry.get("organ"),
        category=entry.get("category"),
        year=None if year is None else int(year),
        unit=str(entry.get("unit", "")),
        source=str(entry.get("source", "")),
        note=str(entry.get("note", "")),
        group=str(entry.get("group", entry["name"])),
    )


def _positive(value: Any, where: str) -> float:
    out = _number(value, where)
    if out <= 0:
        raise ConfigError(f"{where} must be positive")
    return out


def _number(value: Any, where: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{where} must be a number, got {value!r}") from None
    if not math.isfinite(out):
        raise ConfigError(f"{where} must be finite")
    return out


def default_model_text() -> str:
    """Text of the packaged default model (``estimate/models/default.toml``)."""
    return (
        resources.files("txaudit.estimate")
        .joinpath("models/default.toml")
        .read_text(encoding="utf-8")
    )


def load_model(path: str | Path | None = None, scenario: str | None = None) -> Model:
    """Read a model file, or the packaged default model when ``path`` is None.

    This is the only function of ``txaudit.estimate`` that reads anything: the
    CLI and notebooks call it; the engine itself takes a :class:`Model`.
    """
    if path is None:
        return parse_model_text(default_model_text(), scenario, origin="default model")
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such model file") from None
    return parse_model_text(text, scenario, origin=str(path))
