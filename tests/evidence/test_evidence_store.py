"""Store write and read API on both backends."""

from __future__ import annotations

import hashlib

import pytest

from txaudit import frames
from txaudit.errors import InputError, NotFoundError
from txaudit.evidence import Store

OBS = dict(
    scope="hospital",
    hospital_id="h-alpha",
    indicator="transplants_annual",
    organ="liver",
    year=2014,
    value="150",
    qualifier="more_than",
    unit="count/year",
    grade="B",
    cited_url="https://example.org/a",
)


def test_add_source_keeps_bytes_and_is_idempotent(store: Store) -> None:
    data = "肝移植 2000 例".encode()
    sha = store.add_source(data, actor="ann", url="https://example.org/x", lang="zh")
    assert sha == hashlib.sha256(data).hexdigest()
    events = len(store.ledger())
    assert store.add_source(data, actor="bob", url="https://other.example") == sha
    assert len(store.ledger()) == events
    assert store.get_blob(sha) == data
    assert store.has_source(sha)
    assert not store.has_source("0" * 64)
    src = store.sources()
    assert list(src.columns) == list(frames.SOURCE_COLUMNS)
    assert src.loc[0, "url"] == "https://example.org/x"
    assert src.loc[0, "byte_length"] == len(data)


def test_sqlite_blobs_live_in_a_folder_beside_the_file(tmp_path) -> None:
    from txaudit.evidence import init_store

    s = init_store(tmp_path / "a.db", load_bundled=False)
    sha = s.add_source(b"hello", actor="t")
    assert (tmp_path / "a.blobs" / sha[:2] / sha[2:]).read_bytes() == b"hello"
    s.close()


def test_get_blob_of_unknown_hash_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.get_blob("ab" * 32)


def test_read_api_returns_the_frames_columns(fixture_store: Store) -> None:
    s = fixture_store
    assert list(s.hospitals().columns) == list(frames.HOSPITAL_COLUMNS)
    assert list(s.aliases().columns) == list(frames.ALIAS_COLUMNS)
    assert list(s.observations().columns) == list(frames.OBSERVATION_COLUMNS)
    assert list(s.official_figures().columns) == list(frames.OFFICIAL_FIGURE_COLUMNS)
    assert list(s.reference_figures().columns) == list(frames.REFERENCE_FIGURE_COLUMNS)
    obs = s.observations().set_index("observation_id")
    assert obs.loc["obs-2", "value"] == pytest.approx(1.3)
    assert obs.loc["obs-6", "value"] == pytest.approx(120.5)
    assert obs.loc["obs-5", "low"] == 80.0 and obs.loc["obs-5", "high"] == 120.0
    assert obs.loc["obs-4", "year"] == 2015
    assert set(obs["status"]) == {"current"}
    assert len(s.official_figures(series="china:deceased_donors:cotrs")) == 2
    assert len(s.official_figures(country="Spain")) == 1


def test_values_are_stored_as_exact_decimal_text(fixture_store: Store) -> None:
    with fixture_store._read() as conn:
        raw = dict(conn.exec_driver_sql("SELECT observation_id, value FROM observations").all())
    assert raw["obs-2"] == "1.3"
    assert raw["obs-6"] == "120.5"


def test_add_observation_validates_against_the_vocabulary(fixture_store: Store) -> None:
    s = fixture_store
    oid = s.add_observation(actor="ann", **OBS)
    assert oid.startswith("obs-")
    with pytest.raises(InputError, match="unknown indicator") as err:
        s.add_observation(actor="ann", **{**OBS, "indicator": "transplant_count"})
    assert err.value.field == "indicator"
    with pytest.raises(InputError, match="unit"):
        s.add_observation(actor="ann", **{**OBS, "unit": "count"})
    with pytest.raises(InputError) as err:
        s.add_observation(actor="ann", **{**OBS, "indicator": "bed_occupancy", "value": 40,
                                          "unit": "fraction"})
    assert "divide a percentage by 100" in str(err.value)
    with pytest.raises(InputError, match="unknown hospital"):
        s.add_observation(actor="ann", **{**OBS, "hospital_id": "h-nowhere"})
    assert len(s.observations()) == 7


def test_revision_supersedes_and_history_stays_readable(fixture_store: Store) -> None:
    s = fixture_store
    new = s.revise_observation("obs-4", actor="bob", reason="misread year", year=2016)
    current = s.observations().set_index("observation_id")
    assert "obs-4" not in current.index
    assert current.loc[new, "year"] == 2016
    assert current.loc[new, "value"] == 316
    hist = s.observations(include_history=True).set_index("observation_id")
    assert hist.loc["obs-4", "status"] == "superseded"
    assert hist.loc["obs-4", "status_reason"] == "misread year"
    assert hist.loc[new, "supersedes"] == "obs-4"
    with pytest.raises(InputError, match="superseded"):
        s.revise_observation("obs-4", actor="bob", reason="again", year=2017)
    assert s.verify().ok


def test_retraction_keeps_the_row_with_its_reason(fixture_store: Store) -> None:
    s = fixture_store
    s.retract_observation("obs-3", actor="bob", reason="source withdrawn")
    assert "obs-3" not in set(s.observations()["observation_id"])
    hist = s.observations(include_history=True).set_index("observation_id")
    assert hist.loc["obs-3", "status"] == "retracted"
    assert hist.loc["obs-3", "status_reason"] == "source withdrawn"
    with pytest.raises(InputError, match="reason"):
        s.retract_observation("obs-2", actor="bob", reason=" ")
    with pytest.raises(NotFoundError):
        s.retract_observation("obs-404", actor="bob", reason="x")
    assert s.verify().ok


