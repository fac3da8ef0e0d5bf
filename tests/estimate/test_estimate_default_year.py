"""Which year an estimate covers when the user names none."""

from __future__ import annotations

import pandas as pd

from txaudit.estimate import load_model
from txaudit.estimate.engine import default_years


def _obs(rows: list[tuple[str, float | None, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"hospital_id": h, "year": y, "as_of": a} for h, y, a in rows]
    )


def _official(years: list[int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": ["transplants_annual"] * len(years),
            "country": ["China"] * len(years),
            "year": years,
        }
    )


def test_default_year_prefers_the_official_year_with_most_hospital_evidence() -> None:
    model = load_model()
    # 2015: three hospitals (two by snapshot date); 2022: one hospital
    obs = _obs([("a", 2015, None), ("b", None, "2015-03"), ("c", None, "2015"),
                ("d", 2022, None)])
    assert default_years(_official([2015, 2022]), obs, model) == [2015]


def test_default_year_ties_go_to_the_later_year() -> None:
    model = load_model()
    obs = _obs([("a", 2015, None), ("b", 2018, None)])
    assert default_years(_official([2015, 2018]), obs, model) == [2018]


def test_default_year_without_official_figures_is_the_best_evidenced_year() -> None:
    model = load_model()
    obs = _obs([("a", 2010, None), ("b", 2010, None), ("a", 2012, None)])
    assert default_years(None, obs, model) == [2010]
