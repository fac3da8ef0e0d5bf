"""``txaudit fetch``: live pages and CDX-listed archived captures, from a local server only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from collect_support import GBK_TEXT, UTF8_PAGE, LocalServer, read_all
from typer.testing import CliRunner

from txaudit.cli import app
from txaudit.collect import Document
from txaudit.collect.fetch import FetchOptions, cdx_captures, fetch_to_warc, replay_prefix
from txaudit.collect.warc import replay_parts


def _store(tmp_path: Path) -> str:
    from txaudit.evidence import init_store

    db = tmp_path / "fetch.db"
    init_store(db, load_bundled=False).close()
    return str(db)


def test_live_pages_are_captured_into_a_warc_and_collected(
    tmp_path: Path, site: LocalServer
) -> None:
    db = _store(tmp_path)
    out = tmp_path / "live.warc.gz"
    urls = [site.base + "/utf8.html", site.base + "/gbk.html", site.base + "/missing.html"]
    result = CliRunner().invoke(app, ["fetch", *urls, "--warc", str(out), "--db", db,
                                      "--no-extract", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["fetched"] == urls and report["failed"] == []
    assert report["kept"] == 3  # the 404 page is a capture too
    docs = {d.url: d for d in read_all(out) if isinstance(d, Document)}
    assert docs[urls[0]].data == UTF8_PAGE.encode("utf-8")
    assert docs[urls[0]].http_status == 200 and docs[urls[2]].http_status == 404
    from txaudit.evidence import open_store

    store = open_store(db)
    texts = store.sources().dropna(subset=["parent_sha256"])
    gbk_text = texts[texts["url"] == urls[1]].iloc[0]
    assert GBK_TEXT in store.get_blob(gbk_text["sha256"]).decode("utf-8")
    store.close()


def _archive(server: LocalServer, original: str) -> None:
    """A tiny Wayback: a CDX endpoint listing three captures, and their replays."""
    rows = [["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"],
            ["k", "20050301120000", original, "text/html", "200", "D1", "100"],
            ["k", "20050901120000", original, "text/html", "200", "D2", "100"],
            ["k", "20080101000000", original, "text/html", "200", "D3", "100"]]
    server.add("/cdx/search/cdx", json.dumps(rows), "application/json")
    pages = {"20050301120000": "<html><body>2005年肾移植218例</body></html>",
             "20050901120000": "<html><body>second 2005 capture</body></html>",
             "20080101000000": "<html><body>2008年肾移植400例</body></html>"}
    for ts, page in pages.items():
        server.add(f"/web/{ts}id_/{original}", page, "text/html; charset=utf-8")


def test_cdx_captures_are_listed_one_per_year(site: LocalServer) -> None:
    original = site.base + "/gone.html"
    _archive(site, original)
    captures = cdx_captures(original, FetchOptions(cdx=site.base + "/cdx/search/cdx"))
    assert captures == [("20050301120000", original), ("20080101000000", original)]
    query = parse_qs(urlsplit(next(r for r in site.requests if r.startswith("/cdx"))).query)
    assert query["url"] == [original] and query["output"] == ["json"]


def test_archived_captures_become_sources_with_original_url_and_capture_time(
    tmp_path: Path, site: LocalServer
) -> None:
    original = site.base + "/gone.html"
    _archive(site, original)
    db = _store(tmp_path)
    out = tmp_path / "archive.warc.gz"
    result = CliRunner().invoke(app, ["fetch", original, "--cdx", site.base + "/cdx/search/cdx",
                                      "--warc", str(out), "--db", db, "--no-extract", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    replay = site.base + "/web/"
    assert report["fetched"] == [original, f"{replay}20050301120000id_/{original}",
                                 f"{replay}20080101000000id_/{original}"]
    from txaudit.evidence import open_store

    store = open_store(db)
    sources: Any = store.sources()
    archived = sources[sources["archive_url"].notna() & sources["parent_sha256"].isna()]
    assert sorted(archived["retrieved_at"]) == ["2005-03-01T12:00:00Z", "2008-01-01T00:00:00Z"]
    assert set(archived["url"]) == {original}
    live = sources[sources["archive_url"].isna() & sources["parent_sha256"].isna()]
    assert list(live["http_status"]) == [404]
    store.close()


def test_fetch_appends_to_an_existing_warc_and_reports_unfetchable_urls(
    tmp_path: Path, site: LocalServer
) -> None:
    out = tmp_path / "f.warc.gz"
    fetch_to_warc([site.base + "/en.html"], out)
    report = fetch_to_warc([site.base + "/utf8.html", "ftp://h.example/x",
                            "http://127.0.0.1:1/refused"], out, FetchOptions(timeout=5))
    assert report.fetched == [site.base + "/utf8.html"]
    assert [u for u, _ in report.failed] == ["ftp://h.example/x", "http://127.0.0.1:1/refused"]
    assert [d.url for d in read_all(out) if isinstance(d, Document)] == [
        site.base + "/en.html", site.base + "/utf8.html"]


def test_replay_urls_and_prefixes_are_understood() -> None:
    parts = replay_parts("https://web.archive.org/web/20050301000000id_/http://h.cn/a?b=1")
    assert parts is not None
    assert parts[0] == "http://h.cn/a?b=1" and parts[1].isoformat() == "2005-03-01T00:00:00+00:00"
    assert replay_parts("https://h.cn/web/page") is None
    assert replay_prefix("https://web.archive.org/cdx/search/cdx") == "https://web.archive.org/web/"
