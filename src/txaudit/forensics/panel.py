"""The reference panel: real national series that calibrate the forensic tests.

Built from OfficialFigure rows (by default the GODT country panel bundled with txaudit,
series ``godt:actual_dd``, ``godt:kidney_tx_total`` and ``godt:liver_tx_total``). A *run*
is a maximal stretch of consecutive years with a value for one series in one country;
only runs of ``min_years`` or more are kept. Tests compare a series of length ``n`` with
every window of ``n`` consecutive years inside these runs, each run weighted equally
(a run with many windows does not outvote a run with one).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from txaudit.errors import InputError

DEFAULT_PANEL_SERIES: tuple[str, ...] = (
    "godt:actual_dd",
    "godt:kidney_tx_total",
    "godt:liver_tx_total",
)

#: Which panel series measure the same thing as an (indicator, organ) pair; several
#: names are summed country-year by country-year (all must be present).
PANEL_SERIES_FOR: dict[tuple[str, str], tuple[str, ...]] = {
    ("deceased_donors", "all"): ("godt:actual_dd",),
    ("transplants_annual", "kidney"): ("godt:kidney_tx_total",),
    ("transplants_annual", "liver"): ("godt:liver_tx_total",),
    ("transplants_annual", "heart"): ("godt:heart_tx_total",),
    ("transplants_annual", "lung"): ("godt:lung_tx_total",),
    ("transplants_annual", "all"): (
        "godt:kidney_tx_total",
        "godt:liver_tx_total",
        "godt:heart_tx_total",
        "godt:lung_tx_total",
    ),
}

#: Deceased-donor transplants by organ: the numerator used when a series is divided by
#: deceased donors (totals that include living donors are not per-donor quantities).
PANEL_DECEASED_SERIES_FOR: dict[tuple[str, str], tuple[str, ...]] = {
    ("transplants_annual", "kidney"): ("godt:kidney_tx_dd",),
    ("transplants_annual", "liver"): ("godt:liver_tx_dd",),
    ("transplants_annual", "lung"): ("godt:lung_tx_dd",),
    ("transplants_annual", "heart"): ("godt:heart_tx_total",),
    ("transplants_annual", "all"): (
        "godt:kidney_tx_dd",
        "godt:liver_tx_dd",
        "godt:heart_tx_total",
        "godt:lung_tx_dd",
    ),
}


@dataclass
class PanelRun:
    """Consecutive years of one series in one country."""

    series: str
    country: str
    years: np.ndarray
    values: np.ndarray


@dataclass
class ReferencePanel:
    """Real national series used as the reference distribution.

    Build it with :meth:`from_frame`; it caches the per-length reference statistics,
    so one panel object can serve many tests.
    """

    runs: list[PanelRun]
    frame: pd.DataFrame
    min_years: int = 9
    label: str = "GODT country panel"
    cited_urls: list[str] = field(default_factory=list)
    _cache: dict[tuple[object, ...], tuple[np.ndarray, np.ndarray, np.ndarray]] = field(
        default_factory=dict, repr=False
    )

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        series: Sequence[str] = DEFAULT_PANEL_SERIES,
        min_years: int = 9,
        label: str = "GODT country panel",
    ) -> ReferencePanel:
        """Collect the runs of ``series`` (``min_years`` consecutive years or more)."""
        missing = [c for c in ("series", "country", "year", "value") if c not in frame.columns]
        if missing:
            raise InputError(
                f"reference panel lacks columns {', '.join(missing)}",
                field=missing[0],
                hint="pass OfficialFigure rows (frames.OFFICIAL_FIGURE_COLUMNS)",
            )
        values = pd.to_numeric(frame["value"], errors="coerce")
        data = frame.assign(value=values).dropna(subset=["value", "year", "country"])
        runs: list[PanelRun] = []
        chosen = data[data["series"].isin(list(series))]
        for (name, country), group in chosen.groupby(["series", "country"], sort=True):
            g = group.sort_values("year").drop_duplicates("year")
            runs.extend(
                _runs(str(name), str(country), g["year"].to_numpy(int), g["value"].to_numpy(float))
            )
        runs = [r for r in runs if r.years.size >= min_years]
        urls = sorted({str(u) for u in chosen.get("cited_url", pd.Series(dtype=str)).dropna()})
        return cls(runs=runs, frame=data, min_years=min_years, label=label, cited_urls=urls)

    @property
    def countries(self) -> list[str]:
        return sorted({r.country for r in self.runs})

    def windows(self, length: int) -> list[tuple[int, np.ndarray]]:
        """``(run index, values)`` for every window of ``length`` consecutive years."""
        out: list[tuple[int, np.ndarray]] = []
        for i, run in enumerate(self.runs):
            for start in range(run.values.size - length + 1):
                out.append((i, run.values[start : start + length]))
        return out

    def reference(
        self,
        key: tuple[object, ...],
        length: int,
        statistic: Callable[[np.ndarray], np.ndarray],
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The statistic over all windows of ``length``: ``(values, weights, run index)``.

        ``statistic`` maps a (windows x length) matrix to one value per window; windows
        where it is not finite are left out. Each run's windows share weight 1.
        """
        cache_key = (*key, length)
        if cache_key not in self._cache:
            wins = self.windows(length)
            if not wins:
                empty = np.array([])
                self._cache[cache_key] = (empty, empty, np.array([], dtype=int))
            else:
                run_idx = np.array([i for i, _ in wins])
                stats = statistic(np.vstack([w for _, w in wins]))
                keep = np.isfinite(stats)
                counts = np.bincount(run_idx[keep], minlength=len(self.runs))
                weights = 1.0 / np.maximum(counts[run_idx[keep]], 1)
                self._cache[cache_key] = (stats[keep], weights, run_idx[keep])
        return self._cache[cache_key]

    def lower_tail_p(
        self,
        observed: float,
        key: tuple[object, ...],
        length: int,
        statistic: Callable[[np.ndarray], np.ndarray],
        exclude_country: str | None = None,
    ) -> tuple[float | None, float | None, int]:
        """Weighted share of panel windows whose statistic is ``<= observed``.

        Returns ``(p, share_below, runs used)`` with ``p = (1 + sum w [s <= obs]) /
        (1 + sum w)`` (the usual +1 so that p is never zero) and ``share_below`` the
        plain weighted share. The series' own country is left out when named, so a
        panel series is never compared with itself. ``(None, None, 0)`` when no run
        is long enough.
        """
        stats, weights, run_idx = self.reference(key, length, statistic)
        if exclude_country is not None and stats.size:
            keep = np.array([self.runs[i].country != exclude_country for i in run_idx])
            stats, weights, run_idx = stats[keep], weights[keep], run_idx[keep]
        if stats.size == 0:
            return None, None, 0
        below = float(weights[stats <= observed].sum())
        total = float(weights.sum())
        runs_used = int(np.unique(run_idx).size)
        return (1.0 + below) / (1.0 + total), below / total, runs_used

    def dispersion(self, length: int = 9) -> float:
        """Negative-binomial overdispersion ``phi`` typical of the panel (median over runs).

        In each window of ``length`` years a quadratic trend ``mu`` is fitted and, by the
        method of moments with ``Var y = mu + phi mu^2``,
        ``phi = (SSR n/(n-3) - sum mu) / sum mu^2`` (clipped at 0); the median over a
        run's windows is that run's value and the median over runs is returned.
        """
        key = ("dispersion", length)
        if key in self._cache:
            return float(self._cache[key][0][0])
        per_run: dict[int, list[float]] = {}
        t = np.arange(1.0, length + 1)
        x = np.column_stack([np.ones(length), t, t**2])
        q, _ = np.linalg.qr(x)
        for i, w in self.windows(length):
            mu = np.maximum(q @ (q.T @ w), 0.5)
            ssr = float(((w - mu) ** 2).sum())
            phi = (ssr * length / (length - 3) - mu.sum()) / float((mu**2).sum())
            per_run.setdefault(i, []).append(max(phi, 0.0))
        if not per_run:
            value = 0.0
        else:
            value = float(np.median([np.median(v) for v in per_run.values()]))
        self._cache[key] = (np.array([value]), np.array([1.0]), np.array([0]))
        return value

    def series_values(self, names: Sequence[str]) -> pd.DataFrame:
        """Country-year values of the panel series ``names`` summed (all must be present)."""
        parts = []
        for name in names:
            part = self.frame[self.frame["series"] == name][["country", "year", "value"]]
            parts.append(part.drop_duplicates(["country", "year"]).set_index(["country", "year"]))
        if not parts:
            return pd.DataFrame(columns=["country", "year", "value"])
        joined = pd.concat(parts, axis=1, join="inner")
        total = joined.sum(axis=1)
        return total.rename("value").reset_index()

    def paired(self, numerator: Sequence[str], denominator: Sequence[str]) -> pd.DataFrame:
        """Country-years with both panel quantities: columns country, year, num, den."""
        num = self.series_values(numerator).rename(columns={"value": "num"})
        den = self.series_values(denominator).rename(columns={"value": "den"})
        return num.merge(den, on=["country", "year"]).sort_values(["country", "year"])


def _runs(series: str, country: str, years: np.ndarray, values: np.ndarray) -> list[PanelRun]:
    if years.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(years) != 1) + 1
    return [
        PanelRun(series, country, y, v)
        for y, v in zip(np.split(years, breaks), np.split(values, breaks), strict=True)
    ]
