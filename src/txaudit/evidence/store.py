"""The evidence store: sources, hospitals, observations, figures, claims, and the ledger.

Open one with :func:`open_store` (an existing store) or :func:`init_store` (create it and
load the bundled dataset). Reads return pandas DataFrames with the columns of
:mod:`txaudit.frames`; every write is one transaction that appends one ledger event.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, select

from txaudit.errors import InputError, NotFoundError
from txaudit.evidence import canonical as C
from txaudit.evidence import validate as VAL
from txaudit.evidence.blobs import BlobStore, FolderBlobStore, TableBlobStore
from txaudit.evidence.engine import make_engine, migrate, normalise_url
from txaudit.evidence.ledger import (
    VerifyReport,
    Writer,
    execute_lock,
    last_event,
    verify,
)
from txaudit.evidence.queries import Queries
from txaudit.evidence.schema import SPECS, TABLES, ledger_events

if TYPE_CHECKING:
    from txaudit.evidence.importer import ImportReport

#: Fields of an observation a caller may give to ``add_observation``/``revise_observation``.
_OBS_FIELDS = SPECS["observations"].content


def bundled_package() -> Path:
    """Path of the bundled dataset's datapackage.json (it may be absent in a checkout)."""
    return Path(str(resources.files("txaudit"))) / "data" / "bundled" / "datapackage.json"


