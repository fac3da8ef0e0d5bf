"""Collection: web archives and documents in, sources with provenance out.

The reading side (:func:`read_unit`, :func:`derive`) is pure and testable
without a store; :class:`StoreSink` writes; :func:`collect` runs the whole job,
in one process, a process pool or on Dask. See docs/reference/collect.md.
"""

from __future__ import annotations

from txaudit.collect.charset import Decoded, decode_bytes
from txaudit.collect.derive import DeriveOptions, derive
from txaudit.collect.inputs import WorkUnit, plan_units, read_unit
from txaudit.collect.model import Counts, Document, Limits, Quarantined, RecordResult
from txaudit.collect.pipeline import CollectOptions, CollectSummary, collect, default_checkpoint
from txaudit.collect.prefilter import DEFAULT_TERMS, Prefilter
from txaudit.collect.sink import StoreSink, claim_row
from txaudit.collect.warc import ReadOptions, Skipped

__all__ = [
    "DEFAULT_TERMS",
    "CollectOptions",
    "CollectSummary",
    "Counts",
    "Decoded",
    "DeriveOptions",
    "Document",
    "Limits",
    "Prefilter",
    "Quarantined",
    "ReadOptions",
    "RecordResult",
    "Skipped",
    "StoreSink",
    "WorkUnit",
    "claim_row",
    "collect",
    "decode_bytes",
    "default_checkpoint",
    "derive",
    "plan_units",
    "read_unit",
]
