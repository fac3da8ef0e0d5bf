"""Capture pages into a WARC file: live pages, and archived captures found through CDX.

Pages that support a published figure disappear; a capture made now (or found
in a web archive) is what lets a reader check the figure later. Each fetch is
written as a WARC ``request`` and ``response`` record pair with warcio, so the
file can be replayed by any WARC tool, and is then read like any other archive.

Archived captures are listed by a Wayback-style CDX server
(``?url=…&output=json``) and fetched from its replay service with the ``id_``
modifier, which returns the page as captured, without the archive's banner.
The reader recognises replay URLs (``…/web/<14 digits>id_/<original>``), so the
Source records the original URL, the replay URL as ``archive_url`` and the
capture time as ``retrieved_at``.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from txaudit.errors import InputError

_DROP_HEADERS = {"transfer-encoding", "content-encoding", "content-length"}


@dataclass(frozen=True)
class FetchOptions:
    """Where to look for archived captures and how patient to be."""

    cdx: str | None = None
    replay: str | None = None
    from_year: int | None = None
    to_year: int | None = None
    per_year: int = 1
    timeout: float = 30.0
    max_bytes: int = 50_000_000
    user_agent: str = "txaudit-fetch (+https://github.com/txaudit)"


@dataclass
class FetchReport:
    """URLs written to the WARC and URLs that could not be fetched, with the reason."""

    fetched: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def replay_prefix(cdx: str) -> str:
    """Replay URL prefix that goes with a CDX endpoint (``…/cdx/search/cdx`` → ``…/web/``)."""
    base = cdx.split("?")[0].rstrip("/")
    for suffix in ("/cdx/search/cdx", "/cdx/search", "/cdx"):
        if base.endswith(suffix):
            return base[: -len(suffix)] + "/web/"
    return base.rsplit("/", 1)[0] + "/web/"


def cdx_captures(url: str, options: FetchOptions) -> list[tuple[str, str]]:
    """(timestamp, original URL) of archived captures of ``url`` with HTTP status 200.

    At most ``options.per_year`` captures per year are kept (the earliest in each
    year), so a page is followed across the years without fetching every copy.
    """
    assert options.cdx is not None
    query = {"url": url, "output": "json", "fl": "timestamp,original,statuscode",
             "filter": "statuscode:200"}
    if options.from_year is not None:
        query["from"] = str(options.from_year)
    if options.to_year is not None:
        query["to"] = str(options.to_year)
    sep = "&" if "?" in options.cdx else "?"
    address = options.cdx + sep + urllib.parse.urlencode(query)
    body = _get(address, options)[2]
    try:
        rows = json.loads(body.decode("utf-8") or "[]")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"CDX answer is not JSON: {exc}", file=address) from exc
    if not rows:
        return []
    header, entries = rows[0], rows[1:]
    try:
        ts_i, orig_i = header.index("timestamp"), header.index("original")
    except ValueError as exc:
        raise InputError("CDX answer lacks timestamp/original columns", file=address) from exc
    kept: dict[str, int] = {}
    captures: list[tuple[str, str]] = []
    for row in sorted(entries, key=lambda r: r[ts_i]):
        year = row[ts_i][:4]
        if kept.get(year, 0) >= options.per_year:
            continue
        kept[year] = kept.get(year, 0) + 1
        captures.append((row[ts_i], row[orig_i]))
    return captures


def _get(url: str, options: FetchOptions) -> tuple[int, list[tuple[str, str]], bytes, str]:
    request = urllib.request.Request(
        url, headers={"User-Agent": options.user_agent, "Accept-Encoding": "identity"}
    )
    try:
        response = urllib.request.urlopen(request, timeout=options.timeout)
    except urllib.error.HTTPError as exc:
        response = exc  # a 404 or 500 page is still a capture worth recording
    with response:
        body = response.read(options.max_bytes + 1)
        if len(body) > options.max_bytes:
            raise InputError(f"more than {options.max_bytes} bytes", file=url)
        status = int(response.status or 0)
        reason = str(getattr(response, "reason", "") or "")
        headers = list(response.headers.items())
    return status, headers, body, reason


def _write_pair(writer: Any, url: str, status: int, reason: str,
                headers: list[tuple[str, str]], body: bytes, options: FetchOptions) -> None:
    from warcio.statusandheaders import StatusAndHeaders

    # urllib has removed chunking; the headers must describe the body as stored
    kept = [(k, v) for k, v in headers if k.lower() not in _DROP_HEADERS]
    kept.append(("Content-Length", str(len(body))))
    http = StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol="HTTP/1.1")
    date = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    response = writer.create_warc_record(
        url, "response", payload=BytesIO(body), http_headers=http,
        warc_headers_dict={"WARC-Date": date},
    )
    parts = urllib.parse.urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    req_headers = StatusAndHeaders(
        f"GET {path} HTTP/1.1",
        [("Host", parts.netloc), ("User-Agent", options.user_agent),
         ("Accept-Encoding", "identity")],
        is_http_request=True,
    )
    request = writer.create_warc_record(
        url, "request", payload=BytesIO(b""), http_headers=req_headers,
        warc_headers_dict={
            "WARC-Date": date,
            "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
        },
    )
    writer.write_record(response)
    writer.write_record(request)


def fetch_to_warc(
    urls: list[str], out: str | os.PathLike[str], options: FetchOptions | None = None
) -> FetchReport:
    """Fetch ``urls`` (and, with ``options.cdx``, their archived captures) into ``out``.

    ``out`` is appended to when it exists (gzip members concatenate), so repeated
    fetches can share a file. A URL that cannot be fetched is reported, not raised.
    """
    from warcio.warcwriter import WARCWriter

    options = options or FetchOptions()
    targets: list[str] = []
    report = FetchReport()
    for url in urls:
        if not urllib.parse.urlsplit(url).scheme.startswith("http"):
            report.failed.append((url, "not an http(s) URL"))
            continue
        targets.append(url)
        if options.cdx:
            replay = options.replay or replay_prefix(options.cdx)
            try:
                captures = cdx_captures(url, options)
            except (OSError, InputError) as exc:
                report.failed.append((url, f"CDX query failed: {exc}"))
                continue
            targets.extend(f"{replay}{ts}id_/{original}" for ts, original in captures)
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as f:
        writer = WARCWriter(f, gzip=path.name.endswith(".gz"))
        for url in targets:
            try:
                status, headers, body, reason = _get(url, options)
            except (OSError, InputError, ValueError) as exc:
                report.failed.append((url, str(exc)))
                continue
            _write_pair(writer, url, status, reason, headers, body, options)
            report.fetched.append(url)
    return report
