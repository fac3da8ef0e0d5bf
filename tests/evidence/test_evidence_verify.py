"""``verify`` passes on an untouched store and names each kind of tampering.

Each test alters the database (or a blob file) directly, behind the store's back, the way
someone editing the SQLite file or the PostgreSQL tables would.
"""

from __future__ import annotations

from txaudit.evidence import Store
from txaudit.evidence.blobs import FolderBlobStore
from txaudit.evidence.ledger import content_hasher


def sql(store: Store, statement: str) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql(statement)


def problems(store: Store) -> list[str]:
    report = store.verify()
    return [str(p) for p in report.problems]


def test_untouched_store_verifies(fixture_store: Store) -> None:
    report = fixture_store.verify()
    assert report.ok, report.problems
    assert report.events == 2
    assert report.rows["observations"] == 6
    assert report.blobs == 2
    assert report.head == fixture_store.ledger_head()
    assert report.summary().startswith("OK: 2 ledger events, 19 rows, 2 blobs")


def test_an_altered_row_is_caught(fixture_store: Store) -> None:
    sql(fixture_store, "UPDATE observations SET value = '3160' WHERE observation_id = 'obs-4'")
    found = problems(fixture_store)
    assert any(p.startswith("observations obs-4: content does not match") for p in found)
    assert any(p.startswith("event 2 (import)") for p in found)


def test_an_altered_row_with_a_recomputed_row_hash_is_caught(fixture_store: Store) -> None:
    """An editor who knows the row-hash rule (it is public) fixes up row_hash too."""
    s = fixture_store
    with s.engine.connect() as conn:
        row = dict(conn.exec_driver_sql(
            "SELECT * FROM hospitals WHERE hospital_id = 'h-beta'").mappings().one())
    row["name_en"] = "Beta Civilian Hospital"
    new_hash = content_hasher("hospitals")(row)
    sql(s, f"UPDATE hospitals SET name_en = 'Beta Civilian Hospital', row_hash = '{new_hash}' "
           "WHERE hospital_id = 'h-beta'")
    found = problems(s)
    assert not any("content does not match" in p for p in found)
    assert found == ["event 2 (import): rows written by this event no longer match its payload "
                     "hash (a row was altered)"]


def test_a_deleted_row_is_caught(fixture_store: Store) -> None:
    sql(fixture_store, "DELETE FROM official_figures WHERE figure_id = 'of-2'")
    found = problems(fixture_store)
    assert len(found) == 1
    assert "official_figures: ledger says 3 rows, table holds 2" in found[0]


def test_a_status_changed_outside_the_ledger_is_caught(fixture_store: Store) -> None:
    sql(fixture_store, "UPDATE observations SET status = 'retracted' "
                       "WHERE observation_id = 'obs-1'")
    assert problems(fixture_store) == [
        "observations obs-1: status 'retracted' was set without a ledger event"]


def test_a_retraction_reason_rewritten_later_is_caught(fixture_store: Store) -> None:
    fixture_store.retract_observation("obs-1", actor="ann", reason="duplicate of obs-2")
    assert fixture_store.verify().ok
    sql(fixture_store, "UPDATE observations SET status_reason = 'source was fake' "
                       "WHERE observation_id = 'obs-1'")
    found = problems(fixture_store)
    assert len(found) == 1 and found[0].startswith("event 3 (retract_observation)")


def _tamper_blob(store: Store, sha: str, data: bytes) -> None:
    if isinstance(store.blobs, FolderBlobStore):
        store.blobs.path(sha).write_bytes(data)
    else:
        with store.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE blobs SET data = %(d)s WHERE sha256 = %(s)s",
                                 {"d": data, "s": sha})


def test_an_altered_blob_is_caught(fixture_store: Store) -> None:
    sha = fixture_store.sources()["sha256"].iloc[1]
    original = fixture_store.get_blob(sha)
    _tamper_blob(fixture_store, sha, original.replace(b"316", b"999"))
    found = problems(fixture_store)
    assert len(found) == 1
    assert found[0].startswith(f"blob {sha}: bytes hash to ")
    assert found[0].endswith("the blob was altered")


def test_a_missing_blob_is_caught(fixture_store: Store) -> None:
    sha = fixture_store.sources()["sha256"].iloc[0]
    if isinstance(fixture_store.blobs, FolderBlobStore):
        fixture_store.blobs.path(sha).unlink()
    else:
        sql(fixture_store, f"DELETE FROM blobs WHERE sha256 = '{sha}'")
    assert problems(fixture_store) == [f"blob {sha}: is cited but missing"]


def test_an_altered_ledger_event_is_caught(fixture_store: Store) -> None:
    sql(fixture_store, "UPDATE ledger_events SET actor = 'mallory' WHERE seq = 2")
    assert problems(fixture_store) == [
        "event 2 (import): event hash does not match its fields (the event was altered)"]


def test_an_event_rewritten_with_a_fresh_hash_breaks_the_chain(fixture_store: Store) -> None:
    from txaudit.evidence.canonical import event_hash

    s = fixture_store
    s.add_source(b"third event", actor="ann")
    ev = s.ledger().iloc[1]
    fresh = event_hash(2, ev["at"], "mallory", ev["action"], ev["payload_sha256"],
                       ev["prev_hash"])
    sql(s, f"UPDATE ledger_events SET actor = 'mallory', hash = '{fresh}' WHERE seq = 2")
    assert problems(s) == [
        "event 3 (add_source): previous-event hash does not match (an event was altered or "
        "removed before it)"]


def test_a_removed_ledger_event_is_caught(fixture_store: Store) -> None:
    s = fixture_store
    s.add_source(b"third event", actor="ann")
    sql(s, "DELETE FROM ledger_events WHERE seq = 2")
    found = problems(s)
    assert "event 3 (add_source): expected event 2 here: an event is missing" in found
    assert any(p.startswith("event 3 (add_source): previous-event hash") for p in found)
    assert any("names ledger event 2, which does not exist" in p for p in found)


def test_ledger_head_changes_with_every_write(fixture_store: Store) -> None:
    head = fixture_store.ledger_head()
    fixture_store.add_source(b"new", actor="ann")
    assert fixture_store.ledger_head() != head
    assert len(fixture_store.ledger_head()) == 64
