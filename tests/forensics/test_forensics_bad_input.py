"""Bad input: a clear InputError or a recorded warning, never a crash."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from txaudit.errors import InputError
from txaudit.forensics import as_series, formula_conformance, run_all


def _pairs(years: Iterable[Any], values: Iterable[Any]) -> list[tuple[Any, Any]]:
    return list(zip(years, values, strict=True))


def test_a_short_series_is_skipped_with_its_reason_not_computed() -> None:
    findings = run_all([120, 150, 170, 210])
    conformance = [f for f in findings if f.test == "formula_conformance"][0]
    assert conformance.skipped and "at least 6 years" in conformance.skipped
    assert conformance.p_value is None and not conformance.flagged
    assert all(f.to_dict()["test"] for f in findings)


def test_a_plain_list_is_numbered_from_year_one_with_a_warning() -> None:
    series = as_series([10, 20, 30])
    assert series.years.tolist() == [1, 2, 3]
    assert any("no years given" in w for w in series.warnings)


def test_gaps_in_years_are_recorded_and_the_fit_keeps_their_spacing() -> None:
    values = pd.Series([100.0, 400, 900, 2500, 3600, 4900, 6400], index=[1, 2, 3, 5, 6, 7, 8])
    series = as_series(values)
    assert series.missing_years == [4]
    assert any("years missing" in w for w in series.warnings)
    finding = formula_conformance(series, replicates=100)
    assert finding.details["fits"]["quadratic1"]["coefficients"]["a"] == pytest.approx(100)
    assert any("years missing" in w for w in finding.warnings)


def test_duplicated_years_with_different_values_are_an_input_error() -> None:
    with pytest.raises(InputError, match="2015 appears twice") as info:
        as_series([(2015, 2766), (2016, 4080), (2015, 2767)])
    assert info.value.field == "year"


def test_duplicated_years_with_the_same_value_are_counted_once_with_a_warning() -> None:
    series = as_series([(2015, 2766), (2016, 4080), (2015, 2766)])
    assert series.values.tolist() == [2766, 4080]
    assert any("listed twice" in w for w in series.warnings)


def test_negative_counts_are_an_input_error_with_a_hint() -> None:
    with pytest.raises(InputError, match="negative count") as info:
        as_series([(2015, 10), (2016, -3)])
    assert info.value.hint and "negative" in info.value.hint


def test_non_numeric_strings_name_file_line_and_field() -> None:
    frame = pd.DataFrame({"year": ["2015", "2016"], "value": ["2766", "about 4000"]})
    with pytest.raises(InputError) as info:
        as_series(frame, file="donors.csv")
    assert (info.value.file, info.value.line, info.value.field) == ("donors.csv", 3, "value")
    assert "'about 4000' is not a number" in str(info.value)


def test_thousands_separators_and_na_are_read() -> None:
    frame = pd.DataFrame({"year": [2015, 2016, 2017], "value": ["2,766", "NA", "5,146"]})
    series = as_series(frame)
    assert series.values.tolist() == [2766, 5146]
    assert any("missing values ignored for years 2016" in w for w in series.warnings)


def test_a_decreasing_cumulative_series_is_reported_not_crashed() -> None:
    cumulative = [100, 300, 700, 650, 1200, 1900, 2700, 3600]
    findings = run_all(_pairs(range(2010, 2018), cumulative), kind="cumulative",
                       replicates=100)
    by_test = {f.test: f for f in findings}
    assert by_test["cumulative_decreases"].flagged
    assert "2013" in by_test["cumulative_decreases"].verdict
    assert by_test["formula_conformance"].skipped
    assert any("decreases" in w for w in by_test["formula_conformance_cumulative"].warnings)


def test_rows_mixing_countries_ask_for_one() -> None:
    frame = pd.DataFrame({"year": [2015, 2015], "value": [1, 2], "country": ["A", "B"]})
    with pytest.raises(InputError, match="mix 2 values of 'country'"):
        as_series(frame)


def test_unknown_kind_and_bad_alpha_are_input_errors() -> None:
    with pytest.raises(InputError, match="unknown kind"):
        run_all([1, 2, 3], kind="monthly")
    with pytest.raises(InputError, match="alpha"):
        run_all([1, 2, 3], alpha=5)


def test_a_constant_series_is_skipped_not_divided_by_zero() -> None:
    finding = formula_conformance(as_series([500.0] * 9), replicates=50)
    assert finding.skipped and "do not vary" in finding.skipped
    assert np.isfinite(finding.alpha)


@given(st.permutations(list(range(9))))
def test_row_order_does_not_change_the_series(order: list[int]) -> None:
    pairs = [(2010 + i, 100 + 37 * i * i) for i in range(9)]
    shuffled = as_series([pairs[i] for i in order])
    assert shuffled.years.tolist() == list(range(2010, 2019))
    assert shuffled.values.tolist() == [float(v) for _, v in pairs]
