"""Helpers shared by the collect tests (imported by name: tests/collect is on sys.path)."""

from __future__ import annotations

from pathlib import Path

from txaudit.collect import Limits, Prefilter, ReadOptions, plan_units, read_unit
from txaudit.collect.warc import Item


def read_all(path: Path, *, prefilter: Prefilter | None = None,
             limits: Limits | None = None) -> list[Item]:
    """Every item the readers produce for ``path`` (prefilter off unless given)."""
    options = ReadOptions(prefilter or Prefilter.disabled(), limits or Limits())
    return [item for unit in plan_units([path]) for item in read_unit(unit, options)]
