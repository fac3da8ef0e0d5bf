"""Benchmark: import of generated observations into SQLite and PostgreSQL, and verify.

Generates hospitals.csv (1,000 hospitals) and observations.csv (N rows, default
1,000,000; ``--quick`` 50,000) with valid random values, then for each backend and each
repeat: creates an empty store, imports both files (one transaction), runs ``verify``.
Each run happens in a fresh child process so its peak resident memory (ru_maxrss) is its
own. Prints medians: import rows/s, peak memory, verify seconds; and, as the baseline
measured in the same run, the speed of plain ``sqlite3.executemany`` of the same rows with
no validation, hashing or ledger (what the store's checks cost on top of raw SQLite).

    python benchmarks/bench_import.py [--quick] [--rows N] [--repeat K] [--no-pg]
    python benchmarks/bench_import.py --sources [SIZE ...] [--sources-batch B] [--repeat K]

The second form measures ``Store.add_source`` (one transaction and fsyncs per source)
against ``Store.add_sources`` (one transaction per batch) in SQLite stores already holding
SIZE sources (default 1,000 and 10,000).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
INDICATORS = [
    ("transplants_annual", "count/year", 10, 3000),
    ("hospital_beds", "beds", 100, 8000),
    ("transplant_beds", "beds", 5, 500),
    ("bed_occupancy", "fraction", 0.5, 1.6),
    ("avg_length_of_stay", "days", 5, 40),
    ("transplant_surgeons", "persons", 1, 80),
]
ORGANS = ["kidney", "liver", "heart", "lung", "all"]


def generate(folder: Path, rows: int, seed: int = 20261201) -> tuple[Path, Path]:
    """Write hospitals.csv and observations.csv with ``rows`` observations."""
    from txaudit.evidence.importer import csv_columns

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    hosp = folder / "hospitals.csv"
    with hosp.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(csv_columns("hospitals"))
        for i in range(1000):
            w.writerow([f"h-{i:04d}", f"Hospital {i}", f"第{i}医院", "Henan", "Zhengzhou",
                        "3A", "false", "civilian", "kidney;liver", 2007, ""])
    obs = folder / "observations.csv"
    with obs.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(csv_columns("observations"))
        for i in range(rows):
            ind, unit, lo, hi = INDICATORS[i % len(INDICATORS)]
            value = round(rng.uniform(lo, hi), 2 if unit == "fraction" else 0)
            w.writerow([f"obs-{i:08d}", "hospital", f"h-{rng.randrange(1000):04d}", "", ind,
                        rng.choice(ORGANS), rng.randint(2000, 2020), "", "", value, "", "",
                        "approx", unit, "C", "", "", f"https://example.org/{i % 9973}",
                        "para 2", f"about {value}", ""])
    return hosp, obs


def _child(url: str, files: list[str]) -> None:
    """Run in a fresh process: init, import, verify; print JSON timings."""
    from txaudit.evidence import init_store

    store = init_store(url, load_bundled=False, actor="bench")
    t0 = time.perf_counter()
    report = store.import_files([Path(f) for f in files], actor="bench")
    t1 = time.perf_counter()
    check = store.verify()
    t2 = time.perf_counter()
    assert check.ok, check.problems[:3]
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rows": report.rows.get("observations", 0), "import_s": t1 - t0,
                      "verify_s": t2 - t1, "peak_mb": peak_kb / 1024}))


def _sources_child(url: str, size: int, batch: int) -> None:
    """Run in a fresh process: a store holding ``size`` sources, then time adding more."""
    from txaudit.evidence import init_store

    store = init_store(url, load_bundled=False, actor="bench")
    for start in range(0, size, 1000):
        store.add_sources([(f"stored {i} ".encode() * 40, {"url": f"https://example.org/{i}"})
                           for i in range(start, min(size, start + 1000))], actor="bench")
    new = [(f"new {i} ".encode() * 40, {"url": f"https://example.net/{i}"})
           for i in range(2 * batch)]
    t0 = time.perf_counter()
    for data, meta in new[:batch]:
        store.add_source(data, actor="bench", url=meta["url"])
    t1 = time.perf_counter()
    store.add_sources(new[batch:], actor="bench")
    t2 = time.perf_counter()
    print(json.dumps({"single_ms": (t1 - t0) / batch * 1e3,
                      "batch_ms": (t2 - t1) / batch * 1e3}))


def bench_sources(sizes: list[int], batch: int, repeat: int, folder: Path) -> None:
    """ms per source of ``add_source`` (one transaction each) and of ``add_sources``
    (one transaction for ``batch`` sources), in SQLite stores of the given sizes."""
    for size in sizes:
        results = []
        for k in range(repeat):
            db = folder / f"sources-{size}-{k}.db"
            out = subprocess.run(
                [sys.executable, __file__, "--sources-child", str(db), str(size), str(batch)],
                check=True, capture_output=True, text=True)
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        single = statistics.median(r["single_ms"] for r in results)
        many = statistics.median(r["batch_ms"] for r in results)
        print(f"sources   store of {size:>7,}: add_source {single:6.2f} ms/source; "
              f"add_sources({batch}) {many:6.2f} ms/source ({single / many:.0f}x)  "
              f"(median of {repeat})", flush=True)


def _baseline(obs: Path, folder: Path) -> float:
    """rows/s of plain sqlite3 executemany of the same CSV rows (no checks)."""
    db = folder / "baseline.db"
    db.unlink(missing_ok=True)
    conn = sqlite3.connect(db)
    with obs.open(newline="", encoding="utf-8") as fh:
        r = csv.reader(fh)
        header = next(r)
        conn.execute(f"CREATE TABLE o ({', '.join(h + ' TEXT' for h in header)})")
        marks = ", ".join("?" * len(header))
        t0 = time.perf_counter()
        n = 0
        batch = []
        for row in r:
            batch.append(row)
            if len(batch) == 5000:
                conn.executemany(f"INSERT INTO o VALUES ({marks})", batch)
                n += len(batch)
                batch = []
        conn.executemany(f"INSERT INTO o VALUES ({marks})", batch)
        n += len(batch)
        conn.commit()
        dt = time.perf_counter() - t0
    conn.close()
    db.unlink()
    return n / dt


def _pg_available(admin: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(admin, connect_timeout=3):
            return True
    except Exception:
        return False


def _pg_exec(admin: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def run_once(url: str, files: list[Path]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", url, *map(str, files)],
        check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="50,000 rows, 1 repeat")
    ap.add_argument("--rows", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=None)
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--sources", type=int, nargs="*", metavar="SIZE",
                    help="instead: ms per source of add_source vs add_sources in stores "
                         "holding SIZE sources (default 1000 10000)")
    ap.add_argument("--sources-batch", type=int, default=500)
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    ap.add_argument("--sources-child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args.child[0], args.child[1:])
        return
    if args.sources_child:
        url, size, batch = args.sources_child
        _sources_child(url, int(size), int(batch))
        return
    if args.sources is not None:
        with tempfile.TemporaryDirectory(prefix="txa-bench-") as tmp:
            bench_sources(args.sources or [1000, 10000], args.sources_batch,
                          args.repeat or (1 if args.quick else 3), Path(tmp))
        return
    rows = args.rows or (50_000 if args.quick else 1_000_000)
    repeat = args.repeat or (1 if args.quick else 3)
    with tempfile.TemporaryDirectory(prefix="txa-bench-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        hosp, obs = generate(folder / "data", rows)
        size_mb = obs.stat().st_size / 2**20
        print(f"generated {rows:,} observations ({size_mb:.0f} MB) "
              f"in {time.perf_counter() - t0:.1f} s", flush=True)
        base = statistics.median(_baseline(obs, folder) for _ in range(repeat))
        print(f"baseline  raw sqlite3 executemany, no checks: {base:,.0f} rows/s (median)",
              flush=True)
        backends = ["sqlite"]
        admin = os.environ.get("TXAUDIT_TEST_PG", PG_DEFAULT)
        if not args.no_pg:
            if _pg_available(admin):
                backends.append("postgresql")
            else:
                print(f"postgresql: skipped, no server at {admin}")
        for backend in backends:
            results = []
            for k in range(repeat):
                if backend == "sqlite":
                    db = folder / f"bench-{k}.db"
                    results.append(run_once(str(db), [hosp, obs]))
                    db.unlink()
                else:
                    name = f"txa_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
                    _pg_exec(admin, f'CREATE DATABASE "{name}"')
                    try:
                        url = admin.rsplit("/", 1)[0] + "/" + name
                        results.append(run_once(url, [hosp, obs]))
                    finally:
                        _pg_exec(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            rate = statistics.median(r["rows"] / r["import_s"] for r in results)
            peak = statistics.median(r["peak_mb"] for r in results)
            ver = statistics.median(r["verify_s"] for r in results)
            imp = statistics.median(r["import_s"] for r in results)
            print(f"{backend:<10} import {imp:7.1f} s = {rate:9,.0f} rows/s "
                  f"({rate / base:.2f} x baseline); peak memory {peak:6.0f} MB; "
                  f"verify {ver:6.1f} s  (median of {repeat})", flush=True)


if __name__ == "__main__":
    main()
