"""A sidecar file of finished work units, so an interrupted collection resumes.

Each finished unit appends one JSON line (its key and its counts) and flushes it
to disk before the next unit is reported, so after a crash only the units that
were in flight are read again. Inside a long unit (a large archive gzipped as
one stream cannot be split), the number of records already stored is also
appended from time to time; a resumed run reads past those records without
deriving text from them again. Redoing work is harmless either way: sources
and claims are added by hash and a second add changes nothing.
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
        #: unit key -> records already stored from it (units not finished)
        self.partial: dict[str, int] = {}
        if self.path is not None and self.path.exists():
            with self.path.open(encoding="utf-8") as f:
                for line in f:
                    line = line.strip()
                    if not line:
                        continue
                    try:
                        entry = json.loads(line)
                        if "records" in entry:
                            key = entry["unit"]
                            self.partial[key] = max(self.partial.get(key, 0),
                                                    int(entry["records"]))
                        else:
                            self.done.add(entry["unit"])
                    except (ValueError, KeyError, TypeError):
                        # a line cut short by the crash itself: that unit is redone
                        continue

    def __contains__(self, key: object) -> bool:
        return key in self.done

    def mark(self, key: str, counts: Counts) -> None:
        """Record ``key`` as finished, durably."""
        self.done.add(key)
        self.partial.pop(key, None)
        self._append({"unit": key, "counts": counts.as_dict()})

    def mark_partial(self, key: str, records: int) -> None:
        """Record that the first ``records`` records of unit ``key`` are stored."""
        self.partial[key] = records
        self._append({"unit": key, "records": records})

    def _append(self, entry: dict[str, object]) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")
            f.flush()
            os.fsync(f.fileno())
