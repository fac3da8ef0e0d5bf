"""Killing the process in the middle of a large import leaves the store as it was."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from txaudit.evidence import Store
from txaudit.evidence.importer import csv_columns

CHILD = textwrap.dedent("""
    import sys
    from txaudit.evidence import importer, open_store

    importer.BATCH = 1000
    flushed = 0
    real_flush = importer._flush

    def flush_and_report(*args, **kwargs):
        global flushed
        real_flush(*args, **kwargs)
        flushed += 1
        if flushed == 5:  # 5,000 rows are written inside the open transaction
            print("MID-IMPORT", flush=True)

    importer._flush = flush_and_report
    store = open_store(sys.argv[1])
    store.import_files([sys.argv[2]], actor="doomed")
    print("FINISHED", flush=True)
""")


def _big_file(path: Path, rows: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(csv_columns("observations"))
        for i in range(rows):
            w.writerow([f"obs-k{i:07d}", "hospital", "h-alpha", "", "hospital_beds", "all",
                        2010 + i % 10, "", "", 1000 + i % 500, "", "", "approx", "beds", "C",
                        "", "", "https://example.org/k", "", "", ""])
    return path


@pytest.mark.slow
def test_killing_an_import_midway_leaves_the_store_unchanged(fixture_store: Store,
                                                            tmp_path: Path) -> None:
    store = fixture_store
    big = _big_file(tmp_path / "observations.csv", 200_000)
    before_head = store.ledger_head()
    before_obs = len(store.observations())
    url = store.url
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    proc = subprocess.Popen([sys.executable, str(script), url, str(big)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    assert line == "MID-IMPORT"
    assert proc.poll() is None  # still importing: the kill lands mid-transaction
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    store.engine.dispose()
    report = store.verify()
    assert report.ok, report.problems
    assert store.ledger_head() == before_head
    assert len(store.observations()) == before_obs

    cli = subprocess.run([sys.executable, "-m", "txaudit", "verify", "--db", url],
                         capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    assert cli.stdout.startswith("OK: 2 ledger events, 19 rows")
