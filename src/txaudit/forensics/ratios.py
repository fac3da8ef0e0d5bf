"""Ratio stability of two related series (transplants and donors, kidney and liver,
a province and its nation).

Statistic: treat the two annual counts as independent Poisson counts with a constant
rate ratio. Given the year's total ``n_t = x_t + y_t``, ``x_t`` is then binomial with
a share ``p`` common to all years, and the homogeneity statistic

    X^2 = sum_t (x_t - n_t p_hat)^2 / (n_t p_hat (1 - p_hat)),   p_hat = sum x / sum n,

follows chi-square with ``k - 1`` degrees of freedom (``k`` years). Real series vary
*more* than this (upper tail); a ratio held fixed more tightly than counting noise
allows gives a small lower tail ``P(chi2_{k-1} <= X^2)``. The dispersion index
``X^2 / (k - 1)`` (1 = Poisson expectation) is the effect size, and is compared with
the same index over windows of ``k`` years of the matching pair in the reference panel.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from txaudit.forensics.finding import Finding, skipped
from txaudit.forensics.inputs import SeriesData
from txaudit.forensics.panel import (
    PANEL_DECEASED_SERIES_FOR,
    PANEL_SERIES_FOR,
    ReferencePanel,
)

MIN_YEARS = 3
MIN_DENOMINATOR = 20


def align(a: SeriesData, b: SeriesData) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Years both series report, with their values."""
    years, ia, ib = np.intersect1d(a.years, b.years, return_indices=True)
    return years, a.values[ia], b.values[ib]


