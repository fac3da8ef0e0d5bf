"""Digit tests against scipy.stats.chisquare."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import stats

from txaudit.forensics import SourceRef, benford, terminal_digits
from txaudit.forensics.digits import BENFORD, chi_square

SRC = [SourceRef(series="test")]


def test_terminal_digit_chi_square_equals_scipy(rng: np.random.Generator) -> None:
    values = rng.integers(10, 5000, size=400)
    finding = terminal_digits(values, SRC)
    counts = np.bincount(values % 10, minlength=10)
    ref = stats.chisquare(counts)
    assert finding.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert finding.p_value == pytest.approx(ref.pvalue, rel=1e-9)
    assert finding.details["method"].startswith("chi-square")


def test_benford_chi_square_equals_scipy(rng: np.random.Generator) -> None:
    values = 10 ** rng.uniform(1, 6, size=500)
    finding = benford(values, SRC)
    first = np.array([int(f"{v:e}"[0]) for v in values])
    counts = np.bincount(first, minlength=10)[1:]
    ref = stats.chisquare(counts, f_exp=BENFORD * counts.sum())
    assert finding.statistic == pytest.approx(ref.statistic, rel=1e-9)
    assert finding.p_value == pytest.approx(ref.pvalue, rel=1e-6)
    assert not finding.flagged  # log-uniform values follow Benford


def _exact_multinomial_p(counts: np.ndarray) -> float:
    """Exact tail: sum of multinomial probabilities of every outcome with X^2 >= observed."""
    n = int(counts.sum())
    observed = chi_square(counts.astype(float), np.full(10, 0.1))
    total = 0.0
    for combo in itertools.combinations_with_replacement(range(10), n):
        outcome = np.bincount(combo, minlength=10)
        if chi_square(outcome.astype(float), np.full(10, 0.1)) >= observed - 1e-9:
            total += math.exp(
                math.lgamma(n + 1) - sum(math.lgamma(k + 1) for k in outcome) - n * math.log(10)
            )
    return total


def test_small_sets_use_monte_carlo_close_to_the_exact_multinomial_tail() -> None:
    """n = 10: the exact tail is enumerated over all 92,378 outcomes; Monte Carlo with
    40,000 draws has standard error below 0.0025, so 0.01 is a safe tolerance."""
    values = np.array([12, 22, 32, 45, 55, 61, 77, 88, 90, 13])
    finding = terminal_digits(values, SRC, replicates=40000, seed=1)
    assert finding.details["method"].startswith("Monte Carlo")
    counts = np.bincount(values % 10, minlength=10)
    assert finding.statistic == pytest.approx(stats.chisquare(counts).statistic)
    assert finding.p_value == pytest.approx(_exact_multinomial_p(counts), abs=0.01)
    assert any("power is low" in c for c in finding.caveats)


def test_rounded_values_are_flagged_by_the_terminal_digit_test() -> None:
    values = np.array([1200, 1350, 1500, 1650, 1800, 2000, 2100, 2250, 2400, 2500, 2700, 2850])
    finding = terminal_digits(values, SRC)
    assert finding.flagged
    assert "digit 0" in finding.verdict


def test_digit_tests_skip_too_small_sets_with_a_reason() -> None:
    assert terminal_digits([15, 27, 33], SRC).skipped is not None
    finding = benford([15, 27, 33], SRC)
    assert finding.skipped and "at least 20" in finding.skipped
    assert finding.statistic is None and finding.p_value is None
