"""Which official series `txaudit report` puts through the forensic tests."""

from __future__ import annotations

import pandas as pd
import pytest

from txaudit.cli.report import _forensic_findings
from txaudit.frames import OFFICIAL_FIGURE_COLUMNS

pytest.importorskip("txaudit.forensics", reason="forensics part not present")


def _series(name: str, organ: str, values: list[float], country: str = "China",
            indicator: str = "transplants_annual", start: int = 2004) -> list[dict[str, object]]:
    return [dict(figure_id=f"{name}-{start + i}", series=name, publisher="X", country=country,
                 region=None, year=start + i, organ=organ, indicator=indicator, value=v,
                 unit="count/year", source_sha256="a" * 64, source_locator="l",
                 cited_url="https://example.org", cited_locator="t", note="")
            for i, v in enumerate(values)]


def test_the_total_series_with_most_years_is_tested_and_the_two_largest_are_paired() -> None:
    kidney_total = [5000 + 300 * i + (i % 3) * 41 for i in range(10)]
    rows = (
        _series("x:kidney_total", "kidney", kidney_total)
        + _series("x:kidney_living", "kidney", [v / 3 for v in kidney_total])
        + _series("x:liver_total", "liver", [2000 + 150 * i + (i % 4) * 17 for i in range(10)])
        + _series("x:heart_total", "heart", [100 + 5 * i for i in range(5)])  # too short
        + _series("x:lung_other_country", "lung", [50 + i for i in range(10)], country="Spain")
    )
    off = pd.DataFrame(rows, columns=OFFICIAL_FIGURE_COLUMNS)
    findings = _forensic_findings(off, "China", seed=0)
    subjects = {tuple(ref.series for ref in f.inputs) for f in findings}
    assert ("x:kidney_total",) in subjects and ("x:liver_total",) in subjects
    assert ("x:kidney_total", "x:liver_total") in subjects  # the pair
    tested = {s for pair in subjects for s in pair}
    assert tested == {"x:kidney_total", "x:liver_total"}


def test_no_national_series_long_enough_means_no_findings() -> None:
    off = pd.DataFrame(_series("x:short", "all", [1, 2, 3]), columns=OFFICIAL_FIGURE_COLUMNS)
    assert _forensic_findings(off, "China", seed=0) == []
    assert _forensic_findings(off.iloc[0:0], "China", seed=0) == []
