"""The only part of collection that writes: results into the evidence store.

Sources and claims are content-addressed in the store, so writing them twice
changes nothing. Both are buffered and written in batches (one transaction each),
sources before the claims that cite them, whenever a buffer fills and whenever
the pipeline calls :meth:`StoreSink.flush` (before every checkpoint entry, so a
checkpoint never records work that is not yet in the store). Quarantine entries
are not content-addressed (each gets a number), so the sink remembers which
(origin, stage, reason) it has already recorded and adds each once, which keeps
a re-run over the same input free of duplicates.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from txaudit.collect.model import COLLECTOR, Document, Quarantined, RecordResult


def tool_version() -> str:
    """``txaudit <version>``, recorded on every source collected."""
    from txaudit import __version__

    return f"txaudit {__version__}"


def claim_row(claim: dict[str, Any]) -> dict[str, Any]:
    """A claim from ``Claim.to_dict()`` in the shape ``Store.add_claims`` validates.

    ``span`` becomes ``span_start``/``span_end``, ``period`` its ``year``,
    ``since_year`` and ``as_of``, ``hospital`` becomes ``hospital_id`` and
    ``source`` becomes ``source_sha256``. Keys already in the store's shape pass through.
    """
    row = dict(claim)
    span = row.pop("span", None)
    if span is not None and "span_start" not in row:
        row["span_start"], row["span_end"] = span[0], span[1]
    period = row.pop("period", None)
    if isinstance(period, dict):
        row.setdefault("year", period.get("year"))
        row.setdefault("since_year", period.get("since"))
        row.setdefault("as_of", period.get("as_of"))
    if "hospital" in row:
        row.setdefault("hospital_id", row.pop("hospital"))
    if "source" in row:
        row.setdefault("source_sha256", row.pop("source"))
    row.setdefault("extractor_version", tool_version())
    for key in ("value", "low", "high"):
        if row.get(key) is not None:
            row[key] = str(row[key])
    return row


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat().replace("+00:00", "Z")


class StoreSink:
    """Writes documents, claims and quarantine entries to a :class:`~txaudit.evidence.Store`.

    ``actor`` is recorded on every ledger event. The store's ``has_source`` is
    asked first so the sink can count what is new without relying on the store
    to report it. ``batch`` bounds the buffered claims and sources (by count) and
    ``batch_bytes`` the bytes of buffered sources.
    """

    def __init__(self, store: Any, *, actor: str, batch: int = 500,
                 batch_bytes: int = 64 << 20) -> None:
        self.store = store
        self.actor = actor
        self.batch = batch
        self.batch_bytes = batch_bytes
        self._pending: list[dict[str, Any]] = []
        self._sources: list[tuple[bytes, dict[str, Any]]] = []
        self._source_shas: set[str] = set()
        self._source_bytes = 0
        self.version = tool_version()
        self._quarantined: set[tuple[str, str, str]] = set()
        claims = store.claims()
        self._claim_ids: set[str] = set(claims["claim_id"]) if len(claims) else set()
        frame = store.quarantined()
        for row in frame.itertuples(index=False):
            self._quarantined.add((str(row.origin), str(row.stage), str(row.reason)))

    def add_document(self, doc: Document) -> bool:
        """Buffer one document as a source; True when it was not in the store before."""
        sha = doc.sha256
        if sha in self._source_shas or self.store.has_source(sha):
            return False
        fields = doc.source_fields()
        fields["retrieved_at"] = _iso(doc.retrieved_at)
        fields.update(collector=COLLECTOR, tool_version=self.version)
        self._sources.append((doc.data, fields))
        self._source_shas.add(sha)
        self._source_bytes += len(doc.data)
        return True

    def flush_sources(self) -> None:
        """Write buffered sources in one transaction (stores without ``add_sources``:
        one by one)."""
        if not self._sources:
            return
        add_many = getattr(self.store, "add_sources", None)
        if add_many is not None:
            add_many(self._sources, actor=self.actor)
        else:
            for data, fields in self._sources:
                self.store.add_source(data, actor=self.actor, **fields)
        self._sources = []
        self._source_shas = set()
        self._source_bytes = 0

    def add_quarantine(self, item: Quarantined) -> bool:
        """Record a quarantine entry unless the same one is already recorded."""
        key = (item.origin, item.stage, item.reason)
        if key in self._quarantined:
            return False
        self.store.add_quarantine(
            item.origin, item.reason, stage=item.stage, actor=self.actor, data=item.data
        )
        self._quarantined.add(key)
        return True

    def write(self, result: RecordResult) -> tuple[int, int]:
        """Write one record's results; returns (sources added, claims added).

        Quarantine entries are written at once. Sources and claims are buffered
        and written in batches (each batch is one transaction) by :meth:`flush`,
        which the pipeline calls before it checkpoints; sources are counted
        here (a buffered source is new to the store), claims when written, so
        the claims count here is that of any batch this call flushed.
        """
        added = sum(1 for doc in result.documents if self.add_document(doc))
        for item in result.quarantined:
            self.add_quarantine(item)
        self._pending.extend(claim_row(c) for c in result.claims)
        if len(self._pending) >= self.batch:
            return added, self.flush()
        if len(self._sources) >= self.batch or self._source_bytes >= self.batch_bytes:
            self.flush_sources()
        return added, 0

    def flush(self) -> int:
        """Write buffered sources, then buffered claims (which cite them), each in one
        transaction; returns how many claims were new."""
        self.flush_sources()
        if not self._pending:
            return 0
        ids = self.store.add_claims(self._pending, actor=self.actor)
        self._pending = []
        fresh = set(ids) - self._claim_ids
        self._claim_ids |= fresh
        return len(fresh)


def hospital_matcher(store: Any) -> Any:
    """The extract part's hospital-name matcher over the store's hospitals and aliases.

    Returns None when extract is not installed or the store holds no hospitals
    (claims then carry no hospital, and the reviewer assigns one).
    """
    try:
        from txaudit.extract import HospitalMatcher
    except ImportError:
        return None
    hospitals = store.hospitals()
    if not len(hospitals):
        return None
    return HospitalMatcher(hospitals, store.aliases())
