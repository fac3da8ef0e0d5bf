"""Artefacts: exact repeats, impossible ratios and rounding patterns.

* **Repeated values.** Two independent annual counts with mean ``mu`` coincide exactly
  with probability ``q(mu) = sum_k Pois(k; mu)^2 = exp(-2 mu) I_0(2 mu)`` (about
  ``1 / (2 sqrt(pi mu))`` for large ``mu``); a run of ``L`` equal years has probability
  ``q^(L-1)``. Overdispersed counts coincide even less often, so this Poisson bound is
  generous. The p-value multiplies by the ``n - 1`` places a run could start
  (Bonferroni). A repeated figure often marks a carried-forward or estimated value
  rather than a fresh count; the finding says which years, not why.
* **Repeats across series.** The same value (10 or more) in two different series in
  the same year (e.g. kidney and liver).
* **Impossible ratios.** A deceased donor gives at most two kidneys, one liver (two
  with a split), one heart, two lungs, one pancreas and one intestine.
* **Rounding.** The share of values that are multiples of 10, 100 or 1000, against the
  1/10, 1/100, 1/1000 expected of exact counts (binomial upper tail, Bonferroni over
  the three bases).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import special, stats

from txaudit.forensics.finding import Finding, skipped
from txaudit.forensics.inputs import SeriesData

#: Most transplants of an organ one deceased donor can supply (split liver counts two).
MAX_PER_DECEASED_DONOR: dict[str, float] = {
    "kidney": 2,
    "liver": 2,
    "heart": 1,
    "lung": 2,
    "pancreas": 1,
    "intestine": 1,
    "all": 8,
}


def coincidence_probability(mu: float) -> float:
    """``P(X = Y)`` for independent ``X, Y ~ Poisson(mu)``: ``exp(-2 mu) I_0(2 mu)``."""
    return float(special.ive(0, 2.0 * mu))


def repeated_values(series: SeriesData, *, min_value: float = 10, alpha: float = 0.05) -> Finding:
    """Runs of consecutive years with exactly the same value (values >= ``min_value``)."""
    inputs = [series.source()]
    if series.n < 2:
        return skipped("repeated_values", inputs, "needs at least 2 years", alpha)
    runs: list[tuple[int, int, float]] = []  # first year, last year, value
    start = 0
    years, values = series.years, series.values
    for i in range(1, series.n + 1):
        same = (
            i < series.n
            and values[i] == values[i - 1]
            and years[i] == years[i - 1] + 1
        )
        if not same:
            if i - start >= 2 and values[start] >= min_value:
                runs.append((int(years[start]), int(years[i - 1]), float(values[start])))
            start = i
    if not runs:
        return Finding(
            test="repeated_values",
            inputs=inputs,
            statistic=0.0,
            statistic_name="longest run of identical consecutive values",
            p_value=1.0,
            alpha=alpha,
            verdict="No value repeats exactly in consecutive years.",
            explanation=f"Consecutive years compared for exact repeats of values >= {min_value:g}.",
            warnings=list(series.warnings),
        )
    probs = [
        coincidence_probability(v) ** (last - first) for first, last, v in runs
    ]
    worst = int(np.argmin(probs))
    p_value = min(1.0, (series.n - 1) * probs[worst])
    first, last, value = runs[worst]
    described = "; ".join(f"{v:,.0f} in {a}-{b} ({b - a + 1} years)" for a, b, v in runs)
    return Finding(
        test="repeated_values",
        inputs=inputs,
        statistic=float(last - first + 1),
        statistic_name="length of the least probable run of identical values",
        p_value=p_value,
        effect_size=float(sum(b - a + 1 for a, b, _ in runs)),
        effect_size_name="years inside repeated runs",
        alpha=alpha,
        flagged=p_value <= alpha,
        verdict=(
            f"The same value is reported for consecutive years: {described}. Independent "
            f"annual counts near {value:,.0f} would repeat like this with probability about "
            f"{probs[worst]:.2g} under Poisson noise."
        ),
        explanation=(
            "Exact repeats of a count in consecutive years; probability exp(-2 mu) I0(2 mu) "
            "per repeated pair under Poisson noise, times the n - 1 possible starts."
        ),
        caveats=[
            "A repeated figure often means a value carried forward or estimated for years "
            "without a fresh count; it says nothing by itself about the true counts."
        ],
        warnings=list(series.warnings),
        chart={"years": years.tolist(), "observed": values.tolist(), "fitted": []},
        details={"runs": [{"first_year": a, "last_year": b, "value": v} for a, b, v in runs]},
    )


def repeated_across_series(
    series: Sequence[SeriesData], *, min_value: float = 10, alpha: float = 0.05
) -> Finding:
    """Years in which two different series report exactly the same value."""
    inputs = [s.source() for s in series]
    if len(series) < 2:
        return skipped("repeated_across_series", inputs, "needs at least two series", alpha)
    hits: list[dict[str, Any]] = []
    for i, a in enumerate(series):
        for b in series[i + 1 :]:
            years, ia, ib = np.intersect1d(a.years, b.years, return_indices=True)
            for y, va, vb in zip(years, a.values[ia], b.values[ib], strict=True):
                if va == vb and va >= min_value:
                    hits.append({"year": int(y), "value": float(va), "series": [a.name, b.name]})
    text = "; ".join(f"{h['year']}: {h['value']:,.0f} in {' and '.join(h['series'])}"
                     for h in hits[:6])
    return Finding(
        test="repeated_across_series",
        inputs=inputs,
        statistic=float(len(hits)),
        statistic_name="series-year pairs with identical values",
        p_value=None,
        alpha=alpha,
        flagged=bool(hits),
        verdict=(f"Identical values across series: {text}." if hits
                 else "No two series report the same value in the same year."),
        explanation=f"Every pair of series compared year by year (values >= {min_value:g}).",
        details={"matches": hits},
    )


def impossible_ratios(
    transplants: SeriesData,
    donors: SeriesData,
    *,
    organ: str | None = None,
    alpha: float = 0.05,
) -> Finding:
    """Years with more deceased-donor transplants per donor than anatomy allows."""
    inputs = [transplants.source(), donors.source()]
    organ = organ or transplants.organ or "all"
    limit = MAX_PER_DECEASED_DONOR.get(organ)
    if limit is None:
        return skipped("impossible_ratios", inputs, f"no per-donor limit for organ {organ!r}",
                       alpha)
    years, it, idn = np.intersect1d(transplants.years, donors.years, return_indices=True)
    keep = donors.values[idn] > 0
    if not keep.any():
        return skipped("impossible_ratios", inputs, "no shared year with donors > 0", alpha)
    years = years[keep]
    ratio = transplants.values[it][keep] / donors.values[idn][keep]
    over = {int(y): float(r) for y, r in zip(years, ratio, strict=True) if r > limit}
    return Finding(
        test="impossible_ratios",
        inputs=inputs,
        statistic=float(ratio.max()),
        statistic_name=f"largest {organ} transplants per deceased donor",
        p_value=None,
        effect_size=float(ratio.max() / limit),
        effect_size_name="largest ratio / anatomical limit",
        alpha=alpha,
        flagged=bool(over),
        verdict=(
            f"{len(over)} of {years.size} years exceed {limit:g} {organ} transplants per "
            "deceased donor"
            + (": " + ", ".join(f"{y} ({r:.2f})" for y, r in over.items()) if over else "")
            + "."
        ),
        explanation=f"At most {limit:g} {organ} transplants can come from one deceased donor.",
        caveats=[
            "Valid only when the transplants counted are deceased-donor transplants; totals "
            "that include living donors can legitimately exceed the limit."
        ],
        chart={"years": years.tolist(), "observed": ratio.tolist(),
               "fitted": [limit] * years.size},
        details={"limit": limit, "over": over},
    )


def rounding_pattern(series: SeriesData, *, alpha: float = 0.05) -> Finding:
    """Excess of values that are multiples of 10, 100 or 1000."""
    inputs = [series.source()]
    values = np.round(series.values).astype(np.int64)
    rows = {}
    best_p, best_base = 1.0, 10
    for base in (10, 100, 1000):
        eligible = values[values >= base]
        if eligible.size < 3:
            continue
        k = int(np.count_nonzero(eligible % base == 0))
        p = float(stats.binom.sf(k - 1, eligible.size, 1 / base)) if k else 1.0
        rows[base] = {"multiples": k, "eligible": int(eligible.size), "p": p}
        if p < best_p:
            best_p, best_base = p, base
    if not rows:
        return skipped("rounding_pattern", inputs, "needs at least 3 values of 10 or more", alpha)
    p_value = min(1.0, best_p * len(rows))
    r = rows[best_base]
    return Finding(
        test="rounding_pattern",
        inputs=inputs,
        statistic=r["multiples"] / r["eligible"],
        statistic_name=f"share of values that are multiples of {best_base}",
        p_value=p_value,
        effect_size=r["multiples"] / r["eligible"] * best_base,
        effect_size_name="observed share / share expected of exact counts",
        alpha=alpha,
        flagged=p_value <= alpha,
        verdict=(
            f"{r['multiples']} of {r['eligible']} values are multiples of {best_base} "
            f"(about {r['eligible'] / best_base:.1f} expected of exact counts; p = {p_value:.3g})."
        ),
        explanation=(
            "Binomial upper tail of the count of round values for bases 10, 100 and 1000, "
            "the smallest p multiplied by the number of bases tried."
        ),
        caveats=["Rounded figures are normal in estimates and press statements; the finding "
                 "tells the reader which values are not exact counts."],
        warnings=list(series.warnings),
        details={"bases": rows},
    )
