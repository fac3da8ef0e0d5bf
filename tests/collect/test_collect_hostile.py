"""Hostile input: huge single-line HTML, a PDF decompression bomb, deeply nested markup,
binary data labelled as HTML. Each must end in a quarantine entry with the reason,
within bounded memory, without an exception escaping."""

from __future__ import annotations

import random
import time
import tracemalloc
from io import BytesIO
from pathlib import Path

import pytest
from collect_support import deflate_bomb, make_pdf, read_all

from txaudit.collect import DeriveOptions, Document, Limits, Quarantined, derive
from txaudit.collect.derive import RecordTimeout, time_limit

MB = 1_000_000


def _write_huge_html(path: Path, size: int) -> None:
    """One line of HTML of ``size`` bytes, written in 1 MB pieces (never held whole)."""
    piece = b"<span>kidney transplant filler text </span>" * 24_000
    with path.open("wb") as f:
        f.write(b"<html><body>")
        written = 12
        while written < size - 14:
            chunk = piece[: min(len(piece), size - 14 - written)]
            f.write(chunk)
            written += len(chunk)
        f.write(b"</body></html>")


@pytest.mark.slow
def test_a_200_mb_single_line_html_file_is_quarantined_without_being_loaded(
    tmp_path: Path,
) -> None:
    path = tmp_path / "huge.html"
    _write_huge_html(path, 200 * MB)
    assert path.stat().st_size == 200 * MB
    tracemalloc.start()
    try:
        items = read_all(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    (item,) = items
    assert isinstance(item, Quarantined) and item.stage == "limit"
    assert "200000000 bytes exceeds max_record_bytes=50000000" in item.reason
    assert peak < 20 * MB


@pytest.mark.slow
def test_a_200_mb_html_record_inside_a_warc_is_skipped_and_the_next_record_read(
    tmp_path: Path,
) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    huge = tmp_path / "huge.html"
    _write_huge_html(huge, 200 * MB)
    warc = tmp_path / "huge.warc"
    with warc.open("wb") as f, huge.open("rb") as body:
        writer = WARCWriter(f, gzip=False)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html"),
                                           ("Content-Length", str(200 * MB))],
                                protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "http://h.example/huge", "response", payload=body, length=None, http_headers=http))
        small = b"<html><body>liver transplant 120</body></html>"
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "http://h.example/small", "response", payload=BytesIO(small), http_headers=http))
    huge.unlink()
    tracemalloc.start()
    try:
        items = read_all(warc)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(items[0], Quarantined) and "exceeds max_record_bytes" in items[0].reason
    assert isinstance(items[1], Document) and items[1].url == "http://h.example/small"
    assert peak < 20 * MB


def _pdf_bomb(inflated: int) -> bytes:
    return make_pdf(["cover page with text", deflate_bomb(inflated), "last page"])


@pytest.mark.slow
def test_a_pdf_decompression_bomb_is_stopped_at_the_stream_limit() -> None:
    pdf = _pdf_bomb(400 * MB)
    assert len(pdf) < MB  # 400 MB of content in under one megabyte
    doc = Document(data=pdf, origin="bomb.pdf", media_type="application/pdf")
    limits = Limits(max_pdf_stream_bytes=10 * MB)
    tracemalloc.start()
    try:
        result = derive(doc, DeriveOptions(limits=limits, extract=False), None)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    reasons = [q.reason for q in result.quarantined]
    assert any("page 2 not read" in r and "limit" in r for r in reasons), reasons
    # the other pages are still read
    text = result.documents[-1].data.decode("utf-8")
    assert text.split("\f") == ["cover page with text", "", "last page"]
    assert peak < 80 * MB


def test_too_many_pdf_pages_are_refused_with_the_count() -> None:
    doc = Document(data=make_pdf(["p"] * 5), origin="long.pdf", media_type="application/pdf")
    result = derive(doc, DeriveOptions(limits=Limits(max_pdf_pages=3), extract=False), None)
    assert len(result.documents) == 1  # the original is kept, no text derived
    (q,) = result.quarantined
    assert q.stage == "pdf" and "5 pages, more than max_pdf_pages=3" in q.reason


def test_deeply_nested_markup_is_refused_before_parsing() -> None:
    html = b"<html><body>" + b"<div>" * 100_000 + b"liver transplant" + b"</div>" * 100_000
    doc = Document(data=html, origin="deep.html", media_type="text/html")
    result = derive(doc, DeriveOptions(limits=Limits(), extract=False), None)
    assert len(result.documents) == 1
    (q,) = result.quarantined
    assert q.stage == "html" and "max_html_depth=400" in q.reason


def test_ordinary_nesting_and_unclosed_paragraphs_are_not_mistaken_for_hostile_markup() -> None:
    html = (b"<html><body>" + b"<div>" * 60 + b"<p>para" * 2000 + b"liver transplant 120"
            + b"</div>" * 60 + b"</body></html>")
    doc = Document(data=html, origin="ok.html", media_type="text/html")
    result = derive(doc, DeriveOptions(limits=Limits(), extract=False), None)
    assert result.quarantined == []
    assert "liver transplant 120" in result.documents[-1].data.decode("utf-8")


def test_binary_data_labelled_text_html_is_quarantined_with_its_label() -> None:
    noise = random.Random(7).randbytes(200_000)
    doc = Document(data=b"transplant" + noise, origin="bin.html", media_type="text/html")
    result = derive(doc, DeriveOptions(limits=Limits(), extract=False), None)
    assert len(result.documents) == 1
    (q,) = result.quarantined
    assert q.stage == "decode" and q.reason == "binary data labelled text/html"
    assert q.data is not None and len(q.data) == len(doc.data)


def test_text_longer_than_the_limit_is_quarantined_and_the_original_kept() -> None:
    doc = Document(data=("肾移植" * 1000).encode("utf-8"), origin="t.txt",
                   media_type="text/plain")
    result = derive(doc, DeriveOptions(limits=Limits(max_text_chars=100), extract=False), None)
    assert result.documents == [doc]
    (q,) = result.quarantined
    assert "3000 characters exceeds max_text_chars=100" in q.reason


def test_the_time_limit_interrupts_a_slow_step() -> None:
    with pytest.raises(RecordTimeout, match="max_seconds_per_record=0.05"):
        with time_limit(0.05):
            time.sleep(5)
