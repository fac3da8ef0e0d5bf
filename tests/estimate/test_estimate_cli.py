"""CLI: estimate, model show, sensitivity, calibrate (JSON shapes and errors)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from estimate_helpers import hospitals, obs, observations, official
from typer.testing import CliRunner

from txaudit.cli import app
from txaudit.cli import estimate as cli_estimate

runner = CliRunner()


class _Store:
    def observations(self) -> pd.DataFrame:
        rows = [obs(f"o{i}", f"H{i}", "transplants_annual", 100 * i) for i in range(1, 5)]
        return observations(rows)

    def hospitals(self) -> pd.DataFrame:
        return hospitals([f"H{i}" for i in range(1, 5)], approved_organs="kidney")

    def official_figures(self) -> pd.DataFrame:
        off = official(2015, "all", 1000)
        off["country"] = "China"
        return off


@pytest.fixture
def store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_estimate, "_store", lambda db: _Store())


def test_estimate_json_has_the_documented_shape(store: None) -> None:
    res = runner.invoke(app, ["estimate", "--json", "--draws", "2048", "--seed", "3"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["seed"] == 3 and data["draws"] == 2048 and len(data["model_hash"]) == 64
    rec = {r["organ"]: r for r in data["national"]}["all"]
    assert rec["year"] == 2015
    assert set(rec["intervals"]) == {"50", "80", "95"}
    assert rec["official"]["value"] == 1000
    assert set(rec["ratio_to_official"]["intervals"]) == {"50", "80", "95"}


def test_estimate_is_reproducible_from_the_cli(store: None) -> None:
    a = runner.invoke(app, ["estimate", "--json", "--draws", "1024", "--seed", "1"])
    b = runner.invoke(app, ["estimate", "--json", "--draws", "1024", "--seed", "1"])
    assert a.stdout == b.stdout


def test_estimate_csv_prints_the_national_table(store: None) -> None:
    res = runner.invoke(app, ["estimate", "--csv", "--draws", "1024", "--scenario",
                              "conservative"])
    assert res.exit_code == 0, res.output
    header = res.stdout.splitlines()[0].split(",")
    assert {"year", "organ", "median", "low95", "high95", "official"} <= set(header)


def test_estimate_table_renders(store: None) -> None:
    res = runner.invoke(app, ["estimate", "--draws", "1024", "--year", "2015"])
    assert res.exit_code == 0, res.output
    assert "kidney" in res.stdout


def test_unknown_scenario_is_one_clear_error_line(store: None) -> None:
    res = runner.invoke(app, ["estimate", "--scenario", "nope"])
    assert res.exit_code == 1
    assert "Error:" in res.output and "no scenario 'nope'" in res.output


def test_model_show_json_lists_parameters_with_citations() -> None:
    res = runner.invoke(app, ["model", "show", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["parameters"] and all(p["source"] for p in data["parameters"])
    assert data["scenarios"] == ["central", "conservative", "liberal"]


def test_model_show_table_mentions_inferred_values() -> None:
    res = runner.invoke(app, ["model", "show", "--scenario", "liberal"])
    assert res.exit_code == 0, res.output
    assert "INFERRED" in res.stdout


def test_sensitivity_json_ranks_drivers(store: None) -> None:
    res = runner.invoke(app, ["sensitivity", "--json", "--method", "oat"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    swings = [r["swing"] for r in data["tornado"]]
    assert swings == sorted(swings, reverse=True) and swings[0] > 0
    assert data["official"] == 1000


def test_calibrate_json_reports_coverage() -> None:
    res = runner.invoke(app, ["calibrate", "--countries", "3", "--draws", "512", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["n_countries"] == 3
    assert set(data["coverage"]) == {"50", "80", "95"}
    assert all(0 <= v <= 1 for v in data["coverage"].values())
    assert "bias" in data
