"""What the readers produce: documents with provenance, quarantined records, limits, totals.

The reading side of collection is pure: it turns bytes on disk into
:class:`Document` and :class:`Quarantined` values and never touches the store.
The sink (:mod:`txaudit.collect.sink`) is the only part that writes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

#: Name written into every Source's ``collector`` field.
COLLECTOR = "txaudit.collect"


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of ``data``: the identity of every blob in the store."""
    return hashlib.sha256(data).hexdigest()


@dataclass
class Document:
    """One archived or local document: its exact bytes and where they came from.

    ``data`` is the payload as a reader would open it (HTTP transfer and content
    encodings removed); ``origin`` says where in the input it was read
    (``file#offset`` for archive records, the path for local files).
    """

    data: bytes
    origin: str
    url: str | None = None
    media_type: str | None = None
    retrieved_at: datetime | None = None
    http_status: int | None = None
    http_headers: dict[str, str] | None = None
    warc_record_id: str | None = None
    warc_payload_digest: str | None = None
    charset: str | None = None
    lang: str | None = None
    title: str | None = None
    archive_url: str | None = None
    parent_sha256: str | None = None

    @property
    def sha256(self) -> str:
        """Identity of the document's bytes."""
        return sha256_hex(self.data)

    def source_fields(self) -> dict[str, Any]:
        """Keyword arguments for ``Store.add_source`` (everything but the bytes)."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("data", "origin")
        }


@dataclass(frozen=True)
class Quarantined:
    """A record or file that could not be used, with the reason and the stage it failed at.

    ``stage`` is one of ``read`` (archive framing, gzip, headers), ``limit`` (a
    configured bound was exceeded), ``decode`` (charset), ``html``, ``pdf``,
    ``text`` or ``extract``. ``data`` keeps the offending bytes when they are
    small enough to be worth keeping (at most ``Limits.max_quarantine_bytes``).
    """

    origin: str
    reason: str
    stage: str
    data: bytes | None = None


@dataclass(frozen=True)
class Limits:
    """Bounds that keep hostile or broken input from exhausting memory or time.

    Every bound is per record (or per local file). A record beyond a bound is
    quarantined with a reason naming the bound, so it can be raised deliberately.
    """

    #: payload bytes of one record or file; larger ones are not read at all
    max_record_bytes: int = 50_000_000
    #: characters of text derived from one document
    max_text_chars: int = 5_000_000
    #: element nesting depth an HTML page may reach before it is refused
    max_html_depth: int = 400
    #: pages of one PDF
    max_pdf_pages: int = 2_000
    #: bytes one PDF stream may inflate to (zip-bomb guard)
    max_pdf_stream_bytes: int = 100_000_000
    #: wall-clock seconds spent deriving text from one document (POSIX main thread only)
    max_seconds_per_record: float = 60.0
    #: quarantined payloads larger than this are recorded without their bytes
    max_quarantine_bytes: int = 1_000_000


@dataclass
class RecordResult:
    """Everything one input record produced: sources, claims and quarantine entries.

    ``documents`` lists the original first and then any text derived from it
    (whose ``parent_sha256`` points at the original).
    """

    documents: list[Document] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)


@dataclass
class Counts:
    """Totals of a collection run, as printed in the summary at the end."""

    records_read: int = 0
    bytes_read: int = 0
    kept: int = 0
    skipped_prefilter: int = 0
    skipped_other: int = 0
    quarantined: int = 0
    claims_found: int = 0
    sources_added: int = 0
    claims_added: int = 0
    units_resumed: int = 0
    #: records of a partly finished unit passed over because an earlier run stored them
    records_resumed: int = 0

    def add(self, other: Counts) -> None:
        """Add ``other``'s totals to these."""
        for name in _COUNT_NAMES:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int]:
        """The totals as a plain dict (for JSON output)."""
        return {name: getattr(self, name) for name in _COUNT_NAMES}


_COUNT_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Counts))
