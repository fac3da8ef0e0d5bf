"""Collection into a real store: provenance, idempotence, resumption after a crash,
and identical results from one process, a process pool and Dask."""

from __future__ import annotations

import json
import zlib
from io import BytesIO
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from collect_support import GBK_PAGE, IRRELEVANT_PAGE, UTF8_PAGE, make_pdf
from typer.testing import CliRunner

from txaudit.collect import (
    CollectOptions,
    Document,
    Limits,
    Prefilter,
    RecordResult,
    StoreSink,
    collect,
)


def _crawl(path: Path, n: int = 120, *, corrupt: bool = False) -> Path:
    """A per-record gzip WARC of ``n`` pages, one in six about transplants.

    With ``corrupt``, the gzip data of the page in the middle is damaged.
    """
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as f:
        writer = WARCWriter(f, gzip=True)
        for i in range(n):
            if i % 6 == 0:
                body = UTF8_PAGE.replace("3000", str(3000 + i)).encode("utf-8")
            elif i % 6 == 3:
                body = GBK_PAGE.replace(b"120", str(100 + i).encode())
            else:
                body = IRRELEVANT_PAGE.replace("8:00", f"{i}:00").encode("utf-8")
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                    protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"http://h.example/page{i}.html", "response", payload=BytesIO(body),
                http_headers=http))
    if corrupt:
        data = bytearray(path.read_bytes())
        starts, pos = [], 0
        while pos < len(data):
            starts.append(pos)
            inflater = zlib.decompressobj(wbits=31)
            inflater.decompress(bytes(data[pos:]))
            pos = len(data) - len(inflater.unused_data)
        k = n // 2
        mid = (starts[k] + starts[k + 1]) // 2
        data[mid:mid + 30] = b"\x00" * 30
        path.write_bytes(bytes(data))
    return path


def _snapshot(store: Any) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    sources = store.sources()
    cols = ["sha256", "url", "media_type", "parent_sha256", "retrieved_at", "warc_record_id",
            "http_status", "charset", "lang"]
    rows = sorted(tuple(None if pd.isna(v) else v for v in r)
                  for r in sources[cols].itertuples(index=False))
    quarantine = sorted((r.origin, r.stage, r.reason)
                        for r in store.quarantined().itertuples(index=False))
    return rows, quarantine


def test_a_collected_page_becomes_a_source_with_provenance_and_a_derived_text_child(
    tmp_path: Path, sqlite_store: Any
) -> None:
    warc = _crawl(tmp_path / "c.warc.gz", n=6)
    summary = collect([warc], StoreSink(sqlite_store, actor="tester"),
                      CollectOptions(extract=False))
    c = summary.counts
    assert (c.records_read, c.kept, c.skipped_prefilter, c.quarantined) == (6, 2, 4, 0)
    assert c.sources_added == 4  # two pages and their two texts
    sources = sqlite_store.sources().set_index("sha256")
    originals = sources[sources["parent_sha256"].isna()]
    texts = sources[sources["parent_sha256"].notna()]
    assert set(originals["url"]) == {"http://h.example/page0.html", "http://h.example/page3.html"}
    gbk = originals[originals["url"] == "http://h.example/page3.html"].iloc[0]
    assert gbk["charset"] == "gb18030" and gbk["lang"] == "zh"
    assert gbk["http_status"] == 200 and gbk["warc_record_id"].startswith("<urn:uuid:")
    assert gbk["collector"] == "txaudit.collect" and gbk["tool_version"].startswith("txaudit ")
    assert json.loads(gbk["http_headers"]) == {"Content-Type": "text/html"}
    for sha, row in texts.iterrows():
        assert row["media_type"] == "text/plain" and row["parent_sha256"] in originals.index
        parent_blob = sqlite_store.get_blob(row["parent_sha256"])
        assert sqlite_store.get_blob(sha).decode("utf-8")  # the text blob is stored too
        assert parent_blob.startswith(b"<html>")


