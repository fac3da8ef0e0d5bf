"""Benchmark of the estimation engine.

    python benchmarks/bench_estimate.py [--quick]

1. Monte Carlo: 1,000 hospitals x 4 organs x one year x 100,000 draws (default model,
   two kinds of evidence per hospital and organ). Median wall time of the whole
   ``estimate_frames`` call and of the Monte Carlo alone (on the default number of
   threads, and on one thread), peak traced memory and the process's peak RSS.
2. Baseline: a straightforward per-hospital Python loop over the same draws (same
   parameter draws, same formula), timed at a size the loop can finish; the ratio is
   per hospital-organ-draw.
3. Sobol analysis with 1,024 base samples over the default model's parameter groups.

Targets from the issue: MC <= 5 s and <= 1.5 GB; >= 20x the loop; Sobol <= 60 s.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import statistics
import time
import tracemalloc
from typing import Any

import numpy as np
import pandas as pd

from txaudit.estimate import estimate_frames, load_model
from txaudit.estimate.engine import plan_for
from txaudit.estimate.montecarlo import default_workers, run
from txaudit.estimate.plan import Plan, sample_parameters
from txaudit.estimate.sensitivity import analyse
from txaudit.frames import HOSPITAL_COLUMNS, OBSERVATION_COLUMNS

ORGANS = ("kidney", "liver", "heart", "lung")


def frames(n_hospitals: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hospitals approved for all four organs, each with beds and a claim per organ."""
    rng = np.random.default_rng(seed)
    hosp: list[dict[str, Any]] = []
    obs: list[dict[str, Any]] = []
    for h in range(n_hospitals):
        hid = f"H{h:05d}"
        row: dict[str, Any] = {c: None for c in HOSPITAL_COLUMNS}
        row.update({"hospital_id": hid, "name_en": hid, "province": f"P{h % 31}",
                    "tier": "3A", "category": ("civilian", "military", "regional")[h % 3],
                    "approved_organs": ";".join(ORGANS)})
        hosp.append(row)
        for organ in ORGANS:
            for ind, value, unit in (
                ("transplant_beds", rng.integers(5, 150), "beds"),
                ("transplants_annual", rng.integers(10, 900), "count/year"),
            ):
                o: dict[str, Any] = {c: None for c in OBSERVATION_COLUMNS}
                o.update({"observation_id": f"o{len(obs):07d}", "scope": "hospital",
                          "hospital_id": hid, "indicator": ind, "organ": organ, "year": 2015,
                          "value": float(value), "qualifier": "exact", "unit": unit,
                          "grade": "B", "status": "current"})
                obs.append(o)
    return (pd.DataFrame(obs, columns=list(OBSERVATION_COLUMNS)),
            pd.DataFrame(hosp, columns=list(HOSPITAL_COLUMNS)))


def python_loop(plan: Plan, draws: int, seed: int) -> np.ndarray:
    """The same estimate, one hospital-organ at a time in plain Python."""
    rng = np.random.default_rng(seed)
    values = sample_parameters(plan, rng.random((draws, plan.n_params)))
    logs = np.where(plan.log_ok[None, :], np.log(np.where(plan.log_ok, values, 1.0)), 0.0)
    a, d, s = plan.a.tolist(), plan.d.tolist(), np.sqrt(plan.s2).tolist()
    organ = plan.organ_index.tolist()
    totals = np.zeros((draws, len(plan.organs)))
    for k in range(draws):
        lt = logs[k].tolist()
        for u in range(len(a)):
            m = a[u]
            for j, power in enumerate(d[u]):
                if power:
                    m += power * lt[j]
            totals[k, organ[u]] += math.exp(m + s[u] * rng.standard_normal())
    return totals


def timed(fn: Any, repeat: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, one repeat")
    args = parser.parse_args()
    n_hosp = 200 if args.quick else 1000
    draws = 20_000 if args.quick else 100_000
    repeat = 1 if args.quick else 3
    loop_draws = 20 if args.quick else 100

    model = load_model()
    obs, hosp = frames(n_hosp)
    print(f"{n_hosp} hospitals x {len(ORGANS)} organs x 1 year x {draws:,} draws")

    print(f"  load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"{os.cpu_count()} cores; {default_workers()} worker threads")
    t_total, result = timed(lambda: estimate_frames(obs, hosp, None, model, years=2015,
                                                     draws=draws, seed=1), repeat)
    plan, _ = plan_for(obs, hosp, model, 2015)
    t_mc, _ = timed(lambda: run(plan, draws, 1, keep=2000), repeat)
    t_mc1, _ = timed(lambda: run(plan, draws, 1, keep=2000, workers=1), repeat)
    tracemalloc.start()
    run(plan, draws, 1, keep=2000)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    units = len(plan.units)
    print(f"  estimate_frames (checks + plan + MC + summaries): median {t_total:.2f} s")
    print(f"  Monte Carlo alone: median {t_mc:.2f} s ({default_workers()} threads), "
          f"{t_mc1:.2f} s (1 thread)")
    print(f"  peak traced memory {peak / 2**20:.0f} MiB; peak RSS of this process {rss:.0f} MiB")
    print(f"  national median (all organs): {result.national_['median'].iloc[-1]:,.0f}")

    t_loop, _ = timed(lambda: python_loop(plan, loop_draws, 1), 1)
    per_loop = t_loop / (units * loop_draws)
    per_vec = t_mc / (units * draws)
    print(f"  Python loop: {loop_draws} draws x {units} units in {t_loop:.2f} s "
          f"({per_loop * 1e6:.2f} us per unit-draw)")
    per_vec1 = t_mc1 / (units * draws)
    print(f"  vectorised: {per_vec * 1e9:.1f} ns per unit-draw; speed-up {per_loop / per_vec:.0f}x "
          f"({per_loop / per_vec1:.0f}x on one thread)")
    print(f"  load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    groups = {k: model.parameter(k).group for k in plan.keys}
    t_sobol, sens = timed(lambda: analyse(plan, None, groups, model.hash, method="sobol",
                                          n_base=1024), 1)
    print(f"  Sobol, 1,024 base samples, {len(sens.sobol_)} groups: {t_sobol:.2f} s")
    print(sens.sobol_[["group", "S1", "ST"]].to_string(index=False))


if __name__ == "__main__":
    main()
