"""The evidence commands of the txaudit CLI: output, JSON, exit codes, one-line errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from txaudit.cli import app

PKG = Path(__file__).parent / "fixtures" / "pkg"
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "cli.db")
    code, out, err = run("init", path, "--no-bundled", "--actor", "tester")
    assert code == 0, err
    code, out, err = run("import", str(PKG / "datapackage.json"), "--db", path)
    assert code == 0, err
    assert out.startswith("Imported 19 rows (2 sources, 3 hospitals, 3 hospital_aliases, "
                          "6 observations, 3 official_figures, 2 reference_figures)")
    return path


@pytest.mark.parametrize("command", ["init", "import", "export", "verify", "hospitals",
                                     "show", "sources", "summary"])
def test_every_evidence_command_has_help(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0
    assert "--db" in out


def test_summary_json_reports_counts(db: str) -> None:
    code, out, _ = run("summary", "--db", db, "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["hospitals"], data["observations"], data["official_figures"]) == (3, 6, 3)
    assert data["every_observation_has_cited_url"] is True


def test_summary_text_lists_counts(db: str) -> None:
    code, out, _ = run("summary", "--db", db)
    assert code == 0
    assert out.startswith("3 hospitals, 6 observations")
    assert "Every observation cites a URL." in out


def test_hospitals_search_in_both_scripts(db: str) -> None:
    code, out, _ = run("hospitals", "协和", "--db", db, "--json")
    assert code == 0
    assert [h["hospital_id"] for h in json.loads(out)] == ["h-alpha"]
    code, out, _ = run("hospitals", "--db", db, "--json")
    assert len(json.loads(out)) == 3
    code, out, _ = run("hospitals", "gamma", "--db", db)
    assert "h-gamma" in out and "伽马人民医院" in out


def test_show_lists_observations_with_sources(db: str) -> None:
    code, out, _ = run("show", "h-beta", "--db", db, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["hospital"]["name_en"] == "Beta Military Hospital"
    assert data["observations"][0]["value"] == 316
    assert data["observations"][0]["source_url"] == "https://example.org/report-2015.txt"
    code, out, _ = run("show", "Alpha Union Hospital", "--db", db)
    assert code == 0 and "h-alpha" in out and "aliases:" in out


def test_sources_json(db: str) -> None:
    code, out, _ = run("sources", "--db", db, "--json")
    assert code == 0
    assert sorted(s["url"] for s in json.loads(out)) == [
        "https://example.org/hospital-a/liver", "https://example.org/report-2015.txt"]


def test_verify_passes_then_names_a_tampered_blob(db: str) -> None:
    code, out, _ = run("verify", "--db", db)
    assert code == 0
    assert out.startswith("OK: 2 ledger events, 19 rows, 2 blobs checked")
    blob = next(p for p in (Path(db).with_suffix(".blobs")).rglob("*") if p.is_file())
    blob.write_bytes(b"edited")
    code, out, err = run("verify", "--db", db)
    assert code == 2
    assert f"FAIL blob {blob.parent.name}{blob.name}: bytes hash to" in err
    assert "1 problem(s)" in err


def test_export_then_import_into_a_new_store(db: str, tmp_path: Path) -> None:
    code, out, _ = run("export", "--format", "datapackage", str(tmp_path / "out"), "--db", db)
    assert code == 0
    assert (tmp_path / "out" / "datapackage.json").is_file()
    new = str(tmp_path / "new.db")
    assert run("init", new, "--no-bundled")[0] == 0
    code, out, _ = run("import", str(tmp_path / "out" / "datapackage.json"), "--db", new,
                       "--json")
    assert code == 0 and json.loads(out)["total"] == 19


def test_bad_import_prints_one_line_and_exits_non_zero(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "observations.csv"
    shutil.copy(PKG / "observations.csv", bad)
    bad.write_text(bad.read_text().replace(",1.30,", ",130,"))
    code, out, err = run("import", str(bad), "--db", db)
    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith(f"Error: {bad}, line 3, field 'value': 130 is above the maximum 5")
    assert "Traceback" not in err


def test_commands_on_a_missing_store_fail_cleanly(tmp_path: Path) -> None:
    code, _, err = run("summary", "--db", str(tmp_path / "none.db"))
    assert code == 1
    assert err.startswith("Error: no store at") and "txaudit init" in err


def test_db_defaults_to_the_environment_variable(db: str, monkeypatch) -> None:
    monkeypatch.setenv("TXAUDIT_DB", db)
    code, out, _ = run("summary", "--json")
    assert code == 0 and json.loads(out)["hospitals"] == 3


def test_init_without_bundled_data_explains_itself(tmp_path: Path, monkeypatch) -> None:
    from txaudit.evidence import store as store_module

    monkeypatch.setattr(store_module, "bundled_package",
                        lambda: tmp_path / "nowhere" / "datapackage.json")
    code, _, err = run("init", str(tmp_path / "x.db"))
    assert code == 1
    assert "bundled dataset is missing" in err and "--no-bundled" in err