def panel_pair(
    num: SeriesData, den: SeriesData
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The panel series matching the two series' (indicator, organ), when both are known.

    Transplants divided by deceased donors are matched with the panel's deceased-donor
    transplants, since living-donor transplants need no deceased donor.
    """
    keys = [(s.indicator or "", s.organ or "all") for s in (num, den)]
    per_donor = keys[1] == ("deceased_donors", "all")
    table = PANEL_DECEASED_SERIES_FOR if per_donor else PANEL_SERIES_FOR
    names = [table.get(keys[0]), PANEL_SERIES_FOR.get(keys[1])]
    if names[0] is None or names[1] is None or names[0] == names[1]:
        return None
    return names[0], names[1]


def homogeneity(x: np.ndarray, y: np.ndarray) -> tuple[float, int]:
    """``(X^2, df)`` of the binomial homogeneity test of the share ``x / (x + y)``."""
    n = x + y
    p = x.sum() / n.sum()
    if p <= 0 or p >= 1:
        return float("nan"), x.size - 1
    return float(((x - n * p) ** 2 / (n * p * (1 - p))).sum()), x.size - 1


def _panel_index(windows_x: np.ndarray, windows_y: np.ndarray) -> np.ndarray:
    n = windows_x + windows_y
    p = windows_x.sum(axis=1, keepdims=True) / n.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        x2 = ((windows_x - n * p) ** 2 / (n * p * (1 - p))).sum(axis=1)
    return np.asarray(x2 / (windows_x.shape[1] - 1))


def ratio_stability(
    num: SeriesData,
    den: SeriesData,
    *,
    panel: ReferencePanel | None = None,
    pair: tuple[Sequence[str], Sequence[str]] | None = None,
    alpha: float = 0.05,
) -> list[Finding]:
    """Stability of ``num / den`` year by year, and whether it leaves the panel's range.

    Returns two findings: ``ratio_stability`` (lower-tail binomial homogeneity test,
    combined with the panel's dispersion indices by taking the larger p-value) and
    ``ratio_range`` (years whose ratio lies outside the 1st-99th percentile of the
    panel's country-year ratios for the same pair; descriptive, no p-value).
    """
    inputs = [num.source(), den.source()]
    years, x, y = align(num, den)
    warnings = list(num.warnings) + list(den.warnings)
    zero = [int(yr) for yr, d in zip(years, y, strict=True) if d == 0]
    if zero:
        warnings.append(f"denominator is zero in {', '.join(map(str, zero))}; years left out")
        keep = y > 0
        years, x, y = years[keep], x[keep], y[keep]
    if years.size < MIN_YEARS:
        reason = f"needs at least {MIN_YEARS} shared years with a non-zero denominator; found "
        reason += str(years.size)
        return [skipped("ratio_stability", inputs, reason, alpha)]
    ratio = x / y
    pair = pair or panel_pair(num, den)
    findings = [_stability(num, den, years, x, y, ratio, panel, pair, alpha, warnings)]
    if panel is not None and pair is not None:
        findings.append(_range(num, den, years, ratio, panel, pair, alpha, warnings))
    return findings


def _stability(
    num: SeriesData,
    den: SeriesData,
    years: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    ratio: np.ndarray,
    panel: ReferencePanel | None,
    pair: tuple[Sequence[str], Sequence[str]] | None,
    alpha: float,
    warnings: list[str],
) -> Finding:
    inputs = [num.source(), den.source()]
    x2, df = homogeneity(x, y)
    if not np.isfinite(x2):
        return skipped("ratio_stability", inputs, "one of the series is zero in every year", alpha)
    p_low = float(stats.chi2.cdf(x2, df))
    p_high = float(stats.chi2.sf(x2, df))
    index = x2 / df
    caveats = [
        "The binomial reference assumes independent counts; transplants from the same "
        "donors are not independent, which makes real ratios steadier than the test "
        "expects only if organs per donor are themselves fixed.",
    ]
    if not (np.allclose(x, np.round(x)) and np.allclose(y, np.round(y))):
        caveats.append("values are not whole counts, so the binomial reference is approximate")
    if years.size < 6:
        caveats.append(f"only {years.size} shared years: little power")
    panel_p = panel_share = None
    if panel is not None and pair is not None:
        frame = panel.paired(pair[0], pair[1])
        panel_p, panel_share = _panel_p(frame, years.size, index, exclude=num.country)
        if panel_p is None:
            caveats.append(f"the panel has no pair runs of {years.size} consecutive years")
    p_value = max(p for p in (p_low, panel_p) if p is not None)
    flagged = p_value <= alpha
    spread = float(np.std(ratio, ddof=1) / np.mean(ratio)) if ratio.size > 1 else float("nan")
    verdict = (
        f"The ratio {num.name} / {den.name} ranges {ratio.min():.3g}-{ratio.max():.3g} "
        f"(coefficient of variation {spread:.2%}); its year-to-year variation is "
        f"{index:.2g} times what independent counts would give"
        + (
            f", steadier than {100 * (1 - panel_share):.0f}% of comparable panel series"
            if panel_share is not None
            else ""
        )
        + (
            f"; unusually stable at the chosen level (p = {p_value:.3g})."
            if flagged
            else f"; not unusually stable (p = {p_value:.3g})."
        )
    )
    return Finding(
        test="ratio_stability",
        inputs=inputs,
        statistic=x2,
        statistic_name=f"binomial homogeneity chi-square (df = {df})",
        p_value=p_value,
        effect_size=index,
        effect_size_name="dispersion index X^2/df (1 = independent counts)",
        alpha=alpha,
        flagged=flagged,
        verdict=verdict,
        explanation=(
            "Share x/(x+y) tested for homogeneity across years; the p-value is the lower "
            f"tail P(chi2_{df} <= X^2) = {p_low:.3g} (upper tail {p_high:.3g}), combined "
            "with the panel's share of windows at most as variable by taking the larger."
        ),
        caveats=caveats,
        warnings=warnings,
        chart={"years": years.tolist(), "observed": ratio.tolist(), "fitted": [
            float(x.sum() / y.sum())
        ] * int(years.size)},
        details={
            "p_lower": p_low,
            "p_upper": p_high,
            "p_panel": panel_p,
            "panel_share_at_most": panel_share,
            "panel_pair": None if pair is None else [list(pair[0]), list(pair[1])],
            "ratios": dict(zip(years.tolist(), ratio.tolist(), strict=True)),
            "pooled_ratio": float(x.sum() / y.sum()),
        },
    )


def _panel_p(
    frame: pd.DataFrame, length: int, observed: float, exclude: str | None
) -> tuple[float | None, float | None]:
    stats_all: list[float] = []
    weights: list[float] = []
    for country, g in frame.groupby("country"):
        if exclude is not None and country == exclude:
            continue
        g = g[(g["num"] > 0) & (g["den"] > 0)]
        yrs = g["year"].to_numpy(int)
        breaks = np.flatnonzero(np.diff(yrs) != 1) + 1
        for idx in np.split(np.arange(yrs.size), breaks):
            if idx.size < length:
                continue
            starts = range(idx.size - length + 1)
            wx = np.vstack([g["num"].to_numpy(float)[idx[s : s + length]] for s in starts])
            wy = np.vstack([g["den"].to_numpy(float)[idx[s : s + length]] for s in starts])
            vals = _panel_index(wx, wy)
            vals = vals[np.isfinite(vals)]
            stats_all.extend(vals.tolist())
            weights.extend([1.0 / max(vals.size, 1)] * vals.size)
    if not stats_all:
        return None, None
    s, w = np.array(stats_all), np.array(weights)
    below = float(w[s <= observed].sum())
    return (1 + below) / (1 + float(w.sum())), below / float(w.sum())


def _range(
    num: SeriesData,
    den: SeriesData,
    years: np.ndarray,
    ratio: np.ndarray,
    panel: ReferencePanel,
    pair: tuple[Sequence[str], Sequence[str]],
    alpha: float,
    warnings: list[str],
) -> Finding:
    inputs = [num.source(), den.source()]
    frame = panel.paired(pair[0], pair[1])
    # tiny denominators (a country with 1 donor) give meaningless ratios
    frame = frame[(frame["den"] >= MIN_DENOMINATOR) & (frame["country"] != (num.country or ""))]
    if frame.empty:
        return skipped("ratio_range", inputs, "the panel has no values for this pair", alpha)
    ref = (frame["num"] / frame["den"]).to_numpy(float)
    caveats = [
        "Countries differ in living-donor share and organ-sharing practice; a ratio "
        "outside the range calls for an explanation, it is not one."
    ]
    if any(name.endswith("_dd") for name in pair[0]):
        caveats.append(
            "Per-donor ratios are compared with deceased-donor transplants; a series that "
            "also counts living-donor transplants will sit higher for that reason alone."
        )
    lo, med, hi = (float(v) for v in np.percentile(ref, [1, 50, 99]))
    outside = {int(yr): float(r) for yr, r in zip(years, ratio, strict=True) if r < lo or r > hi}
    furthest = float(np.max(np.abs(np.log(ratio / med))))
    verdict = (
        f"{len(outside)} of {years.size} years lie outside the international range "
        f"{lo:.3g}-{hi:.3g} (1st-99th percentile of {ref.size} country-years, median {med:.3g})"
        + (": " + ", ".join(f"{y} ({r:.3g})" for y, r in outside.items()) if outside else "")
        + "."
    )
    return Finding(
        test="ratio_range",
        inputs=inputs,
        statistic=float(len(outside)),
        statistic_name="years outside the panel's 1st-99th percentile",
        p_value=None,
        effect_size=furthest,
        effect_size_name="largest |log(ratio / panel median)|",
        alpha=alpha,
        flagged=bool(outside),
        verdict=verdict,
        explanation=(
            f"Ratios compared with {ref.size} country-year ratios of "
            f"{'+'.join(pair[0])} / {'+'.join(pair[1])} in the {panel.label} "
            f"(country-years with a denominator of {MIN_DENOMINATOR} or more)."
        ),
        caveats=caveats,
        warnings=warnings,
        chart={"years": years.tolist(), "observed": ratio.tolist(), "fitted": [med] * years.size},
        details={"range": [lo, hi], "median": med, "outside": outside, "n_reference": ref.size},
    )
