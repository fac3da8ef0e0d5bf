"""Fixtures of the forensics tests: the bundled GODT panel as OfficialFigure rows."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd
import pytest

from txaudit.forensics import ReferencePanel

_SEED_COLUMNS = {
    "TOTAL Actual DD": ("godt:actual_dd", "deceased_donors", "all"),
    "TOTAL Kidney Tx": ("godt:kidney_tx_total", "transplants_annual", "kidney"),
    "TOTAL Liver TX": ("godt:liver_tx_total", "transplants_annual", "liver"),
}


def _panel_from_seed() -> pd.DataFrame:
    """Build the three panel series from the raw GODT seed file (fallback only)."""
    path = resources.files("txaudit") / "data/seed/global-organ-donation_2018.csv"
    with path.open("rb") as handle:
        raw = pd.read_csv(handle)
    rows = []
    for column, (series, indicator, organ) in _SEED_COLUMNS.items():
        part = raw[["COUNTRY", "REPORTYEAR", column]].dropna()
        for country, year, value in part.itertuples(index=False):
            rows.append({
                "figure_id": f"seed-{country}-{year}-{series}", "series": series,
                "publisher": "GODT", "country": country, "region": None, "year": int(year),
                "organ": organ, "indicator": indicator, "value": float(value),
                "unit": "count/year", "cited_url": "seed:global-organ-donation_2018.csv",
            })
    return pd.DataFrame(rows)


def load_official_figures() -> pd.DataFrame:
    """The bundled official figures (or, if absent, the panel rebuilt from the seed)."""
    path = resources.files("txaudit") / "data/bundled/official_figures.csv"
    if path.is_file():
        with path.open("rb") as handle:
            return pd.read_csv(handle, dtype={"figure_id": str})
    return _panel_from_seed()


@pytest.fixture(scope="session")
def official_figures() -> pd.DataFrame:
    return load_official_figures()


@pytest.fixture(scope="session")
def panel(official_figures: pd.DataFrame) -> ReferencePanel:
    return ReferencePanel.from_frame(official_figures)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261201)
