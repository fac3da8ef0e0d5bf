"""Read WARC and ARC files record by record, without ever holding a whole archive.

WARC files are read with FastWARC (gzip per record, one gzip member for the
whole file, or uncompressed). FastWARC cannot read ARC, the Internet Archive's
older format, so ARC files go through warcio instead.

A damaged record does not end the file. When FastWARC stops on a broken gzip
member, a truncated record or a header that is not a WARC header, the reader
records the failure as :class:`~txaudit.collect.model.Quarantined` and scans
forward in the raw file for the next place a record can start (a gzip member
that inflates to ``WARC/``, or a ``WARC/1.x`` line in an uncompressed file),
then carries on from there.

The same boundary scan lets a large file be split into byte ranges that
separate processes read independently: a record belongs to the range in which
its first byte (its gzip member, when compressed) lies.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from txaudit.collect.model import Document, Limits, Quarantined
from txaudit.collect.prefilter import Prefilter

GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_LINE_RE = re.compile(rb"WARC/\d\.\d+\r?\n")
_SCAN_BLOCK = 1 << 20


@dataclass(frozen=True)
class Skipped:
    """A record read and deliberately not kept (``prefilter``, ``empty``, ``not-a-document``)."""

    origin: str
    reason: str
    nbytes: int = 0


Item = Document | Quarantined | Skipped


def sniff(head: bytes) -> str:
    """Format of a file from its first bytes: ``gzip``, ``warc``, ``arc``, ``zip``,
    ``pdf``, ``html`` or ``other``."""
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(b"WARC/"):
        return "warc"
    if head.startswith(b"filedesc://"):
        return "arc"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.lstrip()[:5] == b"%PDF-" or head.startswith(b"%PDF-"):
        return "pdf"
    lowered = head[:1024].lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in lowered:
        return "html"
    return "other"


def gzip_inner_head(f: IO[bytes], offset: int, n: int = 64) -> bytes | None:
    """First ``n`` inflated bytes of a gzip member starting at ``offset``, or None."""
    f.seek(offset)
    raw = f.read(4096)
    if not raw.startswith(GZIP_MAGIC):
        return None
    try:
        return zlib.decompressobj(wbits=31).decompress(raw, n)
    except zlib.error:
        return None


def archive_kind(f: IO[bytes]) -> str:
    """``warc``, ``warc.gz``, ``arc``, ``arc.gz`` or ``other`` for an open binary file."""
    f.seek(0)
    head = f.read(64)
    kind = sniff(head)
    if kind == "gzip":
        inner = gzip_inner_head(f, 0) or b""
        inner_kind = sniff(inner)
        kind = {"warc": "warc.gz", "arc": "arc.gz"}.get(inner_kind, "other")
    elif kind not in ("warc", "arc"):
        kind = "other"
    f.seek(0)
    return kind


def _is_boundary(f: IO[bytes], offset: int, compressed: bool) -> bool:
    if compressed:
        inner = gzip_inner_head(f, offset, 16)
        return inner is not None and _WARC_LINE_RE.match(inner) is not None
    f.seek(offset)
    return _WARC_LINE_RE.match(f.read(16)) is not None


def next_boundary(f: IO[bytes], start: int, end: int | None, compressed: bool) -> int | None:
    """First offset ≥ ``start`` (and < ``end``) where a WARC record or gzip member starts.

    In an uncompressed file a record starts with a ``WARC/1.x`` line at the
    beginning of a line; in a gzipped file, with a gzip member that inflates to
    such a line. The scan reads blocks of 1 MB, so memory stays bounded.
    """
    needle = GZIP_MAGIC if compressed else b"WARC/"
    pos = start
    while end is None or pos < end:
        f.seek(pos)
        block = f.read(_SCAN_BLOCK + len(needle))
        if len(block) < len(needle):
            return None
        i = block.find(needle)
        while i != -1 and i < _SCAN_BLOCK:
            candidate = pos + i
            if end is not None and candidate >= end:
                return None
            at_line_start = compressed or candidate == 0 or _preceded_by_newline(f, candidate)
            if at_line_start and _is_boundary(f, candidate, compressed):
                return candidate
            i = block.find(needle, i + 1)
        pos += _SCAN_BLOCK
    return None


def _preceded_by_newline(f: IO[bytes], offset: int) -> bool:
    f.seek(offset - 1)
    return f.read(1) == b"\n"


def _target_uri(raw: str | None) -> str | None:
    # wget 1.14-1.19 wrote WARC-Target-URI in angle brackets
    if raw is None:
        return None
    raw = raw.strip()
    if raw.startswith("<") and raw.endswith(">"):
        raw = raw[1:-1]
    return raw or None


_REPLAY_RE = re.compile(r"^(https?://[^ ]+?/web/)(\d{14})(?:[a-z]{2}_)?/(.+)$")


def replay_parts(url: str | None) -> tuple[str, datetime] | None:
    """(original URL, capture time) of a Wayback-style replay URL, else None.

    ``https://web.archive.org/web/20050301000000id_/http://h.cn/a`` →
    ``("http://h.cn/a", 2005-03-01T00:00:00Z)``.
    """
    if not url:
        return None
    match = _REPLAY_RE.match(url)
    if match is None:
        return None
    captured = _parse_arc_date(match.group(2))
    if captured is None:
        return None
    return match.group(3), captured


def _parse_warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _parse_arc_date(value: str | None) -> datetime | None:
    digits = (value or "").strip()[:14]
    if len(digits) < 8 or not digits.isdigit():
        return None
    digits = digits.ljust(14, "0")
    try:
        return datetime.strptime(digits, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


@dataclass(frozen=True)
class ReadOptions:
    """What a reader keeps: the prefilter and the limits."""

    prefilter: Prefilter
    limits: Limits


def _read_capped(reader: Any, cap: int) -> bytes | None:
    """All of ``reader`` if it holds at most ``cap`` bytes, else None (reading cap+1 at most)."""
    parts: list[bytes] = []
    total = 0
    while total <= cap:
        block = reader.read(min(cap + 1 - total, 1 << 20))
        if not block:
            break
        parts.append(bytes(block))
        total += len(block)
    return None if total > cap else b"".join(parts)


def iter_warc(
    f: IO[bytes],
    name: str,
    options: ReadOptions,
    *,
    start: int = 0,
    end: int | None = None,
    compressed: bool,
) -> Iterator[Item]:
    """Documents, skips and quarantined records of the WARC records that start in [start, end).

    ``compressed`` says whether the file is gzipped (it decides how a damaged
    region is skipped). Only ``response`` and ``resource`` records are documents;
    the others (requests, warcinfo, metadata, revisits) are passed over.
    """
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    wanted = (WarcRecordType.response, WarcRecordType.resource)
    begin: int | None = start if start == 0 else next_boundary(f, start, end, compressed)
    # trouble seen but not yet reported: (offset, message); reported once we know
    # whether reading resumed after it or the rest of the file is lost
    pending: tuple[int, str] | None = None
    while begin is not None:
        f.seek(begin)
        last_pos: int | None = None
        error: str | None = None
        try:
            # all record types are iterated (not filtered in C) so that the offset of
            # the last record read is known: a silent stop before the end of the
            # file (a truncated gzip member) is then detected below
            for record in ArchiveIterator(f, parse_http=False, stream_detect=True):
                pos = int(record.stream_pos)
                if end is not None and pos >= end:
                    begin = None
                    break
                if pending is not None:
                    yield _gap(name, pending, pos)
                    pending = None
                last_pos = pos
                if record.record_type in wanted:
                    yield _warc_item(record, f"{name}#{pos}", options)
        except OSError as exc:
            error = str(exc)
        if begin is None:
            return
        if last_pos is None:
            reason = error or (pending[1] if pending else "record is truncated or damaged")
            yield Quarantined(
                f"{name}#{begin}", f"unreadable WARC record at offset {begin}: {reason}", "read"
            )
            pending = None
            search = begin + 1
        else:
            if error is not None:
                pending = (last_pos, error)
            search = last_pos + 1
        begin = next_boundary(f, search, end, compressed)
    if pending is not None:
        yield _gap(name, pending, None)


def _gap(name: str, pending: tuple[int, str], resumed: int | None) -> Quarantined:
    offset, message = pending
    where = f"up to offset {resumed}" if resumed is not None else "to the end of the file"
    return Quarantined(
        f"{name}#{offset}",
        f"unreadable WARC data after the record at offset {offset}, {where}: {message}",
        "read",
    )


def _warc_item(record: Any, origin: str, options: ReadOptions) -> Item:
    headers = record.headers
    url = _target_uri(headers.get("WARC-Target-URI"))
    if url is not None and url.startswith(("metadata://", "dns:", "urn:")):
        return Skipped(origin, "not-a-document")
    limits = options.limits
    try:
        record.parse_http(auto_decode="all")
    except OSError as exc:
        return Quarantined(origin, f"HTTP headers cannot be parsed: {exc}", stage="read")
    declared = int(record.content_length or 0)
    if declared > limits.max_record_bytes:
        return Quarantined(
            origin,
            f"record of {declared} bytes exceeds max_record_bytes={limits.max_record_bytes}",
            stage="limit",
        )
    try:
        data = _read_capped(record.reader, limits.max_record_bytes)
    except OSError as exc:
        return Quarantined(origin, f"record payload cannot be read: {exc}", stage="read")
    if data is None:
        return Quarantined(
            origin,
            f"decoded payload exceeds max_record_bytes={limits.max_record_bytes}",
            stage="limit",
        )
    http = record.http_headers
    # FastWARC returns a short payload, without an error, when the file ends inside
    # the record; without transfer/content encodings the lengths must agree
    if len(data) < declared and (not data or not _encoded(record)):
        return Quarantined(
            origin,
            f"record truncated: {len(data)} of {declared} payload bytes present",
            stage="read",
        )
    if not data:
        return Skipped(origin, "empty")
    if not options.prefilter.matches(data) and not _is_pdf(data):
        return Skipped(origin, "prefilter", len(data))
    mismatch = _length_mismatch(record, data)
    if mismatch is not None:
        keep = data if len(data) <= limits.max_quarantine_bytes else None
        return Quarantined(origin, mismatch, stage="read", data=keep)
    status: int | None = None
    http_headers: dict[str, str] | None = None
    media_type: str | None = None
    charset: str | None = None
    if http is not None and record.is_http:
        status = int(http.status_code) if http.status_code else None
        http_headers = {str(k): str(v) for k, v in http.astuples()}
        media_type = record.http_content_type
        charset = record.http_charset
    if media_type is None:
        raw_type = headers.get("Content-Type")
        media_type = raw_type.split(";")[0].strip().lower() if raw_type else None
    date = record.record_date
    if date is not None and date.tzinfo is None:
        date = date.replace(tzinfo=UTC)
    archive_url: str | None = None
    replay = replay_parts(url)
    if replay is not None:
        # a capture fetched from a web archive: the page's own URL and capture time
        archive_url, (url, date) = url, replay
    return Document(
        data=data,
        origin=origin,
        url=url,
        archive_url=archive_url,
        media_type=media_type,
        retrieved_at=date,
        http_status=status,
        http_headers=http_headers,
        warc_record_id=record.record_id,
        warc_payload_digest=headers.get("WARC-Payload-Digest"),
        charset=charset,
    )


def _length_mismatch(record: Any, data: bytes) -> str | None:
    """Why the payload cannot be trusted: it is longer than its HTTP Content-Length.

    A WARC Content-Length that is too large makes the record run into the bytes
    of the next one; the server's own Content-Length (when the body was not
    re-encoded) shows it. A payload *shorter* than declared is kept: incomplete
    captures are common in real archives (warcio's samples hold one a byte
    short) and still show what the page said.
    """
    http = record.http_headers
    if http is None or _encoded(record):
        return None
    declared = http.get("Content-Length")
    if declared is None or not declared.strip().isdigit() or len(data) <= int(declared):
        return None
    return (f"payload is {len(data)} bytes but its HTTP Content-Length says {declared.strip()}: "
            "the record runs into the bytes after it (its WARC Content-Length is wrong)")


def _encoded(record: Any) -> bool:
    http = record.http_headers
    return http is not None and (
        http.get("Transfer-Encoding") is not None or http.get("Content-Encoding") is not None
    )


def _is_pdf(data: bytes) -> bool:
    # PDF text sits in deflated streams the byte prefilter cannot see; PDFs pass
    # and are filtered on their extracted text instead (see pipeline)
    return data[:1024].lstrip().startswith(b"%PDF-")


def iter_arc(f: IO[bytes], name: str, options: ReadOptions) -> Iterator[Item]:
    """Documents, skips and quarantined records of an ARC file (read with warcio).

    FastWARC reads only WARC. An ARC record whose length field is not a
    non-negative number is quarantined; warcio then reads on from the next line.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    iterator = ArchiveIterator(f, no_record_parse=False, ensure_http_headers=False)
    limits = options.limits
    origin = f"{name}#0"
    try:
        for record in iterator:
            if record.rec_type != "response":
                continue
            raw = dict(record.rec_headers.headers)
            length = raw.get("length", "")
            if not length.isdigit() or int(length) > limits.max_record_bytes:
                # warcio's offset is known only once the record is read past
                origin = f"{name}#{iterator.get_record_offset()}"
                if not length.isdigit():
                    reason = f"ARC record length field {length!r} is not a byte count"
                    yield Quarantined(origin, reason, "read")
                else:
                    reason = (f"record of {length} bytes exceeds "
                              f"max_record_bytes={limits.max_record_bytes}")
                    yield Quarantined(origin, reason, "limit")
                continue
            data = _read_capped(record.content_stream(), limits.max_record_bytes)
            origin = f"{name}#{iterator.get_record_offset()}"
            if data is None:
                yield Quarantined(
                    origin,
                    f"decoded payload exceeds max_record_bytes={limits.max_record_bytes}",
                    stage="limit",
                )
                continue
            if not data:
                yield Skipped(origin, "empty")
                continue
            if not options.prefilter.matches(data) and not _is_pdf(data):
                yield Skipped(origin, "prefilter", len(data))
                continue
            yield _arc_document(record, raw, data, origin)
    except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError) as exc:
        yield Quarantined(origin, f"unreadable ARC data: {type(exc).__name__}: {exc}", "read")


def _arc_document(record: Any, raw: dict[str, str], data: bytes, origin: str) -> Document:
    http = record.http_headers
    status: int | None = None
    headers: dict[str, str] | None = None
    media_type = (raw.get("content-type") or "").split(";")[0].strip().lower() or None
    charset: str | None = None
    if http is not None:
        code = http.get_statuscode()
        status = int(code) if code and str(code).isdigit() else None
        headers = {str(k): str(v) for k, v in http.headers}
        content_type = http.get_header("Content-Type")
        if content_type:
            media_type = content_type.split(";")[0].strip().lower()
            match = re.search(r"charset=([\w\-:.]+)", content_type, re.IGNORECASE)
            charset = match.group(1) if match else None
    return Document(
        data=data,
        origin=origin,
        url=raw.get("uri"),
        media_type=media_type,
        retrieved_at=_parse_arc_date(raw.get("archive-date")),
        http_status=status,
        http_headers=headers,
        charset=charset,
    )
