"""Tables of the evidence store, and which columns each row's content hash covers.

Every table holds its frames.py columns plus bookkeeping:

- ``row_hash``: sha256 of the row's canonical content (see :mod:`.canonical`);
- ``event_seq``: the ledger event that wrote the row, ``event_pos`` its position in
  that event (so the event's payload hash can be recomputed in a fixed order);
- on observations and claims, *state* columns (``status`` …) that change once, when a
  later event supersedes/retracts an observation or decides a claim. Those changes are
  covered by the payload of the event named in ``status_event_seq``.

Decimal values are stored as normalised decimal text, so both backends keep them exactly
and hash them identically; the read API turns them into floats.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    Boolean,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

from txaudit import frames

metadata = MetaData()

#: Column kinds used for validation, canonical hashing and DataFrame dtypes.
TEXT, INT, DEC, BOOL = "text", "int", "dec", "bool"


@dataclass(frozen=True)
class TableSpec:
    """What the store needs to know about one table."""

    name: str
    key: tuple[str, ...]
    #: content columns in hash order (frames columns plus immutable extras)
    content: tuple[str, ...]
    kinds: dict[str, str]
    #: state columns that may change once after insert, covered by ``status_event_seq``
    state: tuple[str, ...] = ()
    #: the frames.py column list the read API returns
    frame: tuple[str, ...] = ()


def _kinds(cols: tuple[str, ...], **special: str) -> dict[str, str]:
    return {c: special.get(c, TEXT) for c in cols}


_OBS_EXTRA = ("supersedes", "reviewer", "claim_id")
_OBS_CONTENT = tuple(c for c in frames.OBSERVATION_COLUMNS if c != "status") + _OBS_EXTRA

CLAIM_COLUMNS: tuple[str, ...] = (
    "claim_id",
    "source_sha256",
    "indicator",
    "organ",
    "value",
    "low",
    "high",
    "qualifier",
    "unit",
    "year",
    "since_year",
    "as_of",
    "hospital_id",
    "lang",
    "text",
    "span_start",
    "span_end",
    "extractor_version",
)
CLAIM_STATE: tuple[str, ...] = ("status", "decided_by", "rule", "observation_id")

QUARANTINE_COLUMNS: tuple[str, ...] = ("quarantine_id", "origin", "reason", "stage", "data_sha256")

SPECS: dict[str, TableSpec] = {
    "sources": TableSpec(
        "sources",
        ("sha256",),
        frames.SOURCE_COLUMNS,
        _kinds(frames.SOURCE_COLUMNS, byte_length=INT, http_status=INT),
        frame=frames.SOURCE_COLUMNS,
    ),
    "hospitals": TableSpec(
        "hospitals",
        ("hospital_id",),
        frames.HOSPITAL_COLUMNS,
        _kinds(frames.HOSPITAL_COLUMNS, military=BOOL, approved_year=INT),
        frame=frames.HOSPITAL_COLUMNS,
    ),
    "hospital_aliases": TableSpec(
        "hospital_aliases",
        ("hospital_id", "alias", "lang"),
        frames.ALIAS_COLUMNS,
        _kinds(frames.ALIAS_COLUMNS),
        frame=frames.ALIAS_COLUMNS,
    ),
    "observations": TableSpec(
        "observations",
        ("observation_id",),
        _OBS_CONTENT,
        _kinds(
            _OBS_CONTENT + ("status", "status_reason"),
            year=INT,
            since_year=INT,
            value=DEC,
            low=DEC,
            high=DEC,
        ),
        state=("status", "status_reason"),
        frame=frames.OBSERVATION_COLUMNS,
    ),
    "official_figures": TableSpec(
        "official_figures",
        ("figure_id",),
        frames.OFFICIAL_FIGURE_COLUMNS,
        _kinds(frames.OFFICIAL_FIGURE_COLUMNS, year=INT, value=DEC),
        frame=frames.OFFICIAL_FIGURE_COLUMNS,
    ),
    "reference_figures": TableSpec(
        "reference_figures",
        ("figure_id",),
        frames.REFERENCE_FIGURE_COLUMNS,
        _kinds(frames.REFERENCE_FIGURE_COLUMNS, value=DEC, low=DEC, high=DEC),
        frame=frames.REFERENCE_FIGURE_COLUMNS,
    ),
    "claims": TableSpec(
        "claims",
        ("claim_id",),
        CLAIM_COLUMNS,
        _kinds(
            CLAIM_COLUMNS + CLAIM_STATE,
            value=DEC,
            low=DEC,
            high=DEC,
            year=INT,
            since_year=INT,
            span_start=INT,
            span_end=INT,
        ),
        state=CLAIM_STATE,
        frame=CLAIM_COLUMNS + CLAIM_STATE,
    ),
    "quarantine": TableSpec(
        "quarantine",
        ("quarantine_id",),
        QUARANTINE_COLUMNS,
        _kinds(QUARANTINE_COLUMNS, quarantine_id=INT),
        frame=QUARANTINE_COLUMNS,
    ),
}

#: Fixed order in which tables are written by an import and hashed by verify.
TABLE_ORDER: tuple[str, ...] = tuple(SPECS)


def _sa_type(kind: str) -> type[Integer] | type[Boolean] | type[Text]:
    return {INT: Integer, BOOL: Boolean}.get(kind, Text)  # type: ignore[return-value]


def _bookkeeping(spec: TableSpec) -> list[Column]:
    cols: list[Column] = [
        Column("row_hash", String(64), nullable=False),
        Column("event_seq", Integer, nullable=False),
        Column("event_pos", Integer, nullable=False),
    ]
    if spec.state:
        cols.append(Column("status_event_seq", Integer))
    return cols


def _table(spec: TableSpec) -> Table:
    names = list(dict.fromkeys(spec.content + spec.state))
    cols = [
        Column(
            n,
            _sa_type(spec.kinds[n]),
            primary_key=n in spec.key,
            nullable=n not in spec.key,
            autoincrement=False,
        )
        for n in names
    ]
    return Table(spec.name, metadata, *cols, *_bookkeeping(spec))


TABLES: dict[str, Table] = {name: _table(spec) for name, spec in SPECS.items()}

ledger_events = Table(
    "ledger_events",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", Text, nullable=False),
    Column("detail", Text, nullable=False),
    Column("payload_sha256", String(64), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

#: PostgreSQL keeps blobs in this table; SQLite keeps them in a folder beside the file.
blobs = Table(
    "blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

for _name in SPECS:
    Index(f"ix_{_name}_event", TABLES[_name].c.event_seq, TABLES[_name].c.event_pos)
# Few secondary indexes: each one slows large imports, and most reads scan anyway.
Index("ix_observations_hospital", TABLES["observations"].c.hospital_id)
Index("ix_claims_status", TABLES["claims"].c.status)
Index("ix_aliases_alias", TABLES["hospital_aliases"].c.alias)
