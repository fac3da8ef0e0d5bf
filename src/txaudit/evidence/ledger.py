"""The append-only, hash-chained ledger: writing events and verifying the store.

Every write runs inside one :class:`Writer` (one database transaction). The writer gives
each inserted row its canonical ``row_hash``, the ``event_seq`` of the event being written
and its position ``event_pos``; it keeps a running :class:`EventDigest` of the row hashes
and of any state changes (supersede, retract, claim decision). When the body finishes the
event row is appended::

    payload_sha256 = sha256(json({detail, per-table digests of rows and state changes}))
    hash           = sha256(json([seq, at, actor, action, payload_sha256, prev_hash]))

:func:`verify` recomputes all of it from the tables: each row's hash from its content,
each event's payload from the rows that name it, the chain from the first event, and the
sha256 of every blob. Editing a row, a blob or an event, or deleting any of them, shows up
as a named problem. (Someone who rewrites rows *and* recomputes every later hash produces
a different ledger head; publishing or signing the head guards against that.)
"""

from __future__ import annotations

import hashlib
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select, text, update
from sqlalchemy import exc as sa_exc

from txaudit.evidence import canonical as C
from txaudit.evidence.blobs import BlobStore
from txaudit.evidence.schema import BOOL, INT, SPECS, TABLE_ORDER, TABLES, ledger_events

_INITIAL_STATE = {"observations": "current", "claims": "proposed"}


def utc_now() -> str:
    """Current UTC time as ISO 8601 with a ``Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _canon_fn(kind: str) -> Any:
    if kind == BOOL:
        return C.canon_bool
    if kind == INT:
        return lambda v: None if v is None else str(int(v))
    return lambda v: None if v is None else str(v)


def content_hasher(table: str) -> Any:
    """A function mapping a row (mapping of column -> stored value) to its row hash."""
    spec = SPECS[table]
    plain = [c for c in spec.content if spec.kinds[c] != BOOL]
    if len(plain) == len(spec.content):
        cols = list(spec.content)
        enc = C.encode_str
        head = f"[{enc(table)},"

        # the same bytes as C.row_hash, fused into one pass for large imports
        def _fast(row: Any) -> str:
            body = ",".join(["null" if (v := row[c]) is None
                             else enc(v if type(v) is str else str(v)) for c in cols])
            return hashlib.sha256(f"{head}{body}]".encode()).hexdigest()

        return _fast
    fns = [(c, _canon_fn(spec.kinds[c])) for c in spec.content]

    def _hash(row: Any) -> str:
        return C.row_hash(table, [fn(row[c]) for c, fn in fns])

    return _hash


def key_of(table: str, row: Any) -> str:
    """The text key of a row (composite keys joined)."""
    key = SPECS[table].key
    if len(key) == 1:
        v = row[key[0]]
        return "" if v is None else str(v)
    return C.key_text([row[k] for k in key])


class Writer:
    """Writes the rows of one ledger event inside one open transaction."""

    def __init__(self, conn: Connection, blobs: BlobStore, seq: int, prev_hash: str) -> None:
        self.conn = conn
        self.blobs = blobs
        self.seq = seq
        self.prev_hash = prev_hash
        self.digest = C.EventDigest()
        self.detail: dict[str, Any] = {}
        self._pos = 0
        self._hashers = {t: content_hasher(t) for t in SPECS}
        self._sql: dict[str, str] = {}
        self._cols: dict[str, list[str]] = {}
        self._preparers: dict[str, Callable[[dict[str, Any]], tuple[Any, ...]]] = {}
        self.paramstyle = conn.dialect.paramstyle

    def _insert_sql(self, table: str, cols: Sequence[str]) -> str:
        mark = "?" if self.paramstyle == "qmark" else "%s"
        names = ", ".join(cols)
        marks = ", ".join([mark] * len(cols))
        return f"INSERT INTO {table} ({names}) VALUES ({marks})"

    def columns(self, table: str) -> list[str]:
        cols = self._cols.get(table)
        if cols is None:
            spec = SPECS[table]
            cols = [*dict.fromkeys(spec.content + spec.state), "row_hash", "event_seq",
                    "event_pos"]
            self._cols[table] = cols
        return cols

    def prepare(self, table: str, row: dict[str, Any]) -> tuple[Any, ...]:
        """Complete ``row`` with hash and bookkeeping; return the tuple to insert."""
        prep = self._preparers.get(table)
        if prep is None:
            prep = self._preparers[table] = self._make_preparer(table)
        return prep(row)

    def _make_preparer(self, table: str) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
        # everything that does not change from row to row is looked up once per table;
        # large imports call the result once per row
        spec = SPECS[table]
        initial = _INITIAL_STATE.get(table)
        state = [c for c in spec.state if initial is None or c != "status"]
        hasher = self._hashers[table]
        add_row = self.digest.add_row
        getter = operator.itemgetter(*self.columns(table))
        seq = self.seq
        single = spec.key[0] if len(spec.key) == 1 else None

        def prep(row: dict[str, Any]) -> tuple[Any, ...]:
            if initial is not None:
                row.setdefault("status", initial)
            for c in state:
                row.setdefault(c, None)
            rh = hasher(row)
            self._pos += 1
            if single is not None:
                k = row[single]
                add_row(table, "" if k is None else str(k), rh)
            else:
                add_row(table, key_of(table, row), rh)
            row["row_hash"] = rh
            row["event_seq"] = seq
            row["event_pos"] = self._pos
            return getter(row)  # type: ignore[no-any-return]

        return prep

    def key_texts(self, table: str, params: Sequence[tuple[Any, ...]]) -> list[str]:
        """The :func:`key_of` text of each tuple made by :meth:`prepare`."""
        cols = self.columns(table)
        where = [cols.index(k) for k in SPECS[table].key]
        if len(where) == 1:
            i = where[0]
            return ["" if p[i] is None else str(p[i]) for p in params]
        return [C.key_text([p[i] for i in where]) for p in params]

    def insert(self, table: str, rows: Iterable[dict[str, Any]]) -> int:
        """Insert validated rows (executemany). Returns the number inserted."""
        params = [self.prepare(table, r) for r in rows]
        if params:
            sql = self._sql.get(table) or self._insert_sql(table, self.columns(table))
            self._sql[table] = sql
            self.conn.exec_driver_sql(sql, params)
        return len(params)

    def insert_prepared(self, table: str, params: list[tuple[Any, ...]]) -> None:
        """Insert tuples made by :meth:`prepare` (PostgreSQL: COPY, several times faster)."""
        if not params:
            return
        if self.conn.dialect.name == "postgresql":
            import psycopg

            cols = ", ".join(self.columns(table))
            raw: Any = self.conn.connection.driver_connection
            try:
                with raw.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN") as cp:
                    for row in params:
                        cp.write_row(row)
            except psycopg.errors.IntegrityError as exc:
                raise sa_exc.IntegrityError(f"COPY {table}", None, exc) from exc
            return
        sql = self._sql.get(table) or self._insert_sql(table, self.columns(table))
        self._sql[table] = sql
        self.conn.exec_driver_sql(sql, params)

    def set_state(self, table: str, key: dict[str, Any], **state: Any) -> None:
        """Change a row's state columns once (supersede, retract, decide)."""
        spec = SPECS[table]
        t = TABLES[table]
        values = {c: state.get(c) for c in spec.state}
        cond = [t.c[k] == v for k, v in key.items()]
        res = self.conn.execute(
            update(t)
            .where(*cond, t.c.status_event_seq.is_(None))
            .values(**values, status_event_seq=self.seq)
        )
        if res.rowcount != 1:
            raise RuntimeError(f"state of {table} {key} changed twice")
        self.digest.add_state(
            table, C.key_text(list(key.values())), [C.canon(values[c]) for c in spec.state]
        )

    def finish(self, actor: str, action: str) -> str:
        """Append the event row; returns its hash."""
        at = utc_now()
        detail = dict(self.detail)
        detail.setdefault("rows", self.digest.counts())
        payload = self.digest.payload_sha256(detail)
        own = C.event_hash(self.seq, at, actor, action, payload, self.prev_hash)
        self.conn.execute(
            ledger_events.insert().values(
                seq=self.seq,
                at=at,
                actor=actor,
                action=action,
                detail=C.dumps(detail),
                payload_sha256=payload,
                prev_hash=self.prev_hash,
                hash=own,
            )
        )
        return own


