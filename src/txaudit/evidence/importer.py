"""Import of CSV files and Frictionless data packages: streamed, validated, all-or-nothing.

Files are read row by row and inserted in batches inside one transaction (one ledger
event), so memory stays flat whatever the file size and a bad row anywhere leaves the
store exactly as it was. Formats: docs/reference/csv-formats.md.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection
from sqlalchemy import exc as sa_exc

from txaudit import frames
from txaudit.errors import InputError
from txaudit.evidence import canonical as C
from txaudit.evidence import validate as VAL
from txaudit.evidence.fastpath import make_fast_observation
from txaudit.evidence.ledger import Writer
from txaudit.evidence.schema import SPECS

if TYPE_CHECKING:
    from txaudit.evidence.store import Store

#: Tables that can be imported, in the order an import writes them.
IMPORT_ORDER: tuple[str, ...] = (
    "sources",
    "hospitals",
    "hospital_aliases",
    "observations",
    "official_figures",
    "reference_figures",
)

#: Optional provenance columns an observations.csv may carry (export writes them).
OBSERVATION_OPTIONAL: tuple[str, ...] = ("supersedes", "reviewer", "claim_id")

BATCH = 5000
#: SQLite page cache (KiB) while importing; see :func:`_large_cache`
IMPORT_CACHE_KIB = 64 * 1024
_csv_limit_set = False


def csv_columns(table: str) -> tuple[str, ...]:
    """The header an import file for ``table`` must have."""
    if table == "observations":
        return tuple(c for c in frames.OBSERVATION_COLUMNS if c != "status")
    if table == "sources":
        return (*frames.SOURCE_COLUMNS, "path")
    return SPECS[table].frame


@dataclass
class ImportReport:
    """What an import wrote."""

    files: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    event_seq: int = 0
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def to_dict(self) -> dict[str, Any]:
        return {"files": self.files, "rows": self.rows, "total": self.total,
                "event_seq": self.event_seq, "seconds": round(self.seconds, 3)}


@dataclass(frozen=True)
class _Item:
    table: str
    path: Path
    label: str


def _table_for(path: Path, label: str) -> str:
    stem = path.name.lower()
    for suffix in (".csv",):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
    if stem in IMPORT_ORDER:
        return stem
    raise InputError(
        "cannot tell which table this file is for",
        file=label,
        hint="name it " + ", ".join(f"{t}.csv" for t in IMPORT_ORDER) + " or datapackage.json",
    )


def _plan(paths: Sequence[Path]) -> list[_Item]:
    items: list[_Item] = []
    for p in paths:
        label = str(p)
        if not p.exists():
            raise InputError("no such file", file=label)
        if p.is_dir():
            p = p / "datapackage.json"
            label = str(p)
            if not p.exists():
                raise InputError("folder holds no datapackage.json", file=label)
        if p.name.endswith(".json"):
            items.extend(_package_items(p, label))
        else:
            items.append(_Item(_table_for(p, label), p, label))
    return sorted(items, key=lambda it: IMPORT_ORDER.index(it.table))


def _package_items(path: Path, label: str) -> list[_Item]:
    raw = path.read_bytes()
    try:
        pkg = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError("file is not UTF-8", file=label, line=1) from None
    except json.JSONDecodeError as e:
        hint = "the file looks truncated" if e.pos >= len(raw.rstrip()) - 1 else None
        raise InputError(f"not valid JSON: {e.msg}", file=label, line=e.lineno,
                         hint=hint) from None
    if not isinstance(pkg, dict) or not isinstance(pkg.get("resources"), list):
        raise InputError("a data package needs a 'resources' list", file=label, line=1,
                         field="resources")
    items: list[_Item] = []
    for i, res in enumerate(pkg["resources"]):
        where = f"resources[{i}]"
        if not isinstance(res, dict) or "path" not in res:
            raise InputError("a resource needs a 'path'", file=label, field=where)
        rpaths = res["path"] if isinstance(res["path"], list) else [res["path"]]
        for rp in rpaths:
            if not isinstance(rp, str) or rp.startswith(("http://", "https://")):
                raise InputError(f"resource path {rp!r} must be a local relative path",
                                 file=label, field=f"{where}.path")
            full = path.parent / rp
            rlabel = str(full)
            name = res.get("name")
            table = name if name in IMPORT_ORDER else None
            if table is None:
                try:
                    table = _table_for(full, rlabel)
                except InputError:
                    raise InputError(f"unknown resource {name or rp!r}", file=label,
                                     field=f"{where}.name",
                                     hint="one of: " + ", ".join(IMPORT_ORDER)) from None
            if not full.is_file():
                raise InputError(f"resource file {rp!r} does not exist", file=label,
                                 field=f"{where}.path")
            items.append(_Item(table, full, rlabel))
    return items


def _guess_encoding(path: Path) -> str | None:
    from charset_normalizer import from_bytes

    with path.open("rb") as fh:
        sample = fh.read(256 * 1024)
    best = from_bytes(sample).best()
    if best is None:
        return None
    enc = best.encoding.lower().replace("-", "").replace("_", "")
    if enc in ("gb18030", "gbk", "gb2312", "hz"):
        return "GBK"
    if enc in ("big5", "big5hkscs", "cp950"):
        return "Big5"
    return best.encoding


def _first_bad_line(path: Path) -> int:
    # UTF-8 never puts a newline byte inside a character, so lines decode independently.
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return 1


def _records(path: Path, label: str) -> Iterator[tuple[int, list[str]]]:
    """``(line, fields)`` for each CSV record, the header first; decoding errors named."""
    global _csv_limit_set
    if not _csv_limit_set:
        csv.field_size_limit(16 * 1024 * 1024)
        _csv_limit_set = True
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")
        reader = csv.reader(text, strict=True)
        line = 1
        try:
            for rec in reader:
                yield line, rec
                line = reader.line_num + 1
        except UnicodeDecodeError:
            line = _first_bad_line(path)
            guess = _guess_encoding(path)
            msg = "file is not UTF-8"
            if guess and guess.lower() not in ("utf_8", "utf-8", "ascii"):
                msg += f"; it looks like {guess} — re-save as UTF-8"
            raise InputError(msg, file=label, line=line,
                             hint=None if guess else "re-save the file as UTF-8") from None
        except csv.Error as e:
            raise InputError(f"CSV syntax error: {e}", file=label, line=line) from None


def _header(table: str, rec: list[str], label: str) -> list[str]:
    header = [h.strip() for h in rec]
    expected = csv_columns(table)
    optional = OBSERVATION_OPTIONAL if table == "observations" else ()
    seen: set[str] = set()
    for h in header:
        if h in seen:
            raise InputError("column appears twice", file=label, line=1, field=h)
        seen.add(h)
    for col in expected:
        if col not in seen:
            raise InputError("missing column", file=label, line=1, field=col,
                             hint=f"{table}.csv needs: {','.join(expected)}")
    for h in header:
        if h not in expected and h not in optional:
            raise InputError("unexpected column", file=label, line=1, field=h,
                             hint=f"{table}.csv has exactly: {','.join(expected)}")
    return header


def _source_bytes(row: dict[str, Any], rel: str | None, base: Path, w: Writer,
                  known_blobs: set[str]) -> None:
    sha = row["sha256"]
    if rel is None:
        if sha in known_blobs or w.blobs.has(w.conn, sha):
            return
        raise InputError("path is empty and the store does not hold this blob",
                         field="path", hint="give the file holding the source bytes")
    f = base / rel
    if not f.is_file():
        raise InputError(f"source file {rel!r} does not exist", field="path")
    data = f.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha:
        raise InputError(f"the file's sha256 is {actual}, not {sha}", field="sha256",
                         hint="recompute sha256 of the file")
    if len(data) != row["byte_length"]:
        raise InputError(f"the file has {len(data)} bytes, not {row['byte_length']}",
                         field="byte_length")
    w.blobs.put(w.conn, data)
    known_blobs.add(sha)


def _flush(w: Writer, table: str, batch: list[tuple[Any, ...]], lines: list[int],
           label: str) -> None:
    if not batch:
        return
    nested = w.conn.begin_nested()
    try:
        w.insert_prepared(table, batch)
    except sa_exc.IntegrityError as e:
        nested.rollback()
        keys = w.key_texts(table, batch)
        raise _duplicate_error(w, table, keys, lines, label, e) from None
    nested.commit()


def _duplicate_error(w: Writer, table: str, keys: list[str], lines: list[int], label: str,
                     exc: Exception) -> InputError:
    spec = SPECS[table]
    keycols = ", ".join(spec.key)
    existing: dict[str, int] = {}
    wanted = set(keys)
    for row in w.conn.exec_driver_sql(f"SELECT {keycols}, event_seq FROM {table}"):
        k = C.key_text(list(row[:-1]))
        if k in wanted:
            existing[k] = int(row[-1])
    seen: dict[str, int] = {}
    field_name = spec.key[0] if len(spec.key) == 1 else keycols
    for k, line in zip(keys, lines, strict=True):
        shown = k.replace("\x1e", ", ")
        if k in seen:
            return InputError(f"duplicate row: {shown!r} also on line {seen[k]}",
                              file=label, line=line, field=field_name)
        if k in existing:
            where = "earlier in this import" if existing[k] == w.seq else "already in the store"
            return InputError(f"duplicate row: {shown!r} is {where}", file=label, line=line,
                              field=field_name)
        seen[k] = line
    return InputError(f"database refused a row: {exc.__cause__ or exc}", file=label)


def _same_source(w: Writer, row: dict[str, Any], seen: dict[str, str]) -> bool:
    from txaudit.evidence.ledger import content_hasher

    mine = content_hasher("sources")(row)
    if row["sha256"] in seen:
        return seen[row["sha256"]] == mine
    stored = w.conn.exec_driver_sql(
        "SELECT row_hash FROM sources WHERE sha256 = " + ("?" if w.paramstyle == "qmark"
                                                         else "%s"), (row["sha256"],)).scalar()
    return stored == mine


def _import_csv(w: Writer, item: _Item, ctx: VAL.Context, known_blobs: set[str]) -> int:
    table, label = item.table, item.label
    check = VAL.CHECKS[table]
    records = _records(item.path, label)
    first = next(records, None)
    if first is None or not any(f.strip() for f in first[1]):
        raise InputError("file is empty", file=label, line=1,
                         hint=f"the first line must be the header: {','.join(csv_columns(table))}")
    header = _header(table, first[1], label)
    width = len(header)
    fast = make_fast_observation(header, ctx) if table == "observations" else None
    seen_sources: dict[str, str] = {}
    batch: list[tuple[Any, ...]] = []
    lines: list[int] = []
    prepare = w.prepare
    n = 0
    for line, rec in records:
        if len(rec) != width:
            if not rec or (len(rec) == 1 and not rec[0].strip()):
                continue
            raise InputError(f"has {len(rec)} fields; the header has {width}", file=label,
                             line=line)
        row = fast(rec) if fast is not None else None
        if row is None:
            raw = dict(zip(header, rec, strict=True))
            try:
                row = check(raw, ctx)
                if table == "sources":
                    _source_bytes(row, VAL.text(raw, "path"), item.path.parent, w,
                                  known_blobs)
            except InputError as e:
                raise InputError(e.message, file=label, line=line, field=e.field,
                                 hint=e.hint) from None
        if table == "sources" and row["sha256"] in ctx.sources:
            # content-addressed: the same source again is a no-op, different metadata is not
            if _same_source(w, row, seen_sources):
                continue
            raise InputError(
                "this source is already recorded with different metadata", file=label,
                line=line, field="sha256", hint="drop the row or make it match the store")
        if table == "hospitals":
            ctx.hospitals.add(row["hospital_id"])
        elif table == "sources":
            ctx.sources.add(row["sha256"])
        batch.append(prepare(table, row))
        if table == "sources":
            seen_sources[row["sha256"]] = row["row_hash"]
        lines.append(line)
        n += 1
        if len(batch) >= BATCH:
            _flush(w, table, batch, lines, label)
            batch, lines = [], []
    _flush(w, table, batch, lines, label)
    return n


@contextmanager
def _large_cache(conn: Connection) -> Iterator[None]:
    """On SQLite, a page cache of up to ``IMPORT_CACHE_KIB`` for the import's duration.

    A large import updates the primary-key and hospital indexes all over; with SQLite's
    default 2 MiB cache those pages are evicted and re-read again and again. The cache
    only changes memory use, never what is written or when it is synced, so durability
    and the all-or-nothing transaction are untouched. The previous size is restored.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    old = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(old or -2000)}")


def import_files(store: Store, paths: Sequence[Path], *, actor: str,
                 bundled: bool = False) -> ImportReport:
    """Import CSV files and data packages in one transaction; see the module docstring."""
    start = time.perf_counter()
    plan = _plan(paths)
    if not plan:
        raise InputError("nothing to import")
    report = ImportReport(files=[it.label for it in plan])
    detail: dict[str, Any] = {"files": [it.path.name for it in plan]}
    if bundled:
        detail["bundled"] = True
    with store.writing(actor, "import", detail) as w, _large_cache(w.conn):
        ctx = store._context(w.conn)
        known_blobs: set[str] = set()
        for item in plan:
            n = _import_csv(w, item, ctx, known_blobs)
            report.rows[item.table] = report.rows.get(item.table, 0) + n
        report.event_seq = w.seq
    report.seconds = time.perf_counter() - start
    return report
