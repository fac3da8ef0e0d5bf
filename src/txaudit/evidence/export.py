"""Export of the current rows: CSV files (the import format), a data package, xlsx, parquet.

CSV and data-package exports stream rows straight from the database with values exactly as
stored, and copy each source's bytes to ``blobs/<sha256>``, so importing the export into an
empty store reproduces the same rows and the same row hashes. Superseded and retracted
observations stay in the store and its ledger; exports hold the current state.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from txaudit.errors import InputError
from txaudit.evidence.importer import IMPORT_ORDER, OBSERVATION_OPTIONAL, csv_columns
from txaudit.evidence.schema import BOOL, DEC, INT, SPECS

if TYPE_CHECKING:
    from txaudit.evidence.store import Store

FORMATS: tuple[str, ...] = ("csv", "xlsx", "parquet", "datapackage")

_TABLE_TYPES = {INT: "integer", DEC: "number", BOOL: "boolean"}


def _columns(table: str) -> tuple[str, ...]:
    cols = csv_columns(table)
    return (*cols, *OBSERVATION_OPTIONAL) if table == "observations" else cols


def _cell(value: Any, kind: str | None) -> str:
    if value is None:
        return ""
    if kind == BOOL:
        return "true" if value in (True, 1) else "false"
    return str(value)


def _write_csvs(store: Store, out: Path) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with store._read() as conn:
        for table in IMPORT_ORDER:
            cols = _columns(table)
            db_cols = [c for c in cols if c != "path"]
            where = " WHERE status = 'current'" if table == "observations" else ""
            sql = (f"SELECT {', '.join(db_cols)} FROM {table}{where} "
                   f"ORDER BY event_seq, event_pos")
            kinds = SPECS[table].kinds
            n = 0
            with (out / f"{table}.csv").open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow(cols)
                result = conn.execution_options(stream_results=True,
                                                yield_per=10000).exec_driver_sql(sql)
                for row in result:
                    cells = [_cell(v, kinds.get(c)) for c, v in zip(db_cols, row, strict=True)]
                    if table == "sources":
                        sha = row[0]
                        blob = out / "blobs" / sha
                        blob.parent.mkdir(exist_ok=True)
                        blob.write_bytes(store.blobs.get(conn, sha))
                        cells.append(f"blobs/{sha}")
                    writer.writerow(cells)
                    n += 1
            counts[table] = n
    return counts


def _datapackage(out: Path, counts: dict[str, int]) -> None:
    resources = []
    for table in IMPORT_ORDER:
        kinds = SPECS[table].kinds
        fields = [{"name": c, "type": _TABLE_TYPES.get(kinds.get(c, ""), "string")}
                  for c in _columns(table)]
        resources.append({
            "name": table, "path": f"{table}.csv", "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {"fields": fields, "primaryKey": list(SPECS[table].key)},
        })
    pkg = {"name": "txaudit-export", "profile": "tabular-data-package",
           "resources": resources}
    (out / "datapackage.json").write_text(
        json.dumps(pkg, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _frames(store: Store) -> dict[str, pd.DataFrame]:
    return {
        "sources": store.sources(),
        "hospitals": store.hospitals(),
        "hospital_aliases": store.aliases(),
        "observations": store.observations(),
        "official_figures": store.official_figures(),
        "reference_figures": store.reference_figures(),
    }


def export(store: Store, out: Path, format: str = "csv") -> Path:
    """Write the store's current rows to ``out`` (a folder; a file for xlsx)."""
    if format not in FORMATS:
        raise InputError(f"unknown export format {format!r}", field="format",
                         hint="one of: " + ", ".join(FORMATS))
    if format in ("csv", "datapackage"):
        counts = _write_csvs(store, out)
        if format == "datapackage":
            _datapackage(out, counts)
        return out
    if format == "parquet":
        out.mkdir(parents=True, exist_ok=True)
        for name, df in _frames(store).items():
            df.to_parquet(out / f"{name}.parquet", index=False)
        return out
    if out.suffix.lower() != ".xlsx":
        out = out.with_suffix(".xlsx")
    out.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(out, engine="openpyxl") as xl:
        for name, df in _frames(store).items():
            df.to_excel(xl, sheet_name=name, index=False)
    return out