class Store(Queries):
    """A txaudit evidence store on SQLite or PostgreSQL."""

    def __init__(self, engine: Engine, blobs: BlobStore, url: str,
                 sqlite_path: Path | None) -> None:
        self.engine = engine
        self.blobs = blobs
        self.url = url
        self.sqlite_path = sqlite_path

    def __repr__(self) -> str:
        shown = self.url if self.sqlite_path else self.engine.url.render_as_string(
            hide_password=True)
        return f"Store({shown!r})"

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions -------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def writing(self, actor: str, action: str,
                detail: dict[str, Any] | None = None) -> Iterator[Writer]:
        """One transaction that ends with one ledger event (rolled back on any error)."""
        if not actor or not str(actor).strip():
            raise InputError("an actor (who makes this change) is required", field="actor")
        with self.engine.connect() as conn:
            conn = conn.execution_options(txaudit_write=True)
            with conn.begin():
                execute_lock(conn)
                seq, prev = last_event(conn)
                writer = Writer(conn, self.blobs, seq + 1, prev)
                writer.detail.update(detail or {})
                yield writer
                writer.finish(str(actor), action)

    # -- ledger and verification --------------------------------------------------------

    def ledger_head(self) -> str:
        """Hash of the newest ledger event: it commits to the whole content of the store."""
        with self._read() as conn:
            return last_event(conn)[1]

    def verify(self, *, signature: str | Path | None = None,
               public_key: str | Path | None = None) -> VerifyReport:
        """Re-hash every row and blob and walk the ledger chain; lists each problem.

        With ``signature`` (a file made by ``txaudit sign``) and ``public_key`` (PEM), also
        check that the key holder signed this store's history up to the signed event.
        """
        with self._read() as conn:
            report = verify(conn, self.blobs)
        if (signature is None) != (public_key is None):
            raise InputError("give both a signature file and a public key",
                             field="signature" if signature is None else "public_key")
        if signature is not None and public_key is not None:
            from txaudit.evidence.signing import check_signature

            report.problems.extend(check_signature(self, Path(signature), Path(public_key)))
            report.signed = True
        return report

    def content_digest(self) -> str:
        """sha256 over the sorted row hashes of current rows, table by table.

        Unlike :meth:`ledger_head` it ignores when and by whom rows were written, so an
        export imported into an empty store has the same digest as the original.
        """
        h = hashlib.sha256()
        with self._read() as conn:
            for table in ("sources", "hospitals", "hospital_aliases", "observations",
                          "official_figures", "reference_figures"):
                where = " WHERE status = 'current'" if table == "observations" else ""
                # hex digits sort the same under every collation, so the SQL order is
                # the same on both backends; streaming keeps memory flat
                h.update(f"{table}\n".encode())
                result = conn.execution_options(stream_results=True, yield_per=10000)
                for (rh,) in result.exec_driver_sql(
                        f"SELECT row_hash FROM {table}{where} ORDER BY row_hash"):
                    h.update(rh.encode() + b"\n")
        return h.hexdigest()

    # -- sources and blobs --------------------------------------------------------------

    def add_source(
        self,
        data: bytes,
        *,
        actor: str,
        url: str | None = None,
        media_type: str | None = None,
        retrieved_at: str | None = None,
        http_status: int | None = None,
        http_headers: dict[str, Any] | str | None = None,
        warc_record_id: str | None = None,
        warc_payload_digest: str | None = None,
        charset: str | None = None,
        lang: str | None = None,
        title: str | None = None,
        collector: str | None = None,
        tool_version: str | None = None,
        parent_sha256: str | None = None,
        archive_url: str | None = None,
    ) -> str:
        """Archive ``data`` unchanged and record where it came from; returns its sha256.

        Adding bytes the store already holds changes nothing and returns the same sha256.
        To add many sources, :meth:`add_sources` is much faster (one transaction).
        """
        meta = {
            "url": url, "media_type": media_type, "retrieved_at": retrieved_at,
            "http_status": http_status, "http_headers": http_headers,
            "warc_record_id": warc_record_id, "warc_payload_digest": warc_payload_digest,
            "charset": charset, "lang": lang, "title": title, "collector": collector,
            "tool_version": tool_version, "parent_sha256": parent_sha256,
            "archive_url": archive_url,
        }
        sha = hashlib.sha256(data).hexdigest()
        if self.has_source(sha):
            return sha
        raw = _source_raw(sha, data, meta)
        with self.writing(actor, "add_source", {"sha256": sha}) as w:
            if w.conn.execute(select(TABLES["sources"].c.sha256).where(
                    TABLES["sources"].c.sha256 == sha)).first():
                return sha
            row = VAL.check_source(raw, self._lookup_context(w.conn))
            w.blobs.put(w.conn, data)
            w.insert("sources", [row])
        return sha

    def add_sources(self, items: Iterable[tuple[bytes, dict[str, Any]]], *,
                    actor: str) -> list[str]:
        """Archive many documents in one transaction and one ledger event; returns sha256s.

        ``items`` are ``(data, metadata)`` pairs, the metadata being the keyword arguments
        of :meth:`add_source`. Like ``add_source`` it is idempotent: bytes already in the
        store (or earlier in the same call) are skipped, and a call that adds nothing
        writes no event. A ``parent_sha256`` may name a source earlier in the same call.
        Every row gets its own row hash, so ``verify`` still checks each one. Any invalid
        item rolls the whole call back with an error naming its position (``line``).
        """
        pending: list[tuple[str, bytes, dict[str, Any]]] = []
        for i, (data, meta) in enumerate(items):
            unknown = set(meta) - _SOURCE_META
            if unknown:
                raise InputError(f"unknown source field(s): {', '.join(sorted(unknown))}",
                                 file="add_sources", line=i + 1, field=sorted(unknown)[0])
            sha = hashlib.sha256(data).hexdigest()
            pending.append((sha, data, _source_raw(sha, data, meta)))
        shas = [p[0] for p in pending]
        with self._read() as conn:
            if not self._new_shas(conn, shas):
                return shas
        with self.writing(actor, "add_sources") as w:
            new = self._new_shas(w.conn, shas)
            ctx = self._lookup_context(w.conn)
            rows: list[dict[str, Any]] = []
            blobs: list[bytes] = []
            for i, (sha, data, raw) in enumerate(pending):
                if sha not in new:
                    continue
                new.discard(sha)
                try:
                    rows.append(VAL.check_source(raw, ctx))
                except InputError as exc:
                    raise InputError(exc.message, file="add_sources", line=i + 1,
                                     field=exc.field, hint=exc.hint) from None
                ctx.sources.add(sha)
                blobs.append(data)
            w.blobs.put_many(w.conn, blobs)
            w.insert("sources", rows)
            w.detail["added"] = len(rows)
            # the sha256s name what was added; the payload hash covers each row
            w.detail["sha256"] = [r["sha256"] for r in rows]
        return shas

    def _new_shas(self, conn: Connection, shas: Sequence[str]) -> set[str]:
        """Those of ``shas`` not yet recorded as sources (primary-key lookups in chunks)."""
        t = TABLES["sources"]
        wanted = list(dict.fromkeys(shas))
        have: set[str] = set()
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            have.update(r[0] for r in conn.execute(select(t.c.sha256).where(
                t.c.sha256.in_(chunk))))
        return set(wanted) - have

    def get_blob(self, sha256: str) -> bytes:
        """The original bytes of a source (or any stored blob)."""
        with self._read() as conn:
            return self.blobs.get(conn, sha256)

    def has_source(self, sha256: str) -> bool:
        """Whether a source with this sha256 is recorded."""
        with self._read() as conn:
            t = TABLES["sources"]
            return conn.execute(select(t.c.sha256).where(t.c.sha256 == sha256)).first() \
                is not None

    def _context(self, conn: Connection, *, hospitals: bool = True) -> VAL.Context:
        """All source and hospital ids, for imports that check many rows."""
        ctx = VAL.Context()
        ctx.sources = {r[0] for r in conn.exec_driver_sql("SELECT sha256 FROM sources")}
        if hospitals:
            ctx.hospitals = {r[0] for r in conn.exec_driver_sql(
                "SELECT hospital_id FROM hospitals")}
        return ctx

    def _lookup_context(self, conn: Connection) -> VAL.Context:
        """Ids looked up one by one, for single writes (no full-table reads)."""
        ctx = VAL.Context()
        ctx.sources = _DbIds(conn, TABLES["sources"].c.sha256)
        ctx.hospitals = _DbIds(conn, TABLES["hospitals"].c.hospital_id)
        return ctx

    # -- observations -------------------------------------------------------------------

    def add_observation(self, *, actor: str, **fields: Any) -> str:
        """Validate and add one observation; returns its id.

        ``fields`` are the observation columns of :data:`txaudit.frames.OBSERVATION_COLUMNS`
        (without ``status``) plus optional ``reviewer``. Without ``observation_id`` an id
        is derived from the content.
        """
        unknown = set(fields) - set(_OBS_FIELDS)
        if unknown:
            raise InputError(f"unknown observation field(s): {', '.join(sorted(unknown))}",
                             field=sorted(unknown)[0])
        with self.writing(actor, "add_observation") as w:
            oid = self._insert_observation(w, dict(fields))
            w.detail["observation_id"] = oid
        return oid

    def _insert_observation(self, w: Writer, fields: dict[str, Any]) -> str:
        if not fields.get("observation_id"):
            seed = C.dumps([w.seq, {k: C.canon(v) for k, v in sorted(fields.items())}])
            fields["observation_id"] = "obs-" + C.sha256_hex(seed.encode())[:16]
        row = VAL.check_observation(fields, self._lookup_context(w.conn))
        t = TABLES["observations"]
        if w.conn.execute(select(t.c.observation_id).where(
                t.c.observation_id == row["observation_id"])).first():
            raise InputError(f"observation {row['observation_id']!r} already exists",
                             field="observation_id")
        w.insert("observations", [row])
        return str(row["observation_id"])

    def _current_observation(self, conn: Connection, obs_id: str) -> dict[str, Any]:
        t = TABLES["observations"]
        row = conn.execute(select(t).where(t.c.observation_id == obs_id)).mappings().first()
        if row is None:
            raise NotFoundError(f"no observation {obs_id!r}")
        if row["status"] != "current":
            raise InputError(f"observation {obs_id!r} is {row['status']}, not current",
                             field="observation_id")
        return dict(row)

    def revise_observation(self, obs_id: str, *, actor: str, reason: str,
                           **changes: Any) -> str:
        """Supersede an observation by a corrected copy; returns the new id.

        The old row stays readable (status ``superseded``); the new row names it in
        ``supersedes``. Nothing is updated in place except the old row's status, which the
        ledger event covers.
        """
        if not reason or not reason.strip():
            raise InputError("a revision needs a reason", field="reason")
        bad = set(changes) - set(_OBS_FIELDS) - {"observation_id"}
        if bad or "supersedes" in changes:
            raise InputError(f"cannot change field(s): {', '.join(sorted(bad))}",
                             field=sorted(bad)[0] if bad else "supersedes")
        with self.writing(actor, "revise_observation") as w:
            old = self._current_observation(w.conn, obs_id)
            fields = {c: old[c] for c in _OBS_FIELDS}
            fields.update(changes)
            fields["supersedes"] = obs_id
            fields["observation_id"] = changes.get("observation_id")
            new_id = self._insert_observation(w, fields)
            w.set_state("observations", {"observation_id": obs_id},
                        status="superseded", status_reason=reason)
            w.detail.update({"observation_id": obs_id, "new_id": new_id, "reason": reason,
                             "changes": {k: C.canon(v) for k, v in sorted(changes.items())}})
        return new_id

    def retract_observation(self, obs_id: str, *, actor: str, reason: str) -> None:
        """Withdraw an observation, keeping it (status ``retracted``) with the reason."""
        if not reason or not reason.strip():
            raise InputError("a retraction needs a reason", field="reason")
        with self.writing(actor, "retract_observation",
                          {"observation_id": obs_id, "reason": reason}) as w:
            self._current_observation(w.conn, obs_id)
            w.set_state("observations", {"observation_id": obs_id},
                        status="retracted", status_reason=reason)

    # -- claims (review queue) -----------------------------------------------------------

    def add_claims(self, claims: Sequence[dict[str, Any]], *, actor: str) -> list[str]:
        """Queue extracted claims for review; returns their ids (existing ones included).

        A claim is identified by its source, span and indicator, so adding it again adds
        nothing.
        """
        ids: list[str] = []
        with self.writing(actor, "add_claims") as w:
            ctx = self._lookup_context(w.conn)
            t = TABLES["claims"]
            have = _DbIds(w.conn, t.c.claim_id)
            new: list[dict[str, Any]] = []
            for i, raw in enumerate(claims):
                try:
                    row = VAL.check_claim(raw, ctx)
                except InputError as exc:
                    raise InputError(exc.message, file="claims", line=i + 1, field=exc.field,
                                     hint=exc.hint) from None
                ident = C.dumps([row["source_sha256"], row["span_start"], row["span_end"],
                                 row["indicator"]])
                cid = "clm-" + C.sha256_hex(ident.encode())[:16]
                ids.append(cid)
                if cid in have:
                    continue
                have.add(cid)
                row["claim_id"] = cid
                new.append(row)
            w.insert("claims", new)
            w.detail["added"] = len(new)
        return ids

    def decide_claim(
        self,
        claim_id: str,
        decision: str,
        *,
        actor: str,
        changes: dict[str, Any] | None = None,
        rule: str | None = None,
        grade: str = "B",
    ) -> str | None:
        """Accept, reject or edit a proposed claim; returns the new observation's id.

        ``accept`` and ``edit`` (accept with ``changes``) create an observation that keeps
        the claim's source sha256, its span as ``source_locator`` and the reviewer's name.
        ``rule`` names a batch rule that made the decision; the ledger records it.
        """
        if decision not in ("accept", "reject", "edit"):
            raise InputError(f"unknown decision {decision!r}", field="decision",
                             hint="accept, reject or edit")
        status = {"accept": "accepted", "reject": "rejected", "edit": "edited"}[decision]
        with self.writing(actor, f"claim_{decision}") as w:
            t = TABLES["claims"]
            claim = w.conn.execute(select(t).where(t.c.claim_id == claim_id)).mappings().first()
            if claim is None:
                raise NotFoundError(f"no claim {claim_id!r}")
            if claim["status"] != "proposed":
                raise InputError(f"claim {claim_id!r} is already {claim['status']}",
                                 field="claim_id")
            obs_id: str | None = None
            if decision != "reject":
                obs_id = self._insert_observation(
                    w, self._observation_from_claim(w.conn, dict(claim), actor, grade,
                                                    changes or {}, rule))
            w.set_state("claims", {"claim_id": claim_id}, status=status,
                        decided_by=str(actor), rule=rule, observation_id=obs_id)
            w.detail.update({
                "claim_id": claim_id, "decision": decision, "rule": rule,
                "observation_id": obs_id,
                "changes": {k: C.canon(v) for k, v in sorted((changes or {}).items())},
            })
        return obs_id

    def _observation_from_claim(self, conn: Connection, claim: dict[str, Any], actor: str,
                                grade: str, changes: dict[str, Any],
                                rule: str | None) -> dict[str, Any]:
        src = conn.execute(select(TABLES["sources"].c.url).where(
            TABLES["sources"].c.sha256 == claim["source_sha256"])).scalar()
        locator = None
        if claim["span_start"] is not None:
            locator = f"chars {claim['span_start']}-{claim['span_end']}"
        fields: dict[str, Any] = {
            "scope": "hospital", "hospital_id": claim["hospital_id"],
            "indicator": claim["indicator"], "organ": claim["organ"], "year": claim["year"],
            "since_year": claim["since_year"], "as_of": claim["as_of"],
            "value": claim["value"], "low": claim["low"], "high": claim["high"],
            "qualifier": claim["qualifier"], "unit": claim["unit"], "grade": grade,
            "source_sha256": claim["source_sha256"], "source_locator": locator,
            "cited_url": src, "original_text": claim["text"], "reviewer": actor,
            "claim_id": claim["claim_id"], "note": f"batch rule: {rule}" if rule else None,
        }
        bad = set(changes) - set(_OBS_FIELDS)
        if bad:
            raise InputError(f"unknown field(s) in changes: {', '.join(sorted(bad))}",
                             field=sorted(bad)[0])
        fields.update(changes)
        return fields

    # -- quarantine ---------------------------------------------------------------------

    def add_quarantine(self, origin: str, reason: str, *, stage: str, actor: str,
                       data: bytes | None = None) -> int:
        """Set a bad record aside with the reason, so a batch job can carry on."""
        with self.writing(actor, "quarantine", {"origin": origin, "stage": stage}) as w:
            n = w.conn.exec_driver_sql(
                "SELECT COALESCE(MAX(quarantine_id), 0) FROM quarantine").scalar()
            qid = int(n or 0) + 1
            sha = w.blobs.put(w.conn, data) if data is not None else None
            w.insert("quarantine", [{"quarantine_id": qid, "origin": origin, "reason": reason,
                                     "stage": stage, "data_sha256": sha}])
        return qid

    # -- import / export ----------------------------------------------------------------

    def import_files(self, paths: Sequence[str | Path], *, actor: str) -> ImportReport:
        """Import CSV files and/or data packages in one transaction (see csv-formats.md)."""
        from txaudit.evidence.importer import import_files

        return import_files(self, [Path(p) for p in paths], actor=actor)

    def export(self, out: str | Path, format: str = "csv") -> Path:
        """Write the current rows as csv, xlsx, parquet or a data package."""
        from txaudit.evidence.export import export

        return export(self, Path(out), format)