def last_event(conn: Connection) -> tuple[int, str]:
    """``(seq, hash)`` of the newest event, ``(0, ZERO_HASH)`` for an empty ledger."""
    row = conn.execute(
        select(ledger_events.c.seq, ledger_events.c.hash).order_by(ledger_events.c.seq.desc())
    ).first()
    return (0, C.ZERO_HASH) if row is None else (int(row[0]), str(row[1]))


@dataclass(frozen=True)
class Problem:
    """One thing ``verify`` found wrong."""

    kind: str  # row | event | chain | blob | signature
    where: str  # e.g. "observations obs-1", "event 7", "blob ab12…"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class VerifyReport:
    """What ``verify`` checked and what it found."""

    events: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    blobs: int = 0
    head: str = C.ZERO_HASH
    problems: list[Problem] = field(default_factory=list)
    #: whether a signature over the ledger head was checked too
    signed: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        n = sum(self.rows.values())
        state = "OK" if self.ok else f"{len(self.problems)} problem(s)"
        signed = "; signature checked" if self.signed else ""
        return (
            f"{state}: {self.events} ledger events, {n} rows, {self.blobs} blobs checked; "
            f"ledger head {self.head}{signed}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "events": self.events,
            "rows": self.rows,
            "blobs": self.blobs,
            "head": self.head,
            "signed": self.signed,
            "problems": [p.__dict__ for p in self.problems],
        }