def test_collecting_the_same_input_again_adds_nothing(tmp_path: Path, sqlite_store: Any) -> None:
    warc = _crawl(tmp_path / "c.warc.gz", n=30, corrupt=True)
    sink = StoreSink(sqlite_store, actor="tester")
    first = collect([warc], sink, CollectOptions(extract=False))
    before = _snapshot(sqlite_store)
    # no checkpoint: every record is read again, and nothing new is written
    second = collect([warc], StoreSink(sqlite_store, actor="tester"),
                     CollectOptions(extract=False))
    assert first.counts.sources_added > 0 and first.counts.quarantined == 1
    assert second.counts.sources_added == 0
    assert second.counts.records_read == first.counts.records_read
    assert _snapshot(sqlite_store) == before


class _CrashingSink:
    """Passes writes to a real sink and raises after ``limit`` of them (a simulated crash)."""

    def __init__(self, inner: StoreSink, limit: int) -> None:
        self.inner, self.limit, self.writes = inner, limit, 0

    def write(self, result: RecordResult) -> tuple[int, int]:
        if self.writes >= self.limit:
            raise KeyboardInterrupt("simulated crash")
        self.writes += 1
        return self.inner.write(result)

    def flush(self) -> int:
        return self.inner.flush()


def test_a_run_interrupted_midway_resumes_from_its_checkpoint_and_ends_complete(
    tmp_path: Path, sqlite_store: Any
) -> None:
    from txaudit.evidence import init_store

    warc = _crawl(tmp_path / "c.warc.gz", n=120, corrupt=True)
    options = CollectOptions(extract=False, chunk_bytes=4096,
                             checkpoint=tmp_path / "ck.jsonl")
    with pytest.raises(KeyboardInterrupt):
        collect([warc], _CrashingSink(StoreSink(sqlite_store, actor="t"), 12), options)
    partial = len(sqlite_store.sources())
    assert 0 < partial
    done_before = len((tmp_path / "ck.jsonl").read_text().splitlines())
    assert done_before > 0
    resumed = collect([warc], StoreSink(sqlite_store, actor="t"), options)
    assert resumed.counts.units_resumed == done_before
    # the same input collected in one go into a fresh store gives the same content
    clean = init_store(tmp_path / "clean.db", load_bundled=False)
    collect([warc], StoreSink(clean, actor="t"), CollectOptions(extract=False))
    assert _snapshot(sqlite_store) == _snapshot(clean)
    # and a third run reads nothing at all
    again = collect([warc], StoreSink(sqlite_store, actor="t"), options)
    assert again.counts.records_read == 0 and again.counts.units_resumed == resumed.units
    clean.close()


@pytest.mark.slow
def test_one_process_two_workers_and_dask_store_identical_sources(tmp_path: Path) -> None:
    from txaudit.evidence import init_store

    folder = tmp_path / "in"
    folder.mkdir()
    _crawl(folder / "a.warc.gz", n=120, corrupt=True)
    _crawl(folder / "b.warc.gz", n=40)
    (folder / "report.pdf").write_bytes(make_pdf(["kidney transplant programme report"]))
    snapshots = []
    counts = []
    for name, options in [
        ("single", CollectOptions(extract=False)),
        ("pool", CollectOptions(extract=False, workers=2, chunk_bytes=8192)),
        ("dask", CollectOptions(extract=False, workers=2, chunk_bytes=8192,
                                scheduler="local")),
    ]:
        store = init_store(tmp_path / f"{name}.db", load_bundled=False)
        summary = collect([folder], StoreSink(store, actor="t"), options)
        snapshots.append(_snapshot(store))
        c = summary.counts
        counts.append((c.records_read, c.kept, c.skipped_prefilter, c.quarantined,
                       c.sources_added))
        store.close()
    assert snapshots[0] == snapshots[1] == snapshots[2]
    assert counts[0] == counts[1] == counts[2]
    assert counts[0][0] == 161 and counts[0][3] == 1


