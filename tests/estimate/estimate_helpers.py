"""Small builders shared by the estimate tests: a point-valued model and frames."""

from __future__ import annotations

from typing import Any

import pandas as pd

from txaudit.estimate import parse_model_text
from txaudit.estimate.model import Model
from txaudit.frames import HOSPITAL_COLUMNS, OBSERVATION_COLUMNS, OFFICIAL_FIGURE_COLUMNS

#: Every parameter a point, estimator noise negligible: estimates equal hand calculations.
POINT_MODEL = """
[model]
name = "point"
country = "Testland"
organs = ["kidney", "liver"]
shrinkage = false
programme_start = 2000

[[parameter]]
name = "length_of_stay"
dist = "point"
value = 21
source = "test"

[[parameter]]
name = "bed_occupancy"
dist = "point"
value = 0.8
source = "test"

[[parameter]]
name = "ward_transplant_share"
dist = "point"
value = 1.0
source = "test"

[[parameter]]
name = "admission_transplant_share"
dist = "point"
value = 0.4
source = "test"

[[parameter]]
name = "claim_inflation"
dist = "point"
value = 1.25
source = "test"

[[parameter]]
name = "cumulative_growth"
dist = "point"
value = 0.0
source = "test"

[[parameter]]
name = "ops_per_surgeon_year"
dist = "point"
value = 40
source = "test"

[[parameter]]
name = "transplant_price"
dist = "point"
value = 300000
source = "test"

[[parameter]]
name = "min_capacity"
dist = "point"
value = 430
source = "test"

[[parameter]]
name = "organ_mix"
organ = "kidney"
dist = "point"
value = 0.628
source = "test"

[[parameter]]
name = "organ_mix"
organ = "liver"
dist = "point"
value = 0.372
source = "test"

[[parameter]]
name = "peak_days_per_year"
dist = "point"
value = 365
source = "test"

[estimators.bed_throughput]
log_sd = 1e-6
[estimators.ward_census]
log_sd = 1e-6
[estimators.admissions]
log_sd = 1e-6
[estimators.claimed_annual]
log_sd = 1e-6
[estimators.claimed_cumulative]
log_sd = 1e-6
[estimators.surgeon_capacity]
log_sd = 1e-6
[estimators.revenue]
log_sd = 1e-6
[estimators.min_capacity]
enabled = false
log_sd = 1e-6
"""


def point_model(extra: str = "") -> Model:
    return parse_model_text(POINT_MODEL + extra, origin="point model")


def obs(oid: str, hospital: str, indicator: str, value: float | None, **kw: Any) -> dict[str, Any]:
    from txaudit.vocabulary import unit_of

    row: dict[str, Any] = {c: None for c in OBSERVATION_COLUMNS}
    row.update({
        "observation_id": oid, "scope": "hospital", "hospital_id": hospital,
        "indicator": indicator, "organ": "kidney", "year": 2015, "value": value,
        "qualifier": "exact", "unit": unit_of(indicator), "grade": "B", "status": "current",
    })
    row.update(kw)
    return row


def observations(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(OBSERVATION_COLUMNS))


def hospitals(ids: list[str], category: str = "civilian", **kw: Any) -> pd.DataFrame:
    rows = []
    for hid in ids:
        row: dict[str, Any] = {c: None for c in HOSPITAL_COLUMNS}
        row.update({"hospital_id": hid, "name_en": f"Hospital {hid}", "province": "P",
                    "tier": "3A", "category": category})
        row.update(kw)
        rows.append(row)
    return pd.DataFrame(rows, columns=list(HOSPITAL_COLUMNS))


def official(year: int, organ: str, value: float, series: str = "testland:transplants_annual"
             ) -> pd.DataFrame:
    row: dict[str, Any] = {c: None for c in OFFICIAL_FIGURE_COLUMNS}
    row.update({"figure_id": f"fig-{year}-{organ}", "series": series, "publisher": "MoH",
                "country": "Testland", "year": year, "organ": organ,
                "indicator": "transplants_annual", "value": value, "unit": "count/year"})
    return pd.DataFrame([row], columns=list(OFFICIAL_FIGURE_COLUMNS))
