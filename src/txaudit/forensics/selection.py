"""Which of a country's official series the audit report puts through the forensic tests.

Pure: OfficialFigure rows in (see :data:`txaudit.frames.OFFICIAL_FIGURE_COLUMNS`),
chosen series and findings out. The report tests one series per (indicator, organ)
rather than every series in the store, because the store often holds a total and its
parts, or the same figures under several publishers' names, and testing them all would
repeat one finding many times over.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from txaudit.errors import TxauditError
from txaudit.forensics.finding import Finding
from txaudit.forensics.panel import ReferencePanel
from txaudit.forensics.runner import run_all

#: the indicators whose national series the report tests
TESTED_INDICATORS = ("transplants_annual", "deceased_donors")
#: a series needs at least this many distinct years to be tested
MIN_YEARS = 6
#: publisher whose rows form the reference panel of the conformance test
PANEL_PUBLISHER = "GODT"


def national_series(official: pd.DataFrame | None, country: str) -> list[tuple[str, pd.DataFrame]]:
    """``(series name, rows)`` of the country's national series worth testing.

    For each (indicator, organ) of ``transplants_annual`` and ``deceased_donors``, the
    national series (no region) with the most distinct years, at least
    :data:`MIN_YEARS`, is kept; among series with as many years, the one whose values
    sum highest (a total rather than one of its parts; on a full tie, the first name
    in sort order). Rows without a value are left out; each series keeps one row per
    year (the first), sorted by year. The result is sorted by (indicator, organ). The
    country is matched without regard to case.
    """
    if official is None or not len(official):
        return []
    off = official[official["value"].notna()]
    national = off[(off["country"].fillna("").str.lower() == country.lower())
                   & off["region"].isna()
                   & off["indicator"].isin(list(TESTED_INDICATORS))]
    chosen: list[tuple[str, pd.DataFrame]] = []
    for _, group in national.groupby(["indicator", "organ"], sort=True):
        best: tuple[tuple[int, float], str, pd.DataFrame] | None = None
        for name, rows in group.groupby("series", sort=True):
            rows = rows.sort_values("year").drop_duplicates("year")
            score = (rows["year"].nunique(), float(rows["value"].sum()))
            if rows["year"].nunique() >= MIN_YEARS and (best is None or score > best[0]):
                best = (score, str(name), rows)
        if best is not None:
            chosen.append((best[1], best[2]))
    return chosen


def transplant_pair(
    chosen: list[tuple[str, pd.DataFrame]],
) -> list[tuple[str, pd.DataFrame]]:
    """The two per-organ transplant series with the largest sums, largest first.

    Empty when fewer than two per-organ (organ other than ``all``) series of
    ``transplants_annual`` were chosen. The report tests the first against the second
    (ratio stability, values repeated across series).
    """
    transplants = sorted((c for c in chosen if c[1]["indicator"].iloc[0] == "transplants_annual"
                          and c[1]["organ"].iloc[0] != "all"),
                         key=lambda c: -float(c[1]["value"].sum()))
    return transplants[:2] if len(transplants) >= 2 else []


def panel_from(official: pd.DataFrame | None) -> ReferencePanel | None:
    """The GODT reference panel built from the OfficialFigure rows, or None without them."""
    if official is None or not len(official):
        return None
    off = official[official["value"].notna()]
    rows = off[off["publisher"].fillna("") == PANEL_PUBLISHER]
    return ReferencePanel.from_frame(rows) if len(rows) else None


def forensics_for_country(
    official: pd.DataFrame | None, country: str, *, seed: int | None = 0
) -> tuple[list[Finding], list[str]]:
    """``(findings, warnings)`` of the forensic tests on the country's national series.

    Each series of :func:`national_series` goes through :func:`run_all`; the first of
    :func:`transplant_pair` is also tested against the second. The GODT rows among
    ``official``, when present, calibrate the formula-conformance test
    (:func:`panel_from`). A series the tests cannot read does not stop the others: it
    adds a warning ``"forensic tests of NAME could not run: REASON"`` instead.
    """
    chosen = national_series(official, country)
    if not chosen:
        return [], []
    panel = panel_from(official)
    paired = transplant_pair(chosen)
    findings: list[Finding] = []
    notes: list[str] = []
    for name, rows in chosen:
        against: Any = None
        if paired and name == paired[0][0]:
            against = paired[1][1]
        try:
            findings += run_all(rows, against, panel=panel, seed=seed, name=name,
                                against_name=paired[1][0] if against is not None else None)
        except TxauditError as exc:
            notes.append(f"forensic tests of {name} could not run: {exc}")
    return findings, notes
