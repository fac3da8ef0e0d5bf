"""The review queue: claims collected from an archive are listed, decided one by one
or by a recorded rule, and accepted claims become observations that keep their source."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from txaudit.cli import app
from txaudit.collect import CollectOptions, StoreSink, collect
from txaudit.collect.review import Rule, parse_changes
from txaudit.errors import InputError

FIXTURE_PACKAGE = Path(__file__).parents[1] / "evidence" / "fixtures" / "pkg" / "datapackage.json"

EN_PAGE = ("<html><body><p>Alpha General Hospital performed 2,000 kidney transplants in 2005."
           "</p></body></html>")
ZH_PAGE = ("<html><body><p>伽马人民医院2006年完成肝移植手术150例。</p></body></html>")

pytest.importorskip("txaudit.extract", reason="needs the extract part")


@pytest.fixture
def queue(tmp_path: Path) -> tuple[str, Any]:
    """A SQLite store with the fixture hospitals and the claims of two collected pages."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from txaudit.evidence import init_store

    db = tmp_path / "review.db"
    store = init_store(db, actor="test", bundled=FIXTURE_PACKAGE)
    warc = tmp_path / "pages.warc.gz"
    with warc.open("wb") as f:
        writer = WARCWriter(f, gzip=True)
        for name, page in (("en", EN_PAGE), ("zh", ZH_PAGE)):
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                    protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"http://h.example/{name}.html", "response",
                payload=BytesIO(page.encode("utf-8")), http_headers=http))
    from txaudit.collect.sink import hospital_matcher

    collect([warc], StoreSink(store, actor="collector"),
            CollectOptions(matcher=hospital_matcher(store)))
    return str(db), store


