"""The ``txaudit forensics`` and ``forensics-panel`` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from txaudit.cli import app

runner = CliRunner()


@pytest.fixture
def quadratic_csv(tmp_path: Path) -> Path:
    path = tmp_path / "donors.csv"
    rows = "\n".join(f"{2010 + i},{round(37.5 * (i + 1) ** 2)}" for i in range(9))
    path.write_text("year,value\n" + rows + "\n", encoding="utf-8")
    return path


def test_forensics_json_lists_findings_with_the_required_keys(
    quadratic_csv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["forensics", str(quadratic_csv), "--json",
                                 "--replicates", "300"])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)
    for f in findings:
        assert {"test", "statistic", "p_value", "flagged", "explanation"} <= set(f)
    conformance = [f for f in findings if f["test"] == "formula_conformance"][0]
    assert conformance["flagged"] is True
    benford = [f for f in findings if f["test"] == "benford"][0]
    assert benford["p_value"] is None and benford["flagged"] is False


def test_forensics_prints_a_table_by_default(quadratic_csv: Path) -> None:
    result = runner.invoke(app, ["forensics", str(quadratic_csv), "--replicates", "200"])
    assert result.exit_code == 0, result.output
    assert "formula_conformance" in result.stdout


def test_forensics_reads_a_bundled_series_with_a_country(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no store here: the bundled figures are used
    result = runner.invoke(app, ["forensics", "godt:kidney_tx_total", "--country", "China",
                                 "--against", "godt:liver_tx_total", "--json",
                                 "--replicates", "200"])
    assert result.exit_code == 0, result.output
    tests = {f["test"]: f for f in json.loads(result.stdout)}
    assert tests["repeated_values"]["flagged"] is True
    assert "ratio_stability" in tests


def test_a_bad_csv_value_names_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("year,value\n2015,2766\n2016,lots\n", encoding="utf-8")
    result = runner.invoke(app, ["forensics", str(path)])
    assert result.exit_code == 1
    assert "bad.csv, line 3, field 'value'" in result.output


def test_an_unknown_series_is_a_clear_error(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["forensics", "no:such-series"])
    assert result.exit_code == 1
    assert "no series 'no:such-series'" in result.output


def test_snapshot_csv_runs_counter_monitoring(tmp_path: Path) -> None:
    path = tmp_path / "counter.csv"
    path.write_text("date,value\n2024-01-01,1000\n2024-01-08,1700\n2024-01-15,2400\n"
                    "2024-01-16,27400\n", encoding="utf-8")
    result = runner.invoke(app, ["forensics", str(path), "--json"])
    assert result.exit_code == 0, result.output
    tests = {f["test"]: f for f in json.loads(result.stdout)}
    assert tests["counter_round_jumps"]["flagged"] is True


def test_forensics_panel_prints_the_false_alarm_share() -> None:
    result = runner.invoke(app, ["forensics-panel", "--json", "--replicates", "199"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["n_series"] >= 150
    assert 0 <= data["share_flagged"] <= 0.10


@pytest.mark.parametrize("command", ["forensics", "forensics-panel"])
def test_forensics_commands_have_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "--json" in result.output


def test_a_decreasing_cumulative_csv_is_reported_not_crashed(tmp_path: Path) -> None:
    path = tmp_path / "cumulative.csv"
    values = [100, 300, 700, 650, 1200, 1900, 2700, 3600]
    path.write_text("year,value\n" + "\n".join(f"{2010 + i},{v}" for i, v in
                                               enumerate(values)) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["forensics", str(path), "--kind", "cumulative", "--json",
                                 "--replicates", "100"])
    assert result.exit_code == 0, result.output
    tests = {f["test"]: f for f in json.loads(result.stdout)}
    assert tests["cumulative_decreases"]["flagged"] is True
    assert any("decreases" in w for w in tests["formula_conformance_cumulative"]["warnings"])


def test_against_a_second_csv_compares_versions(tmp_path: Path) -> None:
    a = tmp_path / "cotrs.csv"
    b = tmp_path / "codac.csv"
    a.write_text("year,value\n2018,6302\n2019,5818\n", encoding="utf-8")
    b.write_text("year,value\n2018,6302\n2019,5830\n", encoding="utf-8")
    result = runner.invoke(app, ["forensics", str(a), "--against", str(b), "--json"])
    assert result.exit_code == 0, result.output
    tests = {f["test"]: f for f in json.loads(result.stdout)}
    assert tests["compare_versions"]["flagged"] is True
    assert tests["compare_versions"]["p_value"] is None
    assert [s["series"] for s in tests["compare_versions"]["inputs"]] == ["cotrs", "codac"]


def test_an_unknown_kind_is_a_clear_error(quadratic_csv: Path) -> None:
    result = runner.invoke(app, ["forensics", str(quadratic_csv), "--kind", "monthly"])
    assert result.exit_code == 1
    assert "unknown kind 'monthly'" in result.output
