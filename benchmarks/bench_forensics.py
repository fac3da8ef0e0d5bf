"""Benchmark: every forensic test on one 20-year series with 10,000 bootstrap replicates.

Prints the median wall time of ``run_all`` (vectorised bootstrap: one QR solve fits all
replicates) and, as a baseline measured in the same run, the same bootstrap fitted
replicate by replicate with ``numpy.linalg.lstsq``. Target: run_all <= 2 s.

    python benchmarks/bench_forensics.py [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import time
from importlib import resources

import numpy as np
import pandas as pd

from txaudit.forensics import ReferencePanel, run_all, simulate_counts
from txaudit.forensics.fits import design, time_index

REPLICATES = 10_000


def _series() -> tuple[pd.Series, pd.Series]:
    rng = np.random.default_rng(1)
    years = np.arange(1998, 2018)
    t = np.arange(1.0, 21.0)
    donors = simulate_counts(300 + 12 * t**2, 1, rng, 0.004)[0]
    transplants = simulate_counts(2.6 * (300 + 12 * t**2), 1, rng, 0.004)[0]
    return pd.Series(transplants, index=years), pd.Series(donors, index=years)


def _naive_bootstrap(values: np.ndarray, replicates: int) -> None:
    """Baseline: fit every replicate separately (the loop the vectorised code avoids)."""
    rng = np.random.default_rng(0)
    t = time_index(np.arange(values.size))
    x = design("quadratic1", t)
    xn = design("quadratic", t)
    mu = np.maximum(xn @ np.linalg.lstsq(xn, values, rcond=None)[0], 0.5)
    for phi in (0.0, 0.004):
        sims = simulate_counts(mu, replicates, rng, phi)
        for cumulative in (False, True):
            rows = np.cumsum(sims, axis=1) if cumulative else sims
            for row in rows:
                beta = np.linalg.lstsq(x, row, rcond=None)[0]
                resid = row - x @ beta
                _ = (resid @ resid) / ((row - row.mean()) ** 2).sum()


def _time(fn, repeats: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    path = resources.files("txaudit") / "data/bundled/official_figures.csv"
    with path.open("rb") as handle:
        frame = pd.read_csv(handle)
    start = time.perf_counter()
    panel = ReferencePanel.from_frame(frame)
    panel.dispersion()
    build = time.perf_counter() - start
    tx, donors = _series()
    findings = run_all(tx, donors, panel=panel, replicates=REPLICATES)  # warm caches
    full = _time(lambda: run_all(tx, donors, panel=panel, replicates=REPLICATES), repeats)
    naive = _time(lambda: _naive_bootstrap(tx.to_numpy(), REPLICATES), max(1, repeats // 3))
    print(f"panel build (once per process):           {build:7.3f} s")
    print(f"run_all, 20 years, {REPLICATES} replicates, "
          f"{len(findings)} findings: median {full:7.3f} s  (target <= 2 s)")
    print(f"baseline: per-replicate lstsq bootstrap only: median {naive:7.3f} s")
    print(f"speed-up of the vectorised bootstrap:      {naive / full:7.1f}x")


if __name__ == "__main__":
    main()
