#!/usr/bin/env python3
"""Build txaudit's bundled published dataset from the seed CSVs.

    python scripts/build_dataset.py                 # rebuild from src/txaudit/data/seed/
    python scripts/build_dataset.py --from DIR      # refresh the seeds from DIR first

The seeds are copied byte for byte (their sha256 identifies them as Sources); every
output row points back at one seed line and at the public page the row cites. The
output (src/txaudit/data/bundled/) is deterministic: two runs give identical bytes.
See docs/reference/bundled-dataset.md.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dataset.build import EXPECTED_SEEDS, build  # noqa: E402
from dataset.common import BUNDLED_DIR, SEED_DIR, BuildError  # noqa: E402


def refresh_seeds(source: Path, seed_dir: Path) -> list[str]:
    """Copy each expected input file unchanged from ``source`` (or its godt/ folder)."""
    copied = []
    for name in EXPECTED_SEEDS:
        candidates = [source / name, source / "godt" / name]
        found = next((p for p in candidates if p.is_file()), None)
        if found is None:
            raise BuildError(f"input file {name} not found under {source}")
        seed_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(found, seed_dir / name)
        copied.append(name)
    return copied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--from", dest="source", type=Path, help="refresh the seed copies from this directory"
    )
    parser.add_argument("--seed-dir", type=Path, default=SEED_DIR, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=BUNDLED_DIR, help="output directory")
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    args = parser.parse_args(argv)
    try:
        if args.source is not None:
            refresh_seeds(args.source, args.seed_dir)
        summary = build(args.seed_dir, args.out)
    except BuildError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(summary.render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
