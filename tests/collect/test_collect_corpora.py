"""warcio's own edge-case archives (tests/collect/data/warc) read record by record.

Every good record must come out as a document, every bad one as a quarantine entry
with its reason, and a bad record must not stop the rest of the file being read.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from collect_support import read_all

from txaudit.collect import Document, Quarantined, Skipped

CORPUS = Path(__file__).parent / "data" / "warc"

# file -> (documents, quarantined, urls of the documents in order)
EXPECTED: dict[str, tuple[int, int, list[str]]] = {
    "bad.arc": (0, 2, []),
    "example-bad-non-chunked.warc.gz": (1, 0, ["http://example.com/"]),
    "example-bad.warc.gz.bad": (
        2, 0, ["http://example.com?example=1", "http://www.iana.org/domains/example"]),
    "example-digest.warc": (0, 0, []),
    "example-iana.org-chunked.warc": (1, 0, ["http://www.iana.org/"]),
    "example-resource.warc.gz": (1, 0, ["http://example.com/"]),
    "example-space-in-target-uri.warc.gz": (1, 0, ["file:///example with spaces.png"]),
    "example-space-in-url.arc": (
        1, 0,
        ["http://example.com/index.cfm?FuseAction=Email&EmailTitle=Examples From The Live "
         "Web&IsPopUp=False"]),
    "example-trunc.warc": (1, 1, ["http://example.com/"]),
    "example-wget-bad-target-uri.warc.gz": (1, 0, ["http://example.com/"]),
    "example-wrong-chunks.warc.gz": (1, 0, ["http://example.com/"]),
    "example.arc": (1, 0, ["http://example.com/"]),
    "example.arc.gz": (1, 0, ["http://example.com/"]),
    "example.warc": (1, 0, ["http://example.com/"]),
    "example.warc.gz": (1, 0, ["http://example.com/"]),
    "post-test.warc.gz": (
        3, 0, ["http://httpbin.org/post", "http://httpbin.org/post",
               "http://httpbin.org/post?foo=bar"]),
}


def test_the_corpus_copy_is_complete_and_keeps_its_licence_note() -> None:
    shipped = {p.name for p in CORPUS.iterdir() if p.name != "README.md"}
    assert shipped == set(EXPECTED)
    note = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert "webrecorder/warcio" in note and "Apache License 2.0" in note


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_corpus_file_yields_its_good_records_and_quarantines_its_bad_ones(
    name: str,
) -> None:
    documents, quarantined, urls = EXPECTED[name]
    items = read_all(CORPUS / name)
    docs = [i for i in items if isinstance(i, Document)]
    bad = [i for i in items if isinstance(i, Quarantined)]
    assert len(docs) == documents
    assert len(bad) == quarantined, [b.reason for b in bad]
    assert [d.url for d in docs] == urls
    for item in bad:
        assert item.reason and item.stage == "read"
        assert item.origin.startswith(str(CORPUS / name) + "#")


def test_bad_arc_records_are_quarantined_with_the_offending_length_field() -> None:
    reasons = [i.reason for i in read_all(CORPUS / "bad.arc") if isinstance(i, Quarantined)]
    assert any("'-1'" in r for r in reasons)
    assert any("'abc'" in r for r in reasons)


def test_a_truncated_file_keeps_the_records_before_the_cut() -> None:
    items = read_all(CORPUS / "example-trunc.warc")
    assert isinstance(items[0], Document) and items[0].http_status == 200
    assert isinstance(items[-1], Quarantined)
    assert "Invalid WARC header" in items[-1].reason


def test_chunked_bodies_are_dechunked_and_wrongly_chunked_ones_read_as_sent() -> None:
    (iana,) = [i for i in read_all(CORPUS / "example-iana.org-chunked.warc")
               if isinstance(i, Document)]
    assert iana.data.startswith(b"<!doctype html>")
    assert b"\r\n0\r\n" not in iana.data[-16:]
    (wrong,) = [i for i in read_all(CORPUS / "example-wrong-chunks.warc.gz")
                if isinstance(i, Document)]
    assert wrong.data.startswith(b"<!doctype html>") and len(wrong.data) == 1270


def test_the_same_capture_reads_identically_from_every_container() -> None:
    def payload(name: str) -> bytes:
        (doc,) = [i for i in read_all(CORPUS / name) if isinstance(i, Document)]
        return doc.data

    assert payload("example.warc") == payload("example.warc.gz")
    assert payload("example.arc") == payload("example.arc.gz")


def test_warc_provenance_fields_are_carried_into_the_document() -> None:
    (doc,) = [i for i in read_all(CORPUS / "example.warc.gz") if isinstance(i, Document)]
    assert doc.warc_record_id == "<urn:uuid:a9c51e3e-0221-11e7-bf66-0242ac120005>"
    assert doc.warc_payload_digest and doc.warc_payload_digest.startswith("sha1:")
    assert doc.retrieved_at is not None and doc.retrieved_at.year == 2017
    assert doc.http_status == 200 and doc.media_type == "text/html"
    assert doc.http_headers is not None and "Content-Type" in doc.http_headers


def test_wget_metadata_records_are_skipped_not_kept() -> None:
    items = read_all(CORPUS / "example-wget-bad-target-uri.warc.gz")
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert [s.reason for s in skipped] == ["not-a-document", "not-a-document"]