def test_claims_found_in_derived_text_are_queued_for_review(
    tmp_path: Path, sqlite_store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The extraction hook hands the derived text to the claim finder and queues its claims.

    The finder here is a stand-in with the extract part's signature, so the test
    does not depend on how well extraction works, only on the wiring.
    """
    seen: list[dict[str, Any]] = []

    class FakeClaim:
        def __init__(self, d: dict[str, Any]) -> None:
            self.d = d

        def to_dict(self) -> dict[str, Any]:
            return self.d

    def finder(text: str, *, lang: str | None = None, document_date: Any = None,
               source_sha256: str | None = None, matcher: Any = None,
               page_hospital_id: str | None = None) -> list[FakeClaim]:
        seen.append({"lang": lang, "date": document_date, "source": source_sha256})
        at = text.index("218")
        return [FakeClaim({
            "indicator": "transplants_annual", "organ": "kidney", "value": "218",
            "low": None, "high": None, "qualifier": "exact", "unit": "count/year",
            "period": {"year": 2005, "since": None, "as_of": None}, "hospital": None,
            "lang": lang, "text": text[at - 10:at + 5], "span": [at, at + 3],
            "source": source_sha256})]

    import txaudit.collect.pipeline as pipeline

    monkeypatch.setattr(pipeline, "load_claim_finder", lambda: finder)
    warc = _crawl(tmp_path / "c.warc.gz", n=1)
    summary = collect([warc], StoreSink(sqlite_store, actor="t"), CollectOptions())
    assert summary.counts.claims_found == 1 and summary.counts.claims_added == 1
    claims = sqlite_store.claims(status="proposed")
    assert len(claims) == 1
    claim = claims.iloc[0]
    text_sources = sqlite_store.sources().dropna(subset=["parent_sha256"])
    assert claim["source_sha256"] == text_sources.iloc[0]["sha256"]
    text = sqlite_store.get_blob(claim["source_sha256"]).decode("utf-8")
    assert text[int(claim["span_start"]):int(claim["span_end"])] == "218"
    assert seen[0]["lang"] == "zh" and seen[0]["date"] is not None
    # the same input again: the claim is not queued twice
    again = collect([warc], StoreSink(sqlite_store, actor="t"), CollectOptions())
    assert again.counts.claims_added == 0 and len(sqlite_store.claims()) == 1


def test_the_collect_command_prints_a_summary_and_json(tmp_path: Path) -> None:
    from txaudit.cli import app
    from txaudit.evidence import init_store

    db = tmp_path / "cli.db"
    init_store(db, load_bundled=False).close()
    warc = _crawl(tmp_path / "c.warc.gz", n=12)
    runner = CliRunner()
    result = runner.invoke(app, ["collect", str(warc), "--db", str(db), "--no-extract",
                                 "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["records_read"], data["kept"], data["skipped_prefilter"]) == (12, 4, 8)
    assert data["sources_added"] == 8
    table = runner.invoke(app, ["collect", str(warc), "--db", str(db), "--no-extract",
                                "--no-progress"])
    assert table.exit_code == 0 and "units already done (resumed)" in table.output
    with_bar = runner.invoke(app, ["collect", str(warc), "--db", str(db), "--no-extract",
                                   "--no-checkpoint"])
    assert with_bar.exit_code == 0 and "records read" in with_bar.output
    missing = runner.invoke(app, ["collect", str(tmp_path / "nope.warc"), "--db", str(db)])
    assert missing.exit_code == 1 and "nope.warc" in missing.output


def test_the_prefilter_can_be_disabled_to_keep_every_document(
    tmp_path: Path, sqlite_store: Any
) -> None:
    warc = _crawl(tmp_path / "c.warc.gz", n=12)
    summary = collect([warc], StoreSink(sqlite_store, actor="t"),
                      CollectOptions(extract=False, prefilter=Prefilter.disabled(),
                                     limits=Limits()))
    assert summary.counts.kept == 12 and summary.counts.skipped_prefilter == 0


def test_sink_counts_only_new_sources() -> None:
    class Memory:
        def __init__(self) -> None:
            self.blobs: dict[str, bytes] = {}

        def has_source(self, sha: str) -> bool:
            return sha in self.blobs

        def add_source(self, data: bytes, **kw: Any) -> str:
            from hashlib import sha256

            self.blobs[sha256(data).hexdigest()] = data
            return sha256(data).hexdigest()

        def claims(self) -> pd.DataFrame:
            return pd.DataFrame({"claim_id": []})

        def quarantined(self) -> pd.DataFrame:
            return pd.DataFrame({"origin": [], "stage": [], "reason": []})

    sink = StoreSink(Memory(), actor="t")
    doc = Document(data=b"x", origin="o")
    assert sink.write(RecordResult(documents=[doc])) == (1, 0)
    assert sink.write(RecordResult(documents=[doc])) == (0, 0)


def test_collection_is_idempotent_on_every_store_backend(tmp_path: Path, store: Any) -> None:
    warc = _crawl(tmp_path / "c.warc.gz", n=12, corrupt=True)
    first = collect([warc], StoreSink(store, actor="t"), CollectOptions(extract=False))
    before = _snapshot(store)
    second = collect([warc], StoreSink(store, actor="t"), CollectOptions(extract=False))
    # pages 0, 3 and 9 kept (page 6 is the damaged one), each with its text
    assert first.counts.sources_added == 6 and first.counts.quarantined == 1
    assert second.counts.sources_added == 0 and _snapshot(store) == before


@pytest.mark.parametrize("command", [["collect"], ["fetch"], ["review"], ["review", "accept"],
                                     ["review", "edit"], ["review", "accept-rule"]])
def test_every_collect_and_review_command_has_help(command: list[str]) -> None:
    from txaudit.cli import app

    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


@pytest.mark.slow
def test_a_dask_scheduler_given_by_address_gives_the_same_store(tmp_path: Path) -> None:
    from dask.distributed import LocalCluster

    from txaudit.evidence import init_store

    warc = _crawl(tmp_path / "c.warc.gz", n=60, corrupt=True)
    single = init_store(tmp_path / "single.db", load_bundled=False)
    collect([warc], StoreSink(single, actor="t"), CollectOptions(extract=False))
    remote = init_store(tmp_path / "remote.db", load_bundled=False)
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                      dashboard_address=None) as cluster:
        summary = collect([warc], StoreSink(remote, actor="t"),
                          CollectOptions(extract=False, chunk_bytes=4096,
                                         scheduler=cluster.scheduler_address))
    assert summary.units > 1
    assert _snapshot(remote) == _snapshot(single)
    single.close()
    remote.close()


def test_a_crash_inside_one_long_unit_resumes_after_the_records_already_stored(
    tmp_path: Path, sqlite_store: Any
) -> None:
    """A whole-file gzip WARC cannot be split; progress inside it is checkpointed."""
    import gzip as gz

    from txaudit.evidence import init_store

    per_record = _crawl(tmp_path / "p.warc.gz", n=60)
    plain = gz.decompress(per_record.read_bytes())
    warc = tmp_path / "whole.warc.gz"
    warc.write_bytes(gz.compress(plain))  # one gzip member: one unit
    options = CollectOptions(extract=False, checkpoint=tmp_path / "ck.jsonl", partial_every=5)
    with pytest.raises(KeyboardInterrupt):
        collect([warc], _CrashingSink(StoreSink(sqlite_store, actor="t"), 6), options)
    lines = [json.loads(x) for x in (tmp_path / "ck.jsonl").read_text().splitlines()]
    saved = max(x["records"] for x in lines)
    assert saved >= 5 and all("records" in x for x in lines)  # the unit is not finished
    resumed = collect([warc], StoreSink(sqlite_store, actor="t"), options)
    assert resumed.counts.records_resumed == saved
    assert resumed.counts.records_read == 60 - saved
    clean = init_store(tmp_path / "clean.db", load_bundled=False)
    collect([warc], StoreSink(clean, actor="t"), CollectOptions(extract=False))
    assert _snapshot(sqlite_store) == _snapshot(clean)
    clean.close()