_SOURCE_META = frozenset({
    "url", "media_type", "retrieved_at", "http_status", "http_headers", "warc_record_id",
    "warc_payload_digest", "charset", "lang", "title", "collector", "tool_version",
    "parent_sha256", "archive_url",
})


def _source_raw(sha: str, data: bytes, meta: dict[str, Any]) -> dict[str, Any]:
    """The unvalidated source row for ``data`` and its metadata."""
    headers = meta.get("http_headers")
    if isinstance(headers, dict):
        headers = json.dumps(headers, ensure_ascii=False, sort_keys=True)
    raw = {name: meta.get(name) for name in _SOURCE_META}
    raw.update(sha256=sha, byte_length=len(data), http_headers=headers)
    return raw


class _DbIds:
    """Set-like view of one key column: ``in`` asks the database (and remembers)."""

    def __init__(self, conn: Connection, column: Any) -> None:
        self._conn = conn
        self._column = column
        self._known: set[Any] = set()

    def __contains__(self, value: object) -> bool:
        if value in self._known:
            return True
        found = self._conn.execute(
            select(self._column).where(self._column == value).limit(1)).first()
        if found is not None:
            self._known.add(value)
        return found is not None

    def add(self, value: Any) -> None:
        self._known.add(value)


def _build(url: str | Path | None) -> Store:
    sa_url, path = normalise_url(url)
    engine = make_engine(sa_url)
    blobs: BlobStore
    if path is not None:
        blobs = FolderBlobStore(path.with_name(path.name + ".blobs")
                                if path.suffix == "" else path.with_suffix(".blobs"))
    else:
        blobs = TableBlobStore()
    return Store(engine, blobs, str(path) if path else sa_url, path)


