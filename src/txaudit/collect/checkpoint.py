"""A sidecar file of finished work units, so an interrupted collection resumes.

Each finished unit appends one JSON line (its key and its counts) and flushes it
to disk before the next unit is reported, so after a crash only the units that
were in flight are read again. Reading them again is harmless: sources and
claims are added by hash and a second add changes nothing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from txaudit.collect.model import Counts


class Checkpoint:
    """Finished-unit keys kept in a JSON Lines file (or only in memory when ``path`` is None)."""

    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        self.path = Path(path) if path is not None else None
        self.done: set[str] = set()
        if self.path is not None and self.path.exists():
            with self.path.open(encoding="utf-8") as f:
                for line in f:
                    line = line.strip()
                    if not line:
                        continue
                    try:
                        self.done.add(json.loads(line)["unit"])
                    except (ValueError, KeyError, TypeError):
                        # a line cut short by the crash itself: that unit is redone
                        continue

    def __contains__(self, key: object) -> bool:
        return key in self.done

    def mark(self, key: str, counts: Counts) -> None:
        """Record ``key`` as finished, durably."""
        self.done.add(key)
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps({"unit": key, "counts": counts.as_dict()}) + "\n")
            f.flush()
            os.fsync(f.fileno())
