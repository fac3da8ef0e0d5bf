"""``Store.add_sources``: many documents in one transaction and one ledger event."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from txaudit.errors import InputError
from txaudit.evidence import Store
from txaudit.evidence.ledger import content_hasher


def _docs(n: int, start: int = 0) -> list[tuple[bytes, dict[str, Any]]]:
    return [(f"page {i} 肝移植".encode(), {"url": f"https://example.org/{i}", "lang": "zh",
                                          "http_headers": {"x-n": str(i)}})
            for i in range(start, start + n)]


def _sql(store: Store, statement: str) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql(statement)


def test_add_sources_writes_every_document_in_one_event(store: Store) -> None:
    events = len(store.ledger())
    docs = _docs(5)
    shas = store.add_sources(docs, actor="ann")
    assert shas == [hashlib.sha256(d).hexdigest() for d, _ in docs]
    ledger = store.ledger()
    assert len(ledger) == events + 1
    assert ledger.iloc[-1]["action"] == "add_sources"
    assert '"added":5' in ledger.iloc[-1]["detail"]
    assert all(store.get_blob(s) == d for s, (d, _) in zip(shas, docs, strict=True))
    src = store.sources().set_index("sha256")
    assert src.loc[shas[3], "url"] == "https://example.org/3"
    assert src.loc[shas[3], "http_headers"] == '{"x-n": "3"}'
    assert store.verify().ok


def test_add_sources_is_idempotent(store: Store) -> None:
    first = store.add_sources(_docs(4), actor="ann")
    digest, events = store.content_digest(), len(store.ledger())
    # the same documents again (one repeated inside the call) add nothing and no event
    again = store.add_sources(_docs(4) + _docs(1), actor="bob")
    assert again == first + first[:1]
    assert (store.content_digest(), len(store.ledger())) == (digest, events)
    # a mix adds only the new ones, each once, and agrees with add_source
    mixed = store.add_sources(_docs(6) + _docs(1, start=5), actor="bob")
    assert len(store.sources()) == 6
    assert store.add_source(_docs(1, start=5)[0][0], actor="c") == mixed[5]
    assert '"added":2' in store.ledger().iloc[-1]["detail"]
    assert store.verify().ok


def test_a_parent_may_be_earlier_in_the_same_batch(store: Store) -> None:
    html = b"<p>2000 liver transplants</p>"
    text = b"2000 liver transplants"
    parent = hashlib.sha256(html).hexdigest()
    store.add_sources([(html, {}), (text, {"parent_sha256": parent})], actor="ann")
    src = store.sources().set_index("sha256")
    assert src.loc[hashlib.sha256(text).hexdigest(), "parent_sha256"] == parent


def test_a_bad_item_rolls_back_the_whole_batch_and_names_its_position(store: Store) -> None:
    before = (store.content_digest(), len(store.ledger()))
    docs = _docs(3)
    docs[2] = (docs[2][0], {"lang": "not a tag!"})
    with pytest.raises(InputError) as err:
        store.add_sources(docs, actor="ann")
    assert (err.value.line, err.value.field) == (3, "lang")
    with pytest.raises(InputError) as err:
        store.add_sources([(b"x", {"colour": "red"})], actor="ann")
    assert err.value.field == "colour"
    assert (store.content_digest(), len(store.ledger())) == before


def test_verify_catches_a_tampered_row_written_by_add_sources(store: Store) -> None:
    shas = store.add_sources(_docs(3), actor="ann")
    seq = len(store.ledger())
    _sql(store, f"UPDATE sources SET url = 'https://elsewhere.example' "
                f"WHERE sha256 = '{shas[1]}'")
    found = [str(p) for p in store.verify().problems]
    assert f"sources {shas[1]}: content does not match its row hash (the row was altered)" \
        in found
    assert any(p.startswith(f"event {seq} (add_sources): rows written by this event")
               for p in found)


def test_verify_catches_a_row_rewritten_with_a_fresh_row_hash(store: Store) -> None:
    """The row-hash rule is public; the event's payload hash still covers each row."""
    shas = store.add_sources(_docs(3), actor="ann")
    seq = len(store.ledger())
    with store.engine.connect() as conn:
        row = dict(conn.exec_driver_sql(
            f"SELECT * FROM sources WHERE sha256 = '{shas[0]}'").mappings().one())
    row["title"] = "Forged title"
    fresh = content_hasher("sources")(row)
    _sql(store, f"UPDATE sources SET title = 'Forged title', row_hash = '{fresh}' "
                f"WHERE sha256 = '{shas[0]}'")
    assert [str(p) for p in store.verify().problems] == [
        f"event {seq} (add_sources): rows written by this event no longer match its "
        "payload hash (a row was altered)"]


def test_verify_catches_a_source_row_removed_from_a_batch(store: Store) -> None:
    shas = store.add_sources(_docs(3), actor="ann")
    seq = len(store.ledger())
    _sql(store, f"DELETE FROM sources WHERE sha256 = '{shas[2]}'")
    found = [str(p) for p in store.verify().problems]
    assert f"event {seq} (add_sources): rows written by this event were removed or added " \
        "(sources: ledger says 3 rows, table holds 2)" in found


def test_the_collector_sink_writes_buffered_sources_before_the_claims_citing_them(
        store: Store) -> None:
    from txaudit.collect import StoreSink
    from txaudit.collect.model import Document, RecordResult

    events = len(store.ledger())
    sink = StoreSink(store, actor="collector", batch=1000)
    docs = [Document(data=f"page {i}: 2000 liver transplants".encode(), origin=f"o{i}",
                     url=f"https://example.org/{i}") for i in range(3)]
    claim = {"source": docs[2].sha256, "indicator": "transplants_annual", "organ": "liver",
             "value": 2000, "text": "2000 liver transplants", "span": [8, 30]}
    counts = [sink.write(RecordResult(documents=[d])) for d in docs[:2]]
    counts.append(sink.write(RecordResult(documents=[docs[2], docs[0]], claims=[claim])))
    assert counts == [(1, 0), (1, 0), (1, 0)]
    # nothing is in the store until the pipeline flushes (it does so before checkpointing)
    assert len(store.sources()) == 0 and len(store.ledger()) == events
    assert sink.flush() == 1
    assert sink.flush() == 0
    actions = list(store.ledger()["action"].iloc[events:])
    assert actions == ["add_sources", "add_claims"]
    assert sorted(store.sources()["sha256"]) == sorted(d.sha256 for d in docs)
    assert store.claims()["source_sha256"].tolist() == [docs[2].sha256]
    assert store.verify().ok
