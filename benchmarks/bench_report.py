"""Benchmark: `txaudit report` on the bundled dataset with the default 100,000 draws.

Runs the real command in a subprocess (so start-up and imports count), several
times on one store, and prints the median wall time, the median time of each
stage (from ``--verbose``) and two ratios: against the 30 s aim of issue 5, and
against a baseline measured in the same run, the estimate alone through the
Python API with the same draws (what the report adds on top of the estimate).

    python benchmarks/bench_report.py            # 3 runs, 100,000 draws
    python benchmarks/bench_report.py --quick    # 1 run, 10,000 draws
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AIM_SECONDS = 30.0
_STAGE = re.compile(r"^\s+(\w+)\s+([0-9.]+) s$")


def _run_report(db: Path, out: Path, draws: int, fmt: str) -> tuple[float, dict[str, float]]:
    cmd = [sys.executable, "-m", "txaudit", "report", "--db", str(db), "--draws", str(draws),
           "--out", str(out), "--format", fmt, "--verbose"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"txaudit report failed:\n{proc.stderr}")
    stages: dict[str, float] = {}
    for line in proc.stderr.splitlines():
        m = _STAGE.match(line)
        if m:
            stages[m.group(1)] = stages.get(m.group(1), 0.0) + float(m.group(2))
    return wall, stages


def _estimate_alone(db: Path, draws: int) -> float:
    from txaudit.estimate import estimate_frames
    from txaudit.evidence import open_store

    store = open_store(str(db))
    frames = (store.observations(), store.hospitals(), store.official_figures())
    t0 = time.perf_counter()
    estimate_frames(*frames, draws=draws, seed=0)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 run with 10,000 draws")
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--format", default="html", choices=["html", "pdf", "md", "json"])
    args = parser.parse_args()
    draws = 10_000 if args.quick else 100_000
    runs = args.runs or (1 if args.quick else 3)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "bench.db"
        # first run creates the store from the bundled data: reported apart
        first_wall, first = _run_report(db, folder / f"first.{args.format}", draws, args.format)
        print(f"first run (creates the store): {first_wall:.2f} s "
              f"(open stage {first.get('open', 0.0):.2f} s)")
        walls: list[float] = []
        stages: dict[str, list[float]] = {}
        for i in range(runs):
            wall, st = _run_report(db, folder / f"r{i}.{args.format}", draws, args.format)
            walls.append(wall)
            for k, v in st.items():
                stages.setdefault(k, []).append(v)
        baseline = statistics.median(_estimate_alone(db, draws) for _ in range(runs))
        size = (folder / f"r0.{args.format}").stat().st_size

    total = statistics.median(walls)
    print(f"txaudit report --format {args.format}, {draws:,} draws, {runs} run(s) "
          f"on an existing store; output {size / 1024:,.0f} KB")
    print(f"  median wall time (whole command): {total:7.2f} s")
    for name in ("open", "store", "estimate", "sensitivity", "forensics", "assemble", "charts",
                 "render", "total"):
        if name in stages:
            print(f"  {name:<12} median {statistics.median(stages[name]):7.2f} s")
    print(f"  baseline, estimate alone (API): {baseline:7.2f} s; "
          f"report / estimate = {total / baseline:.2f}x")
    print(f"  ratio to the {AIM_SECONDS:.0f} s aim: {total / AIM_SECONDS:.2f} "
          f"({'within' if total <= AIM_SECONDS else 'OVER'} the aim)")


if __name__ == "__main__":
    main()
