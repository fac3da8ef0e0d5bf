"""Cross-consistency: figures that should agree, and which years they do not.

* ``compare_versions``: two publishers' versions of the same series.
* ``parts_vs_whole``: parts (provinces, hospitals) that cannot add up to more than
  their whole (nation, province). Parts below the whole are expected when not every
  part is listed, so only an excess is flagged; the shortfall is reported.
* ``cumulative_vs_annual``: a running total against the sum of the annual figures.

These checks are descriptive: ``p_value`` is ``None`` and ``flagged`` means "some year
disagrees by more than the tolerance". The statistic is the largest relative gap.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from txaudit.forensics.finding import Finding, skipped
from txaudit.forensics.inputs import SeriesData


def _gaps_text(rows: dict[int, tuple[float, float]], limit: int = 6) -> str:
    parts = [
        f"{y}: {a:,.0f} vs {b:,.0f} ({(a - b) / b:+.1%})" if b else f"{y}: {a:,.0f} vs 0"
        for y, (a, b) in list(rows.items())[:limit]
    ]
    more = len(rows) - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def _relative(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b != 0, (a - b) / np.where(b != 0, b, 1), np.where(a != b, np.inf, 0.0))


def compare_versions(
    a: SeriesData, b: SeriesData, *, rtol: float = 0.0, alpha: float = 0.05
) -> Finding:
    """Year-by-year differences between two versions of one series.

    A year disagrees when ``|a - b| > rtol * |b|`` (``rtol = 0``: any difference).
    """
    inputs = [a.source(), b.source()]
    years, ia, ib = np.intersect1d(a.years, b.years, return_indices=True)
    if years.size == 0:
        return skipped("compare_versions", inputs, "the two series share no year", alpha)
    va, vb = a.values[ia], b.values[ib]
    rel = _relative(va, vb)
    differ = np.abs(va - vb) > rtol * np.abs(vb)
    rows = {int(y): (float(x), float(z)) for y, x, z, d in zip(years, va, vb, differ,
                                                               strict=True) if d}
    only_a = sorted(set(a.years.tolist()) - set(years.tolist()))
    only_b = sorted(set(b.years.tolist()) - set(years.tolist()))
    largest = float(np.max(np.abs(rel)))
    verdict = (
        f"{a.name} and {b.name} differ in {len(rows)} of {years.size} shared years"
        + (f" ({_gaps_text(rows)})" if rows else "")
        + "."
    )
    caveats = []
    if only_a or only_b:
        caveats.append(
            f"years in one version only: {a.name}: {only_a or 'none'}; {b.name}: {only_b or 'none'}"
        )
    return Finding(
        test="compare_versions",
        inputs=inputs,
        statistic=largest,
        statistic_name="largest |relative difference| (a - b) / b",
        p_value=None,
        effect_size=float(np.sum(va - vb)),
        effect_size_name="total difference a - b over shared years",
        alpha=alpha,
        flagged=bool(rows),
        verdict=verdict,
        explanation=f"Shared years compared value by value (relative tolerance {rtol:g}).",
        caveats=caveats,
        warnings=list(a.warnings) + list(b.warnings),
        chart={"years": years.tolist(), "observed": va.tolist(), "fitted": vb.tolist()},
        details={"differences": {y: {"a": x, "b": z} for y, (x, z) in rows.items()},
                 "only_a": only_a, "only_b": only_b},
    )


def parts_vs_whole(
    parts: Sequence[SeriesData], whole: SeriesData, *, rtol: float = 0.0, alpha: float = 0.05
) -> Finding:
    """Whether the listed parts add up to more than the whole in any year.

    Sums are taken over the parts reporting that year; how many parts reported is
    given per year, since a missing part makes the sum an underestimate.
    """
    inputs = [whole.source()] + [p.source() for p in parts]
    if not parts:
        return skipped("parts_vs_whole", inputs, "no parts given", alpha)
    years = whole.years
    sums = np.zeros(years.size)
    reporting = np.zeros(years.size, dtype=int)
    for part in parts:
        _, iw, ip = np.intersect1d(years, part.years, return_indices=True)
        sums[iw] += part.values[ip]
        reporting[iw] += 1
    has = reporting > 0
    if not has.any():
        return skipped("parts_vs_whole", inputs, "no part reports a year the whole has", alpha)
    years, sums, wv, reporting = years[has], sums[has], whole.values[has], reporting[has]
    excess = sums > wv * (1 + rtol)
    rows = {int(y): (float(s), float(w)) for y, s, w, e in zip(years, sums, wv, excess,
                                                               strict=True) if e}
    share = sums / np.where(wv > 0, wv, np.nan)
    verdict = (
        f"In {len(rows)} of {years.size} years the parts add up to more than the whole"
        + (f" ({_gaps_text(rows)})" if rows else "")
        + f"; the parts cover {np.nanmin(share):.0%}-{np.nanmax(share):.0%} of the whole."
    )
    return Finding(
        test="parts_vs_whole",
        inputs=inputs,
        statistic=float(np.nanmax(share)),
        statistic_name="largest sum of parts / whole",
        p_value=None,
        effect_size=float(np.max(sums - wv)),
        effect_size_name="largest excess of the parts over the whole (count)",
        alpha=alpha,
        flagged=bool(rows),
        verdict=verdict,
        explanation=(
            f"Sum of {len(parts)} parts per year against the whole; an excess beyond the "
            f"relative tolerance {rtol:g} cannot happen if both count the same thing."
        ),
        caveats=[
            "Parts and whole must count the same thing over the same period (e.g. donors "
            "by province of the hospital, not of residence)."
        ],
        warnings=list(whole.warnings) + [w for p in parts for w in p.warnings],
        chart={"years": years.tolist(), "observed": sums.tolist(), "fitted": wv.tolist()},
        details={
            "excess_years": {y: {"parts": s, "whole": w} for y, (s, w) in rows.items()},
            "parts_reporting": dict(zip(years.tolist(), reporting.tolist(), strict=True)),
        },
    )


def cumulative_vs_annual(
    cumulative: SeriesData,
    annual: SeriesData,
    *,
    since_year: int | None = None,
    rtol: float = 0.0,
    alpha: float = 0.05,
) -> Finding:
    """A reported running total against the running sum of the reported annual figures.

    The running sum starts at ``since_year`` (default: the first annual year); a
    cumulative year is compared only when every annual figure from ``since_year`` up
    to it is present.
    """
    inputs = [cumulative.source(), annual.source()]
    start = int(annual.years[0]) if since_year is None else since_year
    have = dict(zip(annual.years.tolist(), annual.values.tolist(), strict=True))
    rows: dict[int, tuple[float, float]] = {}
    compared: list[tuple[int, float, float]] = []
    for year, total in zip(cumulative.years.tolist(), cumulative.values.tolist(), strict=True):
        span = range(start, year + 1)
        if year < start or any(y not in have for y in span):
            continue
        running = float(sum(have[y] for y in span))
        compared.append((year, total, running))
        if abs(total - running) > rtol * abs(running):
            rows[year] = (total, running)
    if not compared:
        return skipped(
            "cumulative_vs_annual",
            inputs,
            f"no cumulative year has every annual figure from {start}",
            alpha,
        )
    yrs = [c[0] for c in compared]
    tot = np.array([c[1] for c in compared])
    run = np.array([c[2] for c in compared])
    rel = _relative(tot, run)
    return Finding(
        test="cumulative_vs_annual",
        inputs=inputs,
        statistic=float(np.max(np.abs(rel))),
        statistic_name="largest |relative difference| (cumulative - running sum) / running sum",
        p_value=None,
        effect_size=float(np.max(np.abs(tot - run))),
        effect_size_name="largest absolute difference (count)",
        alpha=alpha,
        flagged=bool(rows),
        verdict=(
            f"The running total differs from the sum of annual figures since {start} in "
            f"{len(rows)} of {len(compared)} years"
            + (f" ({_gaps_text(rows)})" if rows else "")
            + "."
        ),
        explanation="Cumulative figure compared with the running sum of the annual figures.",
        caveats=["A running total may count from a different start or include revisions."],
        warnings=list(cumulative.warnings) + list(annual.warnings),
        chart={"years": yrs, "observed": tot.tolist(), "fitted": run.tolist()},
        details={"since_year": start,
                 "differences": {y: {"cumulative": c, "sum": s} for y, (c, s) in rows.items()}},
    )
