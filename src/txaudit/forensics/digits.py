"""Digit tests for sets of reported counts (provinces, hospitals, years).

* **Terminal digit.** In counts of two digits or more the last digit is close to
  uniform on 0-9 whatever the distribution of sizes, so an excess of some digits
  (0 and 5 from rounding, or favourite digits from invented numbers) shows up as
  ``X^2 = sum_d (O_d - E_d)^2 / E_d`` with ``E_d = n/10`` (9 degrees of freedom).
* **First digit (Benford).** For counts spread over several orders of magnitude the
  first digit ``d`` has probability ``log10(1 + 1/d)``; same statistic, 8 degrees of
  freedom. Sets spanning less than two orders of magnitude need not follow it.

When any expected count is below 5 the chi-square approximation is poor, so the
p-value is a Monte Carlo estimate of the exact multinomial tail:
``p = (1 + #{X^2* >= X^2}) / (R + 1)`` over ``R`` multinomial draws.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from txaudit.forensics.finding import Finding, SourceRef, skipped

MIN_TERMINAL = 10
MIN_BENFORD = 20
BENFORD = np.log10(1 + 1 / np.arange(1, 10))


def chi_square(observed: np.ndarray, probs: np.ndarray) -> float:
    """Pearson's ``X^2`` of counts ``observed`` against probabilities ``probs``."""
    expected = observed.sum() * probs
    return float(((observed - expected) ** 2 / expected).sum())


def multinomial_p(
    observed: np.ndarray, probs: np.ndarray, replicates: int, rng: np.random.Generator
) -> float:
    """Monte Carlo upper-tail p-value of ``X^2`` under the multinomial null."""
    n = int(observed.sum())
    sims = rng.multinomial(n, probs, size=replicates).astype(float)
    expected = n * probs
    x2 = (((sims - expected) ** 2) / expected).sum(axis=1)
    return float((1 + np.count_nonzero(x2 >= chi_square(observed, probs) - 1e-9))
                 / (replicates + 1))


def _digit_finding(
    test: str,
    inputs: list[SourceRef],
    counts: np.ndarray,
    probs: np.ndarray,
    digits: np.ndarray,
    alpha: float,
    replicates: int,
    rng: np.random.Generator,
    caveats: list[str],
    what: str,
) -> Finding:
    n = int(counts.sum())
    x2 = chi_square(counts, probs)
    df = probs.size - 1
    small = (n * probs < 5).any()
    if small:
        p = multinomial_p(counts, probs, replicates, rng)
        method = f"Monte Carlo multinomial ({replicates} draws; expected counts below 5)"
        caveats.append(f"{n} values: expected counts below 5 per digit, so power is low")
    else:
        p = float(stats.chi2.sf(x2, df))
        method = f"chi-square approximation, {df} degrees of freedom"
    flagged = p <= alpha
    share = counts / n
    worst = int(np.argmax(np.abs(share - probs)))
    cramer_v = float(np.sqrt(x2 / (n * df)))
    verdict = (
        f"{what} of {n} values "
        + ("depart from" if flagged else "are consistent with")
        + f" the expected distribution (X^2 = {x2:.3g}, p = {p:.3g}); the largest "
        f"deviation is digit {digits[worst]} at {share[worst]:.0%} against {probs[worst]:.0%}."
    )
    return Finding(
        test=test,
        inputs=inputs,
        statistic=x2,
        statistic_name=f"Pearson chi-square (df = {df})",
        p_value=p,
        effect_size=cramer_v,
        effect_size_name="Cramer's V = sqrt(X^2 / (n df))",
        alpha=alpha,
        flagged=flagged,
        verdict=verdict,
        explanation=f"Digit counts compared with the expected distribution; p by {method}.",
        caveats=caveats,
        chart={
            "digits": digits.tolist(),
            "observed": counts.tolist(),
            "fitted": (n * probs).tolist(),
        },
        details={"n": n, "method": method, "counts": dict(zip(digits.tolist(),
                                                               counts.tolist(), strict=True))},
    )


def terminal_digits(
    values: np.ndarray,
    inputs: list[SourceRef],
    *,
    alpha: float = 0.05,
    replicates: int = 20000,
    seed: int | None = 0,
) -> Finding:
    """Uniformity of the last digit of the whole-number values of 10 or more."""
    values = np.asarray(values, dtype=float)
    usable = np.round(values[values >= 10]).astype(np.int64)
    left_out = int(values.size - usable.size)
    if usable.size < MIN_TERMINAL:
        return skipped(
            "terminal_digits",
            inputs,
            f"needs at least {MIN_TERMINAL} values of 10 or more; found {usable.size}",
            alpha,
        )
    caveats = [
        "Rounded publication (to the nearest 10 or 100) also raises the share of 0 and 5; "
        "check the rounding-pattern finding before reading anything into this one."
    ]
    if left_out:
        caveats.append(f"{left_out} values below 10 left out (their last digit is the first)")
    counts = np.bincount(usable % 10, minlength=10).astype(float)
    return _digit_finding(
        "terminal_digits", inputs, counts, np.full(10, 0.1), np.arange(10), alpha, replicates,
        np.random.default_rng(seed), caveats, "Last digits",
    )


def benford(
    values: np.ndarray,
    inputs: list[SourceRef],
    *,
    alpha: float = 0.05,
    replicates: int = 20000,
    seed: int | None = 0,
) -> Finding:
    """First-digit (Benford) test of the values of 1 or more."""
    values = np.asarray(values, dtype=float)
    usable = values[values >= 1]
    if usable.size < MIN_BENFORD:
        return skipped(
            "benford",
            inputs,
            f"needs at least {MIN_BENFORD} values of 1 or more; found {usable.size}",
            alpha,
        )
    first = (usable / 10 ** np.floor(np.log10(usable))).astype(int)
    counts = np.bincount(first, minlength=10)[1:].astype(float)
    span = float(np.log10(usable.max() / usable.min()))
    caveats = ["Benford's law holds only for sets spread over several orders of magnitude."]
    if span < 2:
        caveats.append(
            f"these values span {span:.1f} orders of magnitude (< 2): departures are expected "
            "even for genuine counts"
        )
    return _digit_finding(
        "benford", inputs, counts, BENFORD, np.arange(1, 10), alpha, replicates,
        np.random.default_rng(seed), caveats, "First digits",
    )
