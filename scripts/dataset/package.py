"""datapackage.json: a Frictionless data package describing the bundled CSVs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from .common import SeedFile
from .sources import SEED_TITLES, SOURCE_URLS

#: Frictionless field types of the columns that are not strings.
FIELD_TYPES: dict[str, str] = {
    "byte_length": "integer",
    "http_status": "integer",
    "year": "integer",
    "since_year": "integer",
    "approved_year": "integer",
    "value": "number",
    "low": "number",
    "high": "number",
    "military": "boolean",
    "line": "integer",
    "part": "integer",
}

FIELD_DESCRIPTIONS: dict[str, str] = {
    "as_of": "ISO 8601 date, reduced precision allowed (2015, 2015-03, 2015-03-31)",
    "source_locator": "line N of the seed file whose sha256 is source_sha256 (header = line 1)",
    "original_text": "the raw cells the value was read from, before normalisation",
    "path": "where the source's bytes lie, relative to this data package",
}


def _schema(
    columns: Sequence[str], primary_key: str | None, foreign_keys: list[dict[str, object]]
) -> dict[str, object]:
    fields = []
    for col in columns:
        field: dict[str, object] = {"name": col, "type": FIELD_TYPES.get(col, "string")}
        if col in FIELD_DESCRIPTIONS:
            field["description"] = FIELD_DESCRIPTIONS[col]
        if col == "military":
            field["trueValues"] = ["true"]
            field["falseValues"] = ["false"]
        fields.append(field)
    schema: dict[str, object] = {"fields": fields}
    if primary_key:
        schema["primaryKey"] = [primary_key]
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def _fk(field: str, resource: str, target: str) -> dict[str, object]:
    return {"fields": [field], "reference": {"resource": resource, "fields": [target]}}


def write_datapackage(
    out_dir: Path,
    tables: dict[str, Sequence[str]],
    seeds: Sequence[SeedFile],
) -> None:
    """Write datapackage.json for ``tables`` (file name -> columns), deterministically."""
    keys = {
        "sources.csv": ("sha256", []),
        "hospitals.csv": ("hospital_id", []),
        "hospital_aliases.csv": (None, [_fk("hospital_id", "hospitals", "hospital_id")]),
        "observations.csv": (
            "observation_id",
            [
                _fk("hospital_id", "hospitals", "hospital_id"),
                _fk("source_sha256", "sources", "sha256"),
            ],
        ),
        "official_figures.csv": ("figure_id", [_fk("source_sha256", "sources", "sha256")]),
        "reference_figures.csv": ("figure_id", [_fk("source_sha256", "sources", "sha256")]),
    }
    resources = []
    for name, columns in tables.items():
        primary_key, fks = keys[name]
        resources.append(
            {
                "name": name.removesuffix(".csv"),
                "path": name,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": _schema(columns, primary_key, fks),
            }
        )
    package = {
        "profile": "tabular-data-package",
        "name": "txaudit-bundled",
        "title": "txaudit bundled published dataset",
        "description": (
            "Hospitals, hospital-level observations, official series (China and the GODT "
            "country panel 2000-2017) and reference figures, normalised to txaudit's "
            "controlled vocabulary by scripts/build_dataset.py. Every row names the seed "
            "file it was read from (sha256 + line) and the public page it cites. Seed lines "
            "that fit no indicator are listed with their reason in unmapped.csv beside this "
            "file (a build report, not a table to import)."
        ),
        "sources": [
            {
                "title": SEED_TITLES.get(seed.name, seed.name),
                "path": f"../seed/{seed.name}",
                **({"url": SOURCE_URLS[seed.name]} if seed.name in SOURCE_URLS else {}),
            }
            for seed in sorted(seeds, key=lambda s: s.name)
        ],
        "resources": resources,
    }
    text = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
    (out_dir / "datapackage.json").write_bytes(text.encode("utf-8"))
