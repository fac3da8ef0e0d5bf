"""From evidence frames to estimator rows: checks, selection and warnings.

:func:`check_observations` validates the observation frame once (stopping on
impossible values, recording warnings for unusable rows); :func:`prepare_year`
then builds, for one year, the list of hospital-organ :class:`Unit` s with the
estimator rows their evidence supports.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from txaudit.errors import ConfigError, EstimationError, InputError
from txaudit.estimate.base import EstimatorRow, Note, Reading
from txaudit.estimate.estimators import ESTIMATORS, peak_day_bound
from txaudit.estimate.model import Model
from txaudit.frames import HOSPITAL_COLUMNS, OBSERVATION_COLUMNS
from txaudit.vocabulary import INDICATORS

_GRADE_RANK = {"A": 0, "B": 1, "C": 2, "D": 3}
_NEEDED_OBS = ("observation_id", "hospital_id", "indicator", "organ", "year", "value")


@dataclass
class Unit:
    """One hospital and organ in one year: its estimator rows, or imputed when none."""

    hospital_id: str
    organ: str
    year: int
    name: str
    category: str
    group: str
    tier: str
    province: str
    rows: list[EstimatorRow] = field(default_factory=list)
    upper_bound: float | None = None
    bound_observation: str | None = None

    @property
    def imputed(self) -> bool:
        return not self.rows


@dataclass
class Checked:
    """Observations that passed the checks, plus the warnings the checks recorded."""

    observations: pd.DataFrame
    notes: list[Note]
    spans: dict[str, tuple[int, int, float]]


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    text = str(value).strip()
    return text or None


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def _int(value: Any) -> int | None:
    out = _num(value)
    return None if out is None else int(out)


def check_observations(observations: pd.DataFrame, model: Model) -> Checked:
    """Validate hospital-level observations before estimation.

    An observation without ``year`` but with an ``as_of`` date (a value read on
    a dated web page) is taken as that year's value, with one summary warning.
    Stops (:class:`EstimationError`) on values that make the arithmetic
    impossible: a length of stay of zero or less, an occupancy below 0 or above
    the model's ``occupancy_ceiling``. Records a warning and leaves the row out
    when estimation can go on: unknown indicator, a unit that does not match the
    indicator's, no period, a cumulative claim starting before the programme, a
    value of zero in a count that is read in log space.
    """
    missing = [c for c in _NEEDED_OBS if c not in observations.columns]
    if missing:
        raise InputError(
            f"observation frame lacks column(s) {', '.join(missing)}",
            file="observations",
            field=missing[0],
            hint="expected the columns of txaudit.frames.OBSERVATION_COLUMNS: "
            + ", ".join(OBSERVATION_COLUMNS),
        )
    obs = observations
    if "status" in obs.columns:
        obs = obs[obs["status"].fillna("current") == "current"]
    if "scope" in obs.columns:
        other = obs[obs["scope"].fillna("hospital") != "hospital"]
        obs = obs[obs["scope"].fillna("hospital") == "hospital"]
    else:
        other = obs.iloc[0:0]
    notes: list[Note] = []
    if len(other):
        notes.append(
            Note(
                "not_hospital_scope",
                f"{len(other)} province- or nation-level observations are not used by "
                "per-hospital estimators",
            )
        )
    keep: list[int] = []
    snapshot_years: dict[int, int] = {}
    spans: dict[str, tuple[int, int, float]] = {}
    records = obs.to_dict("records")
    for i, rec in enumerate(records):
        oid = str(rec["observation_id"])
        hid = _text(rec.get("hospital_id"))
        ind = _text(rec.get("indicator")) or ""

        def note(code: str, message: str, _oid: str = oid, _hid: str | None = hid,
                 _ind: str = ind) -> None:
            notes.append(Note(code, message, _hid, _ind, _oid))

        if hid is None:
            note("no_hospital", "hospital-scope observation without hospital_id; not used")
            continue
        if ind not in INDICATORS:
            note("unknown_indicator", f"indicator {ind!r} is not in the vocabulary; not used")
            continue
        unit = _text(rec.get("unit"))
        if unit is not None and unit != INDICATORS[ind].unit:
            note(
                "unit_mismatch",
                f"unit {unit!r} does not match {ind}'s unit {INDICATORS[ind].unit!r}; not used",
            )
            continue
        value, low, high = _num(rec.get("value")), _num(rec.get("low")), _num(rec.get("high"))
        if value is None and (low is None or high is None):
            note("no_value", "observation has no value; not used")
            continue
        central = value if value is not None else math.sqrt(max(low or 0, 0) * max(high or 0, 0))
        where = f"hospital {hid}, indicator {ind}, observation {oid}"
        if ind == "avg_length_of_stay" and (central <= 0 or (low is not None and low <= 0)):
            raise EstimationError(
                f"{where}: length of stay must be above 0 days, got {central:g}"
            )
        if ind == "bed_occupancy":
            for v in (central, low, high):
                if v is not None and (v < 0 or v > model.occupancy_ceiling):
                    raise EstimationError(
                        f"{where}: occupancy {v:g} is outside 0-{model.occupancy_ceiling:g} "
                        "(fractions: 1.3 = 130%; raise occupancy_ceiling in the model if "
                        "the value is right)"
                    )
        if central <= 0:
            note("zero_value", f"value {central:g} cannot be used (estimates are multiplicative)")
            continue
        if INDICATORS[ind].cumulative:
            since = _int(rec.get("since_year"))
            as_of = _text(rec.get("as_of"))
            if since is None or as_of is None:
                note("no_period", "cumulative claim without since_year and as_of; not used")
                continue
            last, frac = _as_of(as_of)
            if last is None:
                note("no_period", f"as_of {as_of!r} is not a date; not used")
                continue
            first = since
            if since < model.programme_start:
                note(
                    "before_programme",
                    f"cumulative claim counted since {since}, before the programme start "
                    f"{model.programme_start}; spread from {model.programme_start}",
                )
                first = model.programme_start
            if last < first:
                note("no_period", f"as_of {as_of} is before the first counted year {first}")
                continue
            spans[oid] = (first, last, frac)
        elif _int(rec.get("year")) is None:
            snapshot = _as_of(_text(rec.get("as_of")) or "")[0]
            if snapshot is None:
                note("no_period", "observation has neither a year nor an as_of date; not used")
                continue
            # a value read on a dated page (a snapshot) is taken as that year's value
            snapshot_years[i] = snapshot
        keep.append(i)
    if snapshot_years:
        notes.append(Note(
            "snapshot_year",
            f"{len(snapshot_years)} observations have no year; the year of their as_of "
            "(snapshot) date is used instead",
        ))
    kept = obs.iloc[keep].copy()
    if snapshot_years:
        years = [snapshot_years.get(i, _int(records[i].get("year"))) for i in keep]
        kept["year"] = pd.array(years, dtype="Int64")
    return Checked(kept, notes, spans)


def _as_of(text: str) -> tuple[int | None, float]:
    """Year of an ISO date and the fraction of that year elapsed by it."""
    try:
        if len(text) == 4:
            return int(text), 1.0
        day = date.fromisoformat(text[:10])
    except ValueError:
        return None, 1.0
    start = date(day.year, 1, 1)
    length = (date(day.year + 1, 1, 1) - start).days
    return day.year, ((day - start).days + 1) / length


class _Ctx:
    """Context handed to estimators for one hospital, organ and year."""

    def __init__(
        self,
        model: Model,
        hospital: dict[str, Any],
        organ: str,
        year: int,
        by_indicator: dict[str, list[dict[str, Any]]],
        spans: dict[str, tuple[int, int, float]],
        approved: bool,
    ) -> None:
        self.model = model
        self.hospital_id = str(hospital["hospital_id"])
        self.category = hospital["category"]
        self.organ = organ
        self.year = year
        self.programme_start = model.programme_start
        self._obs = by_indicator
        self.spans = spans
        self.approved = approved

    def reading(
        self, indicator: str, extensive: bool = True
    ) -> tuple[Reading, dict[str, float]] | None:
        best: tuple[Any, ...] | None = None
        chosen: dict[str, Any] | None = None
        for rec in self._obs.get(indicator, []):
            organ = rec["organ"]
            if organ not in (self.organ, "all"):
                continue
            if INDICATORS[indicator].cumulative:
                first, last, _ = self.spans[str(rec["observation_id"])]
                if self.year < first or self.year > last + self.model.evidence_window:
                    continue
                distance = max(0, self.year - last)
            else:
                distance = abs(int(rec["year"]) - self.year)
                if distance > self.model.evidence_window:
                    continue
            key = (
                distance,
                organ != self.organ,
                _GRADE_RANK.get(str(rec.get("grade")), 4),
                -(int(rec["year"]) if _int(rec.get("year")) is not None else 0),
                str(rec["observation_id"]),
            )
            if best is None or key < best:
                best, chosen = key, rec
        if chosen is None or best is None:
            return None
        reading = self._read(chosen, indicator, int(best[0]))
        extra: dict[str, float] = {}
        if chosen["organ"] == "all" and extensive:
            extra[self.param("organ_mix", indicator, reading.observation_id)] = 1.0
        return reading, extra

    def _read(self, rec: dict[str, Any], indicator: str, distance: int) -> Reading:
        oid = str(rec["observation_id"])
        value, low, high = _num(rec.get("value")), _num(rec.get("low")), _num(rec.get("high"))
        qualifier = _text(rec.get("qualifier")) or "exact"
        if qualifier == "range" and low is not None and high is not None and 0 < low <= high:
            log_value = 0.5 * (math.log(low) + math.log(high))
            log_var = (math.log(high) - math.log(low)) ** 2 / 12.0
            value = value if value is not None else math.exp(log_value)
        else:
            effect = self.model.qualifiers.get(qualifier) or self.model.qualifiers["exact"]
            assert value is not None
            log_value = math.log(value) + effect.log_shift
            log_var = effect.log_sd**2
        log_var += (distance * self.model.year_drift_sd) ** 2
        return Reading(
            oid, indicator, float(value), log_value, log_var, _int(rec.get("year")),
            str(rec["organ"]), distance,
        )

    def param(self, name: str, indicator: str, observation_id: str | None) -> str:
        found = self.model.find(name, self.organ, self.model.group_of(self.category), self.year)
        if found is None:
            found = self.model.find(name, self.organ, self.category, self.year)
        if found is None:
            raise EstimationError(
                f"hospital {self.hospital_id}, indicator {indicator}, observation "
                f"{observation_id or '-'}: the model has no assumption {name!r} for organ "
                f"{self.organ} (add a [[parameter]] named {name!r})"
            )
        if name != "cumulative_growth" and not found.dist.positive():
            raise ConfigError(
                f"parameter {found.key} can reach {found.dist.support()[0]:g}; estimators "
                "take its logarithm, so it must stay above 0 (truncate it)"
            )
        return found.key

    def log_sd(self, estimator: str) -> float:
        return self.model.estimators[estimator].log_sd


def hospital_table(hospitals: pd.DataFrame, observations: pd.DataFrame) -> tuple[
    list[dict[str, Any]], list[Note]
]:
    """Hospitals as records sorted by id; hospitals seen only in observations added."""
    notes: list[Note] = []
    cols = [c for c in HOSPITAL_COLUMNS if c in hospitals.columns]
    if "hospital_id" not in cols and len(hospitals):
        raise InputError("hospital frame lacks column hospital_id", file="hospitals",
                         field="hospital_id")
    records: dict[str, dict[str, Any]] = {}
    for rec in hospitals[cols].to_dict("records") if len(hospitals) else []:
        hid = str(rec["hospital_id"])
        records[hid] = {
            "hospital_id": hid,
            "name": _text(rec.get("name_en")) or _text(rec.get("name_zh")) or hid,
            "category": _text(rec.get("category")) or "unknown",
            "tier": _text(rec.get("tier")) or "unknown",
            "province": _text(rec.get("province")) or "unknown",
            "approved_organs": tuple(
                (_text(rec.get("approved_organs")) or "").replace(",", ";").split(";")
            ) if _text(rec.get("approved_organs")) else None,
        }
    for hid in sorted({str(h) for h in observations["hospital_id"].dropna()} - set(records)):
        notes.append(
            Note("unlisted_hospital",
                 "hospital has observations but is not in the hospital list; category unknown",
                 hid)
        )
        records[hid] = {
            "hospital_id": hid, "name": hid, "category": "unknown", "tier": "unknown",
            "province": "unknown", "approved_organs": None,
        }
    return [records[k] for k in sorted(records)], notes


def prepare_year(
    model: Model,
    hospitals: list[dict[str, Any]],
    checked: Checked,
    year: int,
) -> tuple[list[Unit], list[Note]]:
    """Units (hospital x organ) for ``year`` in canonical order, with their rows."""
    notes: list[Note] = []
    obs = checked.observations
    grouped: dict[str, dict[str, list[dict[str, Any]]]] = {}
    records: list[dict[str, Any]] = obs.to_dict("records")  # type: ignore[assignment]
    for rec in records:
        grouped.setdefault(str(rec["hospital_id"]), {}).setdefault(
            str(rec["indicator"]), []
        ).append(rec)
    units: list[Unit] = []
    peak = model.find("peak_days_per_year")
    for hosp in hospitals:
        hid = hosp["hospital_id"]
        by_ind = grouped.get(hid, {})
        group = model.group_of(hosp["category"])
        for organ in model.organs:
            approved_for = hosp["approved_organs"] is not None and organ in hosp["approved_organs"]
            ctx = _Ctx(model, hosp, organ, year, by_ind, checked.spans,
                       approved=group == "approved" and (
                           hosp["approved_organs"] is None or approved_for))
            rows: list[EstimatorRow] = []
            for est in ESTIMATORS:
                if not model.estimators[est.name].enabled or est.name == "min_capacity":
                    continue
                row = est.build(ctx)
                if row is not None:
                    rows.append(row)
            if not rows and not approved_for:
                continue
            if model.estimators["min_capacity"].enabled:
                row = ESTIMATORS[-1].build(ctx)
                if row is not None:
                    rows.append(row)
            unit = Unit(hid, organ, year, hosp["name"], hosp["category"], group,
                        hosp["tier"], hosp["province"], rows)
            found = ctx.reading("transplants_peak_day")
            if found is not None and peak is not None:
                reading, _ = found
                unit.upper_bound = peak_day_bound(reading.value, peak.dist.median())
                unit.bound_observation = reading.observation_id
            units.append(unit)
    return units, notes
