"""How numbers are written: significant figures, counts, p-values, shares."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from txaudit.report.numbers import (
    fmt_estimate,
    fmt_int,
    fmt_p,
    fmt_plain,
    fmt_ratio,
    fmt_share,
    fmt_stat,
    round_sig,
)


@pytest.mark.parametrize(
    ("x", "digits", "expected"),
    [(64873, 2, 65000), (64873, 3, 64900), (0.012345, 2, 0.012), (-1234, 2, -1200),
     (0, 3, 0), (99999, 2, 100000)],
)
def test_round_sig_rounds_to_significant_figures(x: float, digits: int, expected: float) -> None:
    assert round_sig(x, digits) == pytest.approx(expected, rel=1e-12)


@given(st.floats(min_value=1e-6, max_value=1e9), st.integers(min_value=1, max_value=6))
def test_round_sig_stays_within_half_a_unit_of_the_last_kept_digit(x: float, d: int) -> None:
    r = round_sig(x, d)
    unit = 10 ** (math.floor(math.log10(x)) - d + 1)
    assert abs(r - x) <= unit / 2 * (1 + 1e-9)


def test_estimates_are_printed_without_false_precision() -> None:
    assert fmt_estimate(64873.2) == "64,900"
    assert fmt_plain(64873.2) == "65,000"
    assert fmt_plain(48123) == "48,000"
    assert fmt_estimate(3.14159) == "3.14"
    assert fmt_estimate(0.5) == "0.5"
    assert fmt_estimate(float("nan")) == "n/a"


def test_official_counts_are_printed_as_published() -> None:
    assert fmt_int(10057) == "10,057"
    assert fmt_int(10057.0) == "10,057"
    assert fmt_int(2.5) == "2.50"


def test_p_values_ratios_shares_and_statistics() -> None:
    assert fmt_p(0.0004) == "<0.001"
    assert fmt_p(0.0312) == "0.031"
    assert fmt_p(0.9999) == ">0.999"
    assert fmt_p(None) == "n/a"
    assert fmt_ratio(6.43) == "6.4×"
    assert fmt_share(0.0432) == "4.3%"
    assert fmt_stat(0.99951) == "0.9995"
    assert fmt_stat(1.5e-5) == "1.500e-05"
    assert fmt_stat(None) == "n/a"