def _claims(db: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(app, ["review", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


def test_collected_claims_are_listed_with_their_sentence(queue: tuple[str, Any]) -> None:
    db, _ = queue
    claims = _claims(db)
    by_hospital = {c["hospital_id"]: c for c in claims}
    assert set(by_hospital) == {"h-alpha", "h-gamma"}
    en = by_hospital["h-alpha"]
    assert en["indicator"] == "transplants_annual" and en["organ"] == "kidney"
    assert float(en["value"]) == 2000 and en["year"] == 2005
    assert en["text"].startswith("Alpha General Hospital performed 2,000")
    table = CliRunner().invoke(app, ["review", "--db", db], env={"COLUMNS": "250"})
    assert table.exit_code == 0 and "awaiting review" in table.output
    assert "Alpha General Hospital" in table.output


def test_accepting_a_claim_makes_an_observation_citing_its_source_span_and_reviewer(
    queue: tuple[str, Any],
) -> None:
    db, store = queue
    claim = next(c for c in _claims(db) if c["hospital_id"] == "h-alpha")
    result = CliRunner().invoke(app, ["review", "accept", claim["claim_id"], "--reviewer",
                                      "Ana Reviewer", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    obs_id = json.loads(result.output)["observation_id"]
    observations = store.observations().set_index("observation_id")
    obs = observations.loc[obs_id]
    assert obs["source_sha256"] == claim["source_sha256"]
    assert obs["source_locator"] == f"chars {claim['span_start']}-{claim['span_end']}"
    assert obs["cited_url"] == "http://h.example/en.html"
    decided = store.claims(status="accepted").set_index("claim_id").loc[claim["claim_id"]]
    assert decided["decided_by"] == "Ana Reviewer"
    again = CliRunner().invoke(app, ["review", "accept", claim["claim_id"], "--reviewer", "x",
                                     "--db", db])
    assert again.exit_code == 1 and "already accepted" in again.output


def test_rejecting_and_editing_are_recorded_with_the_reviewer(queue: tuple[str, Any]) -> None:
    db, store = queue
    claims = _claims(db)
    first, second = claims[0]["claim_id"], claims[1]["claim_id"]
    runner = CliRunner()
    rejected = runner.invoke(app, ["review", "reject", first, "--reviewer", "bo", "--db", db])
    assert rejected.exit_code == 0 and "rejected by bo" in rejected.output
    edited = runner.invoke(app, ["review", "edit", second, "--set", "organ=heart", "--set",
                                 "note=organ corrected by reading the table", "--reviewer",
                                 "bo", "--db", db, "--json"])
    assert edited.exit_code == 0, edited.output
    obs = store.observations().set_index("observation_id").loc[
        json.loads(edited.output)["observation_id"]]
    assert obs["organ"] == "heart" and obs["note"] == "organ corrected by reading the table"
    assert set(store.claims()["status"]) == {"rejected", "edited"}


def test_batch_acceptance_by_rule_records_the_rule_with_each_decision(
    queue: tuple[str, Any],
) -> None:
    db, store = queue
    runner = CliRunner()
    dry = runner.invoke(app, ["review", "accept-rule", "--pattern", "肝移植", "--reviewer", "cy",
                              "--dry-run", "--db", db])
    assert dry.exit_code == 0 and "would accept 1 claim(s)" in dry.output
    assert len(store.claims(status="proposed")) == 2
    done = runner.invoke(app, ["review", "accept-rule", "--pattern", "肝移植",
                               "--indicator", "transplants_annual", "--reviewer", "cy",
                               "--db", db, "--json"])
    assert done.exit_code == 0, done.output
    payload = json.loads(done.output)
    assert payload["rule"] == "indicator=transplants_annual; pattern=肝移植"
    (decision,) = payload["decided"]
    accepted = store.claims(status="accepted").set_index("claim_id").loc[decision["claim_id"]]
    assert accepted["rule"] == payload["rule"] and accepted["decided_by"] == "cy"
    ledger = store.ledger()
    assert any(payload["rule"] in str(d) for d in ledger["detail"])


def test_review_errors_are_one_clear_line(queue: tuple[str, Any]) -> None:
    db, _ = queue
    runner = CliRunner()
    missing = runner.invoke(app, ["review", "accept", "clm-0000", "--reviewer", "x", "--db", db])
    assert missing.exit_code == 1 and "no claim 'clm-0000'" in missing.output
    no_rule = runner.invoke(app, ["review", "accept-rule", "--reviewer", "x", "--db", db])
    assert no_rule.exit_code == 1 and "at least one condition" in no_rule.output
    confidence = runner.invoke(app, ["review", "accept-rule", "--min-confidence", "0.9",
                                     "--reviewer", "x", "--db", db])
    assert confidence.exit_code == 1 and "no confidence score" in confidence.output
    bad_set = runner.invoke(app, ["review", "edit", "clm-0000", "--set", "colour=blue",
                                  "--reviewer", "x", "--db", db])
    assert bad_set.exit_code == 1 and "'colour' cannot be edited" in bad_set.output


def test_changes_are_parsed_and_checked_against_the_vocabulary() -> None:
    assert parse_changes(["value=120", "year=2005", "hospital_id=null"]) == {
        "value": "120", "year": 2005, "hospital_id": None}
    with pytest.raises(InputError, match="unknown organ 'spleen'"):
        parse_changes(["organ=spleen"])
    with pytest.raises(InputError, match="not field=value"):
        parse_changes(["value"])
    assert Rule(organ="liver", lang="zh").describe() == "organ=liver; lang=zh"


def test_interactive_review_decides_claims_one_at_a_time(
    queue: tuple[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.prompt import Prompt

    from txaudit.cli.review import _interactive

    db, store = queue
    answers = iter(["r", "e", "organ=heart year=2006"])
    monkeypatch.setattr(Prompt, "ask", lambda *a, **k: next(answers))
    _interactive(store, "dee", limit=10)
    statuses = store.claims().set_index("claim_id")["status"]
    assert sorted(statuses) == ["edited", "rejected"]
    sources = set(store.claims()["source_sha256"])
    observations = store.observations()
    edited = observations[observations["source_sha256"].isin(sources)]
    assert list(edited["organ"]) == ["heart"] and list(edited["year"]) == [2006]