def _stream(conn: Connection, sql: str) -> Iterator[Any]:
    result = conn.execution_options(stream_results=True, yield_per=10000).exec_driver_sql(sql)
    yield from result.mappings()


def verify(conn: Connection, blobs: BlobStore) -> VerifyReport:
    """Recompute every hash in the store and list each mismatch (see module docstring)."""
    report = VerifyReport()
    events = [dict(r) for r in conn.execute(
        select(ledger_events).order_by(ledger_events.c.seq)).mappings()]
    report.events = len(events)
    digests: dict[int, C.EventDigest] = {e["seq"]: C.EventDigest() for e in events}

    for table in TABLE_ORDER:
        spec = SPECS[table]
        hasher = content_hasher(table)
        n = 0
        cols = ", ".join(
            list(dict.fromkeys(spec.content + spec.state))
            + ["row_hash", "event_seq", "event_pos"]
            + (["status_event_seq"] if spec.state else [])
        )
        states: list[tuple[int, str, list[str | None]]] = []
        for row in _stream(conn, f"SELECT {cols} FROM {table} ORDER BY event_seq, event_pos"):
            n += 1
            key = key_of(table, row)
            actual = hasher(row)
            if actual != row["row_hash"]:
                report.problems.append(Problem(
                    "row", f"{table} {key}",
                    "content does not match its row hash (the row was altered)"))
            dig = digests.get(row["event_seq"])
            if dig is None:
                report.problems.append(Problem(
                    "row", f"{table} {key}",
                    f"names ledger event {row['event_seq']}, which does not exist"))
            else:
                dig.add_row(table, key, actual)
            if spec.state:
                sseq = row["status_event_seq"]
                vals = [C.canon(row[c]) for c in spec.state]
                if sseq is None:
                    initial = _INITIAL_STATE[table]
                    if row["status"] != initial or any(v is not None for v in vals[1:]):
                        report.problems.append(Problem(
                            "row", f"{table} {key}",
                            f"status {row['status']!r} was set without a ledger event"))
                else:
                    states.append((sseq, key, vals))
        for sseq, key, vals in states:
            dig = digests.get(sseq)
            if dig is None:
                report.problems.append(Problem(
                    "row", f"{table} {key}",
                    f"state names ledger event {sseq}, which does not exist"))
            else:
                dig.add_state(table, key, vals)
        report.rows[table] = n

    prev = C.ZERO_HASH
    for i, e in enumerate(events, start=1):
        where = f"event {e['seq']} ({e['action']})"
        if e["seq"] != i:
            report.problems.append(Problem(
                "chain", where, f"expected event {i} here: an event is missing"))
        if e["prev_hash"] != prev:
            report.problems.append(Problem(
                "chain", where, "previous-event hash does not match (an event was altered "
                "or removed before it)"))
        own = C.event_hash(e["seq"], e["at"], e["actor"], e["action"], e["payload_sha256"],
                           e["prev_hash"])
        if own != e["hash"]:
            report.problems.append(Problem("event", where, "event hash does not match its "
                                                           "fields (the event was altered)"))
        try:
            detail = json.loads(e["detail"])
        except (TypeError, ValueError):
            detail = None
        if detail is None or digests[e["seq"]].payload_sha256(detail) != e["payload_sha256"]:
            report.problems.append(Problem(
                "event", where, _payload_message(detail, digests[e["seq"]])))
        prev = e["hash"]
    report.head = prev

    referenced: set[str] = set()
    for (sha,) in conn.exec_driver_sql("SELECT sha256 FROM sources"):
        referenced.add(sha)
    for (sha,) in conn.exec_driver_sql(
            "SELECT data_sha256 FROM quarantine WHERE data_sha256 IS NOT NULL"):
        referenced.add(sha)
    seen: set[str] = set()
    for name, actual in blobs.rehash(conn):
        report.blobs += 1
        seen.add(name)
        if name != actual:
            report.problems.append(Problem(
                "blob", f"blob {name}", f"bytes hash to {actual}: the blob was altered"))
    for sha in sorted(referenced - seen):
        report.problems.append(Problem("blob", f"blob {sha}", "is cited but missing"))
    return report


def _payload_message(detail: dict[str, Any] | None, digest: C.EventDigest) -> str:
    if detail is None:
        return "detail is not readable JSON (the event was altered)"
    claimed = detail.get("rows", {})
    counts = digest.counts()
    diffs = [
        f"{t}: ledger says {claimed.get(t, 0)} rows, table holds {counts.get(t, 0)}"
        for t in sorted(set(claimed) | set(counts))
        if claimed.get(t, 0) != counts.get(t, 0)
    ]
    if diffs:
        return "rows written by this event were removed or added (" + "; ".join(diffs) + ")"
    return "rows written by this event no longer match its payload hash (a row was altered)"


def execute_lock(conn: Connection) -> None:
    """Serialise writers: one ledger event at a time."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("LOCK TABLE ledger_events IN SHARE ROW EXCLUSIVE MODE"))