def open_store(url: str | Path | None = None) -> Store:
    """Open an existing store (SQLite path, ``sqlite:///…`` or ``postgresql://…``).

    Migrates the schema to the newest version. A SQLite file that does not exist is an
    error (use :func:`init_store` to create one).
    """
    store = _build(url)
    if store.sqlite_path is not None and not store.sqlite_path.exists():
        raise NotFoundError(f"no store at {store.sqlite_path}; create one with `txaudit init`")
    migrate(store.engine)
    return store


def init_store(url: str | Path | None = None, *, load_bundled: bool = True,
               actor: str = "txaudit", bundled: str | Path | None = None) -> Store:
    """Create (or migrate) a store and load the bundled dataset unless told not to.

    Running it again on an existing store changes nothing, except loading the bundled
    dataset if that was skipped before and is now asked for. ``bundled`` points to another
    datapackage.json (tests use a small one).
    """
    store = _build(url)
    if store.sqlite_path is not None:
        store.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    rev = migrate(store.engine)
    with store._read() as conn:
        events = [(r[0], r[1]) for r in conn.execute(
            select(ledger_events.c.action, ledger_events.c.detail))]
    if not events:
        with store.writing(actor, "init", {"schema": rev}):
            pass
    if load_bundled and not any(a == "import" and '"bundled":true' in d for a, d in events):
        pkg = Path(bundled) if bundled is not None else bundled_package()
        if not pkg.is_file():
            raise NotFoundError(
                f"the bundled dataset is missing ({pkg}); reinstall txaudit, or run "
                "`txaudit init --no-bundled` for an empty store")
        from txaudit.evidence.importer import import_files

        import_files(store, [pkg], actor=actor, bundled=True)
    return store
