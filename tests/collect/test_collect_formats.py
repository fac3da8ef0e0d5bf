"""Real archive formats: WARCs written by warcio and by wget, damaged gzip members,
truncated files and records whose Content-Length lies; local documents; WACZ."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from collect_support import (
    BIG5_TEXT,
    GBK_PAGE,
    GBK_TEXT,
    UTF8_PAGE,
    LocalServer,
    make_pdf,
    read_all,
)

from txaudit.collect import DeriveOptions, Document, Limits, Quarantined, Skipped, derive


def _warcio_file(path: Path, pages: list[tuple[str, bytes, str]], *, gz: bool) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=gz)
        for url, body, ctype in pages:
            http = StatusAndHeaders("200 OK", [("Content-Type", ctype),
                                               ("Content-Length", str(len(body)))],
                                    protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=BytesIO(body), http_headers=http))
    return path


PAGES = [
    ("http://h.example/utf8.html", UTF8_PAGE.encode("utf-8"), "text/html; charset=utf-8"),
    ("http://h.example/gbk.html", GBK_PAGE, "text/html; charset=gb2312"),
    ("http://h.example/report.pdf",
     make_pdf(["In 2005 the hospital performed 2,000 kidney transplants."]), "application/pdf"),
]


def _texts(items: list[object]) -> dict[str, str]:
    """url -> derived text of every document (extraction off)."""
    out = {}
    for item in items:
        if isinstance(item, Document):
            result = derive(item, DeriveOptions(limits=Limits(), extract=False), None)
            text_doc = result.documents[-1]
            out[item.url or ""] = text_doc.data.decode("utf-8")
    return out


@pytest.mark.parametrize("gz", [True, False], ids=["gzip-per-record", "uncompressed"])
def test_a_warc_written_by_warcio_reads_back_with_text_in_the_right_charset(
    tmp_path: Path, gz: bool
) -> None:
    path = _warcio_file(tmp_path / ("w.warc.gz" if gz else "w.warc"), PAGES, gz=gz)
    items = read_all(path)
    assert [type(i) for i in items] == [Document, Document, Document]
    assert [i.data for i in items if isinstance(i, Document)] == [p[1] for p in PAGES]
    texts = _texts(items)
    assert "3000余例" in texts["http://h.example/utf8.html"]
    assert GBK_TEXT in texts["http://h.example/gbk.html"]
    assert "2,000 kidney transplants" in texts["http://h.example/report.pdf"]


def test_a_whole_file_gzip_warc_reads_like_a_per_record_one(tmp_path: Path) -> None:
    plain = _warcio_file(tmp_path / "w.warc", PAGES, gz=False)
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain.read_bytes()))
    assert [i.data for i in read_all(whole)] == [p[1] for p in PAGES]  # type: ignore[union-attr]


@pytest.mark.skipif(shutil.which("wget") is None, reason="wget is not installed")
def test_a_warc_written_by_wget_against_a_local_server_is_read(
    tmp_path: Path, site: LocalServer
) -> None:
    subprocess.run(
        ["wget", "-q", "-r", "-l", "1", "-e", "robots=off", "--no-warc-keep-log",
         f"--warc-file={tmp_path / 'crawl'}", "-P", str(tmp_path / "dl"), site.base + "/"],
        check=False, timeout=120,
    )
    items = read_all(tmp_path / "crawl.warc.gz")
    docs = {i.url: i for i in items if isinstance(i, Document)}
    for name in ("utf8.html", "gbk.html", "big5.html", "en.html", "report.pdf"):
        assert site.base + "/" + name in docs, sorted(map(str, docs))
    texts = _texts(list(docs.values()))
    assert GBK_TEXT in texts[site.base + "/gbk.html"]
    assert BIG5_TEXT in texts[site.base + "/big5.html"]
    assert "kidney transplants" in texts[site.base + "/report.pdf"]
    pdf = docs[site.base + "/report.pdf"]
    assert pdf.media_type == "application/pdf" and pdf.http_status == 200
    assert pdf.warc_payload_digest is not None and pdf.warc_record_id is not None


def _members(path: Path) -> list[int]:
    """Start offsets of the gzip members of a per-record gzip WARC written by warcio."""
    data = path.read_bytes()
    starts, pos = [], 0
    import zlib

    while pos < len(data):
        starts.append(pos)
        inflater = zlib.decompressobj(wbits=31)
        inflater.decompress(data[pos:])
        pos = len(data) - len(inflater.unused_data)
    return starts


def test_a_corrupt_gzip_member_is_quarantined_and_the_next_records_are_read(
    tmp_path: Path,
) -> None:
    path = _warcio_file(tmp_path / "c.warc.gz", PAGES, gz=True)
    starts = _members(path)
    data = bytearray(path.read_bytes())
    # overwrite the middle of the second member's deflate data
    middle = (starts[1] + starts[2]) // 2
    data[middle:middle + 40] = b"\xff" * 40
    path.write_bytes(bytes(data))
    items = read_all(path)
    docs = [i for i in items if isinstance(i, Document)]
    bad = [i for i in items if isinstance(i, Quarantined)]
    assert [d.url for d in docs] == ["http://h.example/utf8.html", "http://h.example/report.pdf"]
    assert len(bad) == 1 and bad[0].stage == "read"


def test_a_file_cut_inside_its_last_gzip_member_keeps_the_earlier_records(
    tmp_path: Path,
) -> None:
    path = _warcio_file(tmp_path / "t.warc.gz", PAGES, gz=True)
    starts = _members(path)
    data = path.read_bytes()
    path.write_bytes(data[: starts[2] + (len(data) - starts[2]) // 2])
    items = read_all(path)
    assert [i.url for i in items if isinstance(i, Document)] == [
        "http://h.example/utf8.html", "http://h.example/gbk.html"]
    assert sum(isinstance(i, Quarantined) for i in items) == 1


@pytest.mark.parametrize("delta", [-25, +40], ids=["too-short", "too-long"])
def test_a_record_with_a_lying_content_length_does_not_lose_the_records_after_it(
    tmp_path: Path, delta: int
) -> None:
    path = _warcio_file(tmp_path / "l.warc", PAGES, gz=False)
    data = path.read_bytes()
    # the second record's WARC Content-Length is the second occurrence in the file
    first = data.index(b"Content-Length: ")
    second = data.index(b"Content-Length: ", data.index(b"WARC/1", first))
    end = data.index(b"\r\n", second)
    length = int(data[second + 16:end])
    lied = data[:second] + b"Content-Length: %d" % (length + delta) + data[end:]
    path.write_bytes(lied)
    items = read_all(path)
    docs = [i for i in items if isinstance(i, Document)]
    bad = [i for i in items if isinstance(i, Quarantined)]
    # the records around the liar are read whole
    assert (docs[0].url, docs[0].data) == (PAGES[0][0], PAGES[0][1])
    assert (docs[-1].url, docs[-1].data) == (PAGES[2][0], PAGES[2][1])
    assert all(q.stage == "read" for q in bad)
    # the bytes between the liar's end and the next record are reported
    assert any("unreadable WARC data after the record at offset" in q.reason for q in bad)
    if delta > 0:
        # too long: the liar swallowed the next header; it is not kept as evidence
        assert len(docs) == 2
        assert any("HTTP Content-Length says 194" in q.reason for q in bad)
    else:
        # too short: the capture is kept, incomplete, as a reader of the archive sees it
        assert len(docs) == 3 and PAGES[1][1].startswith(docs[1].data)


def test_local_html_pdf_and_text_files_in_a_folder_become_documents(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.html").write_text(UTF8_PAGE, encoding="utf-8")
    (folder / "sub" / "b.pdf").write_bytes(make_pdf(["kidney transplant report"]))
    (folder / "c.txt").write_text("肝移植 120 例", encoding="utf-8")
    (folder / "d.txt").write_text("nothing relevant", encoding="utf-8")
    (folder / ".hidden.html").write_text(UTF8_PAGE, encoding="utf-8")
    from txaudit.collect import Prefilter

    items = read_all(folder, prefilter=Prefilter.from_terms())
    docs = [i for i in items if isinstance(i, Document)]
    assert sorted(Path(d.origin).name for d in docs) == ["a.html", "b.pdf", "c.txt"]
    assert {Path(d.origin).name: d.media_type for d in docs} == {
        "a.html": "text/html", "b.pdf": "application/pdf", "c.txt": "text/plain"}
    assert [Path(i.origin).name for i in items if isinstance(i, Skipped)] == ["d.txt"]
    assert all(d.url and d.url.startswith("file://") for d in docs)


def test_a_pdf_page_without_text_is_flagged_not_dropped() -> None:
    doc = Document(data=make_pdf(["first page", None, "third page"]), origin="x.pdf",
                   media_type="application/pdf")
    result = derive(doc, DeriveOptions(limits=Limits(), extract=False), None)
    text = result.documents[-1].data.decode("utf-8")
    assert text.split("\f") == ["first page", "", "third page"]
    (flag,) = result.quarantined
    assert flag.stage == "pdf" and "2 of 3" in flag.reason


def test_a_wacz_is_read_through_its_warc_members(tmp_path: Path) -> None:
    warc = _warcio_file(tmp_path / "data.warc.gz", PAGES, gz=True)
    wacz = tmp_path / "crawl.wacz"
    with zipfile.ZipFile(wacz, "w") as z:
        z.write(warc, "archive/data.warc.gz", compress_type=zipfile.ZIP_STORED)
        z.writestr("datapackage.json", "{}")
    items = read_all(wacz)
    assert [i.data for i in items] == [p[1] for p in PAGES]  # type: ignore[union-attr]
    assert all(i.origin.startswith(f"{wacz}!archive/data.warc.gz#") for i in items)
