"""Counter monitoring: snapshots ``(date, value)`` of a public running total.

Four checks, all on the increments between successive snapshots:

* **cadence**: days between snapshots; flagged when the longest interval exceeds
  ``gap_factor`` times the median (the counter stalled or was not updated);
* **decreases**: a running total that falls (flagged whenever it happens);
* **round jumps**: increments that are exact multiples of 1,000 (or 10,000). An exact
  count's increment is a multiple of 1,000 about once in 1,000 times, so the binomial
  upper tail of their number is the p-value (Bonferroni over the two bases);
* **rate jumps**: the daily rate over each interval against the median rate, in robust
  z-scores ``(rate - median) / (1.4826 MAD)``; flagged beyond ``z_limit``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from txaudit.errors import InputError
from txaudit.forensics.finding import Finding, SourceRef, skipped


def as_snapshots(data: Any, *, file: str | None = None) -> pd.DataFrame:
    """Checked snapshots: a frame ``date`` (Timestamp), ``value`` (float), sorted by date."""
    if isinstance(data, pd.DataFrame):
        missing = [c for c in ("date", "value") if c not in data.columns]
        if missing:
            raise InputError(f"no '{missing[0]}' column", file=file, field=missing[0],
                             hint="snapshots need 'date' and 'value' columns")
        frame = data[["date", "value"]].copy()
    else:
        frame = pd.DataFrame(list(data), columns=["date", "value"])
    dates = pd.to_datetime(frame["date"], errors="coerce")
    values = pd.to_numeric(frame["value"], errors="coerce")
    for i in range(len(frame)):
        for field, parsed in (("date", dates), ("value", values)):
            if pd.isna(parsed.iloc[i]):
                raise InputError(
                    f"{frame[field].iloc[i]!r} is not a valid {field}",
                    file=file,
                    line=i + 2 if file else None,
                    field=field,
                )
    out = pd.DataFrame({"date": dates, "value": values.astype(float)}).sort_values(
        "date", kind="stable"
    )
    dup = out[out.duplicated("date", keep=False)]
    if dup.groupby("date")["value"].nunique().gt(1).any():
        day = dup["date"].iloc[0].date().isoformat()
        raise InputError(f"two different values on {day}", file=file, field="date",
                         hint="keep one snapshot per date and time")
    return out.drop_duplicates("date").reset_index(drop=True)


def counter_monitoring(
    snapshots: Any,
    *,
    name: str = "counter",
    source: SourceRef | None = None,
    alpha: float = 0.05,
    gap_factor: float = 3.0,
    z_limit: float = 5.0,
) -> list[Finding]:
    """Run the four counter checks on ``snapshots`` (a frame or ``(date, value)`` pairs)."""
    snaps = as_snapshots(snapshots)
    inputs = [source or SourceRef(series=name)]
    tests = ("counter_cadence", "counter_decreases", "counter_round_jumps", "counter_rate_jumps")
    if len(snaps) < 3:
        reason = f"needs at least 3 snapshots; got {len(snaps)}"
        return [skipped(t, inputs, reason, alpha) for t in tests]
    dates = snaps["date"]
    values = snaps["value"].to_numpy()
    days = np.diff(dates.to_numpy()).astype("timedelta64[s]").astype(float) / 86400.0
    inc = np.diff(values)
    ends = [d.date().isoformat() for d in dates.iloc[1:]]
    chart = {"dates": [d.isoformat() for d in dates], "observed": values.tolist(), "fitted": []}
    return [
        _cadence(inputs, days, ends, gap_factor, alpha, chart),
        _decreases(inputs, inc, ends, alpha, chart),
        _round_jumps(inputs, inc, ends, alpha, chart),
        _rate_jumps(inputs, inc, days, ends, z_limit, alpha, chart),
    ]


def _cadence(inputs: list[SourceRef], days: np.ndarray, ends: list[str], factor: float,
             alpha: float, chart: dict[str, list[Any]]) -> Finding:
    median = float(np.median(days))
    longest = float(days.max())
    flagged = median > 0 and longest > factor * median
    return Finding(
        test="counter_cadence",
        inputs=inputs,
        statistic=longest / median if median > 0 else float("inf"),
        statistic_name="longest interval / median interval",
        alpha=alpha,
        flagged=flagged,
        effect_size=float(np.std(days) / np.mean(days)) if np.mean(days) > 0 else None,
        effect_size_name="coefficient of variation of the intervals",
        verdict=(
            f"Snapshots every {median:.3g} days (median); the longest interval is "
            f"{longest:.3g} days, ending {ends[int(np.argmax(days))]}"
            + (", an irregular cadence." if flagged else ".")
        ),
        explanation=f"Flagged when the longest interval exceeds {factor:g} x the median.",
        caveats=["Gaps may come from the collector, not the publisher."],
        chart=chart,
        details={"intervals_days": days.tolist()},
    )


def _decreases(inputs: list[SourceRef], inc: np.ndarray, ends: list[str], alpha: float,
               chart: dict[str, list[Any]]) -> Finding:
    drops = {ends[i]: float(d) for i, d in enumerate(inc) if d < 0}
    return Finding(
        test="counter_decreases",
        inputs=inputs,
        statistic=float(len(drops)),
        statistic_name="number of decreases",
        effect_size=float(min(inc.min(), 0.0)),
        effect_size_name="largest decrease",
        alpha=alpha,
        flagged=bool(drops),
        verdict=(
            f"The running total falls {len(drops)} times: "
            + ", ".join(f"{d} ({v:+,.0f})" for d, v in drops.items()) + "."
            if drops else "The running total never falls."
        ),
        explanation="A running total can only fall if earlier figures were revised.",
        chart=chart,
        details={"decreases": drops},
    )


def _round_jumps(inputs: list[SourceRef], inc: np.ndarray, ends: list[str], alpha: float,
                 chart: dict[str, list[Any]]) -> Finding:
    rows: dict[int, dict[str, Any]] = {}
    best_p = 1.0
    for base in (1000, 10000):
        eligible = inc[inc >= base]
        hits = [ends[i] for i, d in enumerate(inc) if d >= base and d % base == 0]
        p = float(stats.binom.sf(len(hits) - 1, eligible.size, 1 / base)) if hits else 1.0
        rows[base] = {"jumps": hits, "eligible": int(eligible.size), "p": p}
        best_p = min(best_p, p)
    p_value = min(1.0, 2 * best_p)
    round_jumps = {ends[i]: float(d) for i, d in enumerate(inc) if d >= 1000 and d % 1000 == 0}
    return Finding(
        test="counter_round_jumps",
        inputs=inputs,
        statistic=float(len(round_jumps)),
        statistic_name="increments that are exact multiples of 1,000",
        p_value=p_value,
        alpha=alpha,
        flagged=p_value <= alpha,
        verdict=(
            "Round increments: " + ", ".join(f"{d} (+{v:,.0f})" for d, v in round_jumps.items())
            + f" (p = {p_value:.3g})." if round_jumps else "No increment is a multiple of 1,000."
        ),
        explanation=(
            "An increment of exact counts is a multiple of 1,000 (10,000) with probability "
            "about 1/1,000 (1/10,000); binomial upper tail, Bonferroni over the two bases."
        ),
        caveats=["A round increment may be a manual correction or a batch import."],
        chart=chart,
        details={"bases": rows, "round_jumps": round_jumps},
    )


def _rate_jumps(inputs: list[SourceRef], inc: np.ndarray, days: np.ndarray, ends: list[str],
                z_limit: float, alpha: float, chart: dict[str, list[Any]]) -> Finding:
    ok = days > 0
    rates = inc[ok] / days[ok]
    where = [e for e, k in zip(ends, ok, strict=True) if k]
    median = float(np.median(rates))
    mad = float(np.median(np.abs(rates - median))) * 1.4826
    if mad == 0:
        mad = max(abs(median) * 0.01, 1e-9)
    z = (rates - median) / mad
    out = {where[i]: float(z[i]) for i in np.flatnonzero(np.abs(z) > z_limit)}
    return Finding(
        test="counter_rate_jumps",
        inputs=inputs,
        statistic=float(np.max(np.abs(z))),
        statistic_name="largest robust z-score of the daily rate",
        alpha=alpha,
        flagged=bool(out),
        effect_size=median,
        effect_size_name="median increase per day",
        verdict=(
            f"{len(out)} intervals grow out of line with the usual {median:,.3g} per day"
            + (": " + ", ".join(f"{d} (z = {v:.1f})" for d, v in out.items()) if out else "")
            + "."
        ),
        explanation=(
            f"Daily rate per interval; robust z = (rate - median) / (1.4826 MAD); flagged "
            f"beyond {z_limit:g}."
        ),
        caveats=["Counters with a trend (growing registrations) give a wide spread of rates."],
        chart=chart,
        details={"rates_per_day": dict(zip(where, rates.tolist(), strict=True)),
                 "outliers": out},
    )
