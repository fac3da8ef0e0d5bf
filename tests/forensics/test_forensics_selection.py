"""Which official series `txaudit report` puts through the forensic tests.

The choice lives in :mod:`txaudit.forensics.selection` (pure, on OfficialFigure rows);
`txaudit report` calls it through :func:`txaudit.audit.run_audit`.
"""

from __future__ import annotations

import pandas as pd

from txaudit.forensics import ReferencePanel
from txaudit.forensics.selection import (
    forensics_for_country,
    national_series,
    panel_from,
    transplant_pair,
)
from txaudit.frames import OFFICIAL_FIGURE_COLUMNS


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
    findings, notes = forensics_for_country(off, "China", seed=0)
    assert notes == []
    subjects = {tuple(ref.series for ref in f.inputs) for f in findings}
    assert ("x:kidney_total",) in subjects and ("x:liver_total",) in subjects
    assert ("x:kidney_total", "x:liver_total") in subjects  # the pair
    tested = {s for pair in subjects for s in pair}
    assert tested == {"x:kidney_total", "x:liver_total"}


def test_no_national_series_long_enough_means_no_findings() -> None:
    off = pd.DataFrame(_series("x:short", "all", [1, 2, 3]), columns=OFFICIAL_FIGURE_COLUMNS)
    assert forensics_for_country(off, "China", seed=0) == ([], [])
    assert forensics_for_country(off.iloc[0:0], "China", seed=0) == ([], [])
    assert forensics_for_country(None, "China", seed=0) == ([], [])


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=OFFICIAL_FIGURE_COLUMNS)


def test_among_series_with_as_many_years_the_one_with_the_larger_sum_is_chosen() -> None:
    # both have 6 years; sums 6*100 + 15 = 615 against 6*10 + 15 = 75
    off = _frame(_series("x:part", "kidney", [10 + i for i in range(6)])
                 + _series("x:total", "kidney", [100 + i for i in range(6)]))
    [(name, rows)] = national_series(off, "China")
    assert name == "x:total"
    assert rows["year"].tolist() == list(range(2004, 2010))


def test_more_years_beat_larger_values() -> None:
    # 7 small values outrank 6 large ones: years are compared before sums
    off = _frame(_series("x:long", "liver", [1.0] * 7)
                 + _series("x:big", "liver", [1e6] * 6))
    assert [n for n, _ in national_series(off, "China")] == ["x:long"]


def test_regions_other_indicators_missing_values_and_other_countries_are_left_out() -> None:
    regional = _series("x:province", "all", [5.0] * 8)
    for row in regional:
        row["region"] = "Guangdong"
    holes = _series("x:holes", "heart", [1, 2, None, 4, 5, 6])  # 5 years with a value
    off = _frame(regional
                 + _series("x:pop", "all", [1e9] * 8, indicator="population")
                 + holes
                 + _series("x:es", "lung", [50.0] * 8, country="Spain"))
    assert national_series(off, "China") == []
    # the country is matched without regard to case
    assert [n for n, _ in national_series(off, "spain")] == ["x:es"]


def test_a_year_given_twice_counts_once_and_keeps_its_first_row() -> None:
    rows = _series("x:dup", "all", [7, 8, 9, 10, 11], indicator="deceased_donors")
    again = dict(rows[0], figure_id="x:dup-again", value=999)
    off = _frame(rows + [again])
    assert national_series(off, "China") == []  # still only five distinct years
    rows6 = _series("x:dup", "all", [7, 8, 9, 10, 11, 12], indicator="deceased_donors")
    off6 = _frame(rows6 + [dict(rows6[0], figure_id="x:dup-again", value=999)])
    [(_, chosen)] = national_series(off6, "China")
    assert chosen["value"].tolist() == [7, 8, 9, 10, 11, 12]


def test_the_pair_is_the_two_largest_per_organ_transplant_series_largest_first() -> None:
    off = _frame(_series("x:all", "all", [9000.0] * 6)
                 + _series("x:donors", "all", [8000.0] * 6, indicator="deceased_donors")
                 + _series("x:heart", "heart", [10.0] * 6)
                 + _series("x:liver", "liver", [300.0] * 6)
                 + _series("x:kidney", "kidney", [500.0] * 6))
    chosen = national_series(off, "China")
    assert [n for n, _ in transplant_pair(chosen)] == ["x:kidney", "x:liver"]
    only_one = [c for c in chosen if c[0] in ("x:all", "x:donors", "x:heart")]
    assert transplant_pair(only_one) == []


def test_the_panel_is_built_from_godt_rows_only() -> None:
    off = _frame(_series("x:kidney", "kidney", [500.0] * 6))
    assert panel_from(off) is None
    assert panel_from(None) is None
    godt = _series("godt:actual_dd", "all", [float(20 + 3 * i) for i in range(12)],
                   country="Spain", indicator="deceased_donors")
    for row in godt:
        row["publisher"] = "GODT"
    panel = panel_from(_frame(godt + _series("x:kidney", "kidney", [500.0] * 6)))
    assert isinstance(panel, ReferencePanel)
    assert set(panel.frame["publisher"]) == {"GODT"}


def test_a_series_the_tests_cannot_read_becomes_a_warning_and_the_others_still_run() -> None:
    bad = [5000.0, 5100.0, -1.0, 5300.0, 5400.0, 5500.0]  # a negative count is refused
    off = _frame(_series("x:kidney_bad", "kidney", bad)
                 + _series("x:donors", "all", [float(1000 + 37 * i + (i % 3) * 11)
                                               for i in range(8)],
                           indicator="deceased_donors"))
    findings, notes = forensics_for_country(off, "China", seed=0)
    assert len(notes) == 1
    assert notes[0].startswith("forensic tests of x:kidney_bad could not run: ")
    assert findings
    assert {ref.series for f in findings for ref in f.inputs} == {"x:donors"}