def test_every_write_appends_one_chained_ledger_event(fixture_store: Store) -> None:
    s = fixture_store
    before = s.ledger()
    s.add_observation(actor="carol", **OBS)
    after = s.ledger()
    assert len(after) == len(before) + 1
    last = after.iloc[-1]
    assert last["actor"] == "carol" and last["action"] == "add_observation"
    assert last["prev_hash"] == before.iloc[-1]["hash"]
    assert last["at"].endswith("Z")
    assert s.ledger_head() == last["hash"]


def _claim(sha: str, **kw: object) -> dict[str, object]:
    base: dict[str, object] = dict(
        source_sha256=sha, indicator="transplants_cumulative", organ="liver", value="2000",
        qualifier="more_than", unit="count", as_of="2012-06", since_year=1999,
        hospital_id="h-alpha", lang="zh", text="已完成肝移植 2000 例", span_start=10,
        span_end=22, extractor_version="x-1")
    base.update(kw)
    return base


def test_claims_are_idempotent_and_decisions_make_observations(fixture_store: Store) -> None:
    s = fixture_store
    sha = s.sources()["sha256"].iloc[0]
    ids = s.add_claims([_claim(sha), _claim(sha, span_start=40, span_end=50, value="5")],
                       actor="extractor")
    again = s.add_claims([_claim(sha)], actor="extractor")
    assert again == ids[:1]
    assert len(s.claims()) == 2
    assert len(s.claims(status="proposed")) == 2

    obs_id = s.decide_claim(ids[0], "accept", actor="reviewer-r", rule="zh-cumulative")
    assert obs_id is not None
    obs = s.observations(include_history=True).set_index("observation_id").loc[obs_id]
    assert obs["source_sha256"] == sha
    assert obs["source_locator"] == "chars 10-22"
    assert obs["reviewer"] == "reviewer-r"
    assert obs["claim_id"] == ids[0]
    assert obs["grade"] == "B"
    assert s.decide_claim(ids[1], "reject", actor="reviewer-r") is None
    claims = s.claims().set_index("claim_id")
    assert claims.loc[ids[0], "status"] == "accepted"
    assert claims.loc[ids[0], "rule"] == "zh-cumulative"
    assert claims.loc[ids[1], "status"] == "rejected"
    with pytest.raises(InputError, match="already"):
        s.decide_claim(ids[1], "accept", actor="reviewer-r")
    actions = list(s.ledger()["action"])
    assert actions[-2:] == ["claim_accept", "claim_reject"]
    assert s.verify().ok


def test_an_edited_claim_records_the_changes(fixture_store: Store) -> None:
    s = fixture_store
    sha = s.sources()["sha256"].iloc[0]
    [cid] = s.add_claims([_claim(sha)], actor="extractor")
    obs_id = s.decide_claim(cid, "edit", actor="r", changes={"value": "2100"}, grade="C")
    obs = s.observations().set_index("observation_id").loc[obs_id]
    assert obs["value"] == 2100 and obs["grade"] == "C"
    assert s.claims().set_index("claim_id").loc[cid, "status"] == "edited"


def test_quarantine_keeps_the_record_and_reason(store: Store) -> None:
    qid = store.add_quarantine("warc:foo.warc.gz#12", "not decodable", stage="collect",
                               actor="collector", data=b"\xff\xfe bad")
    q = store.quarantined()
    assert list(q["quarantine_id"]) == [qid]
    assert q.loc[0, "reason"] == "not decodable"
    assert store.get_blob(q.loc[0, "data_sha256"]) == b"\xff\xfe bad"
    assert store.verify().ok


def test_find_hospitals_searches_both_scripts_and_aliases(fixture_store: Store) -> None:
    s = fixture_store
    assert list(s.find_hospitals("ALPHA")["hospital_id"]) == ["h-alpha"]
    assert list(s.find_hospitals("伽马")["hospital_id"]) == ["h-gamma"]
    assert list(s.find_hospitals("协和")["hospital_id"]) == ["h-alpha"]
    assert list(s.find_hospitals("no. 7")["hospital_id"]) == ["h-gamma"]
    assert set(s.find_hospitals("hospital")["hospital_id"]) == {"h-alpha", "h-beta", "h-gamma"}


def test_hospital_lookup_by_id_name_or_alias(fixture_store: Store) -> None:
    s = fixture_store
    assert s.hospital("h-beta")["name_en"] == "Beta Military Hospital"
    assert s.hospital("阿尔法协和医院")["hospital_id"] == "h-alpha"
    assert s.hospital("gamma")["hospital_id"] == "h-gamma"
    with pytest.raises(InputError, match="matches 3 hospitals"):
        s.hospital("hospital")
    with pytest.raises(NotFoundError):
        s.hospital("Nowhere Clinic")
    obs = s.hospital_observations("h-beta")
    assert list(obs["source_url"]) == ["https://example.org/report-2015.txt"]


def test_summary_counts_and_coverage(fixture_store: Store) -> None:
    summary = fixture_store.summary()
    assert summary["hospitals"] == 3
    assert summary["observations"] == 6
    assert summary["official_figures"] == 3
    assert summary["sources"] == 2
    assert summary["by_province"] == {"Hubei": 3, "Henan": 2, "Beijing": 1}
    assert summary["by_organ"] == {"all": 3, "kidney": 2, "liver": 1}
    assert summary["hospital_coverage_by_indicator"]["hospital_beds"] == {
        "hospitals": 1, "share": round(1 / 3, 4)}
    assert summary["every_observation_has_cited_url"] is True


def test_an_actor_is_required_for_writes(store: Store) -> None:
    with pytest.raises(InputError, match="actor"):
        store.add_source(b"x", actor="")
