"""The model file: default model, citations, scenarios, hash, validation."""

from __future__ import annotations

import pytest
from estimate_helpers import POINT_MODEL

from txaudit.errors import ConfigError
from txaudit.estimate import load_model, parse_model_text
from txaudit.estimate.model import ESTIMATOR_NAMES


def test_default_model_loads_and_every_parameter_cites_a_source() -> None:
    model = load_model()
    assert model.country == "China"
    assert len(model.parameters) >= 25
    for p in model.parameters:
        assert p.source.strip(), f"{p.key} has no source"
        assert p.unit.strip(), f"{p.key} has no unit"


def test_default_model_flags_inferred_and_unseen_values_in_notes() -> None:
    model = load_model()
    min_cap = model.find("min_capacity")
    assert min_cap is not None and min_cap.inferred
    share = model.find("ward_transplant_share")
    assert share is not None and "NOT SEEN" in share.note


def test_default_model_values_carry_the_published_figures() -> None:
    model = load_model()
    kidney_los = model.find("length_of_stay", "kidney")
    assert kidney_los is not None and kidney_los.dist.params["low"] == 7.4
    assert model.find("universe_count", None, "approved", 2015).dist.params["value"] == 169
    assert model.find("universe_count", None, "approved", 2007).dist.params["value"] == 164
    assert model.find("transplant_price", "liver").dist.params["mode"] == 600_000


def test_most_specific_parameter_wins() -> None:
    model = load_model()
    assert model.find("transplant_price", "kidney").key == "transplant_price[organ=kidney]"
    assert model.find("transplant_price", "heart").key == "transplant_price"


def test_scenarios_override_parameters_and_estimators() -> None:
    central = load_model()
    liberal = load_model(None, "liberal")
    conservative = load_model(None, "conservative")
    assert liberal.estimators["min_capacity"].enabled
    assert not central.estimators["min_capacity"].enabled
    assert conservative.find("universe_count", None, "unapproved").dist.params["value"] == 0
    # source and note survive an override that only changes the distribution
    assert conservative.find("universe_count", None, "unapproved").source


def test_model_hash_is_stable_and_changes_with_scenario_and_content() -> None:
    a, b = load_model(), load_model()
    assert a.hash == b.hash and len(a.hash) == 64
    assert load_model(None, "liberal").hash != a.hash
    assert parse_model_text(POINT_MODEL.replace("value = 21", "value = 22")).hash != \
        parse_model_text(POINT_MODEL).hash


def test_unknown_scenario_is_a_config_error_listing_known_ones() -> None:
    with pytest.raises(ConfigError, match="known: central, conservative, liberal"):
        load_model(None, "optimistic")


def test_missing_model_file_is_a_config_error(tmp_path: object) -> None:
    with pytest.raises(ConfigError, match="no such model file"):
        load_model(str(tmp_path) + "/nope.toml")


@pytest.mark.parametrize("text,fragment", [
    ("[model]\nfusion = 'mean'\n", "fusion must be one of"),
    ("[model]\norgans = ['spleen']\n", "unknown organ"),
    ("[estimators.guess]\nlog_sd = 1\n", "is not an estimator"),
    ("[[parameter]]\ndist = 'point'\nvalue = 1\n", "has no name"),
    ("[[parameter]]\nname='x'\ndist='point'\nvalue=1\n[[parameter]]\nname='x'\ndist='point'\n"
     "value=2\n", "declared twice"),
    ("not = = toml", "not valid TOML"),
])
def test_bad_model_files_raise_config_error(text: str, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        parse_model_text(text)


def test_parameters_table_lists_every_parameter_with_citation_columns() -> None:
    table = load_model().parameters_table()
    assert {"key", "distribution", "median", "p05", "p95", "source", "note", "inferred"} <= set(
        table.columns)
    assert table["key"].is_unique
    assert (table["p05"] <= table["median"]).all() and (table["median"] <= table["p95"]).all()


def test_every_estimator_is_declared_in_the_default_model() -> None:
    model = load_model()
    assert set(ESTIMATOR_NAMES) <= set(model.raw["estimators"])
