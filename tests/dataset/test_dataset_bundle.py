"""Tests of the shipped bundled dataset (src/txaudit/data/bundled/) against its contract.

They read only the package's own files (bundled CSVs and seed copies), never
/work/shared, so they run anywhere the package is checked out.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from txaudit.frames import (
    ALIAS_COLUMNS,
    HOSPITAL_COLUMNS,
    OBSERVATION_COLUMNS,
    OFFICIAL_FIGURE_COLUMNS,
    REFERENCE_FIGURE_COLUMNS,
    SOURCE_COLUMNS,
)
from txaudit.vocabulary import GRADES, INDICATORS, ORGANS, QUALIFIERS, SCOPES

DATA = Path(__file__).resolve().parents[2] / "src" / "txaudit" / "data"
BUNDLED = DATA / "bundled"
SEED = DATA / "seed"
HOSPITAL_OBS_FILES = ("hospital-observations.csv", "hospital-observations-2.csv")


def read(name: str) -> list[dict[str, str]]:
    with (BUNDLED / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def header(name: str) -> list[str]:
    with (BUNDLED / name).open(encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh))


def line_of(locator: str) -> int:
    m = re.match(r"line (\d+)\b", locator)
    assert m, locator
    return int(m.group(1))


@pytest.fixture(scope="module")
def seed_sha() -> dict[str, str]:
    """sha256 of each seed file, computed here independently of the build."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SEED.glob("*.csv")}


@pytest.fixture(scope="module")
def observations() -> list[dict[str, str]]:
    return read("observations.csv")


@pytest.fixture(scope="module")
def official() -> list[dict[str, str]]:
    return read("official_figures.csv")


@pytest.mark.parametrize(
    ("name", "columns"),
    [
        ("sources.csv", (*SOURCE_COLUMNS, "path")),
        ("hospitals.csv", HOSPITAL_COLUMNS),
        ("hospital_aliases.csv", ALIAS_COLUMNS),
        ("observations.csv", tuple(c for c in OBSERVATION_COLUMNS if c != "status")),
        ("official_figures.csv", OFFICIAL_FIGURE_COLUMNS),
        ("reference_figures.csv", REFERENCE_FIGURE_COLUMNS),
    ],
)
def test_headers_equal_the_frame_contracts(name, columns):
    assert header(name) == list(columns)
    raw = (BUNDLED / name).read_bytes()
    assert b"\r\n" not in raw
    raw.decode("utf-8")


def test_each_seed_file_is_a_source_and_its_bytes_match_its_sha256(seed_sha):
    sources = read("sources.csv")
    assert {s["path"] for s in sources} == {f"../seed/{n}" for n in seed_sha}
    for s in sources:
        data = (BUNDLED / s["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == s["sha256"]
        assert int(s["byte_length"]) == len(data)
        assert s["media_type"] == "text/csv" and s["collector"] == "txaudit build_dataset"


def test_counts_meet_the_acceptance_floor(observations, official):
    hospitals = read("hospitals.csv")
    assert len(hospitals) >= 90
    assert len({h["hospital_id"] for h in hospitals}) == len(hospitals)
    assert len(observations) >= 250
    assert len({o["observation_id"] for o in observations}) == len(observations)
    series = {f["series"] for f in official}
    assert "china:deceased_donors:cotdf" in series
    assert "china:transplants:nhc" in series
    assert len({f["country"] for f in official if f["series"].startswith("godt:")}) >= 150


def test_every_observation_cites_a_url_and_a_seed_line(observations, seed_sha):
    by_sha = {sha: name for name, sha in seed_sha.items()}
    for o in observations:
        assert o["cited_url"].startswith("http"), o["observation_id"]
        assert o["cited_locator"], o["observation_id"]
        assert by_sha.get(o["source_sha256"]) in HOSPITAL_OBS_FILES, o["observation_id"]
        assert line_of(o["source_locator"]) >= 2
        assert o["original_text"]


def test_no_seed_line_is_dropped_silently(observations, seed_sha):
    """Every data line of the hospital files is in observations.csv or unmapped.csv."""
    unmapped = read("unmapped.csv")
    for name in HOSPITAL_OBS_FILES:
        sha = seed_sha[name]
        obs_lines = {
            line_of(o["source_locator"]) for o in observations if o["source_sha256"] == sha
        }
        un_rows = [u for u in unmapped if u["source_sha256"] == sha]
        whole = {int(u["line"]) for u in un_rows if not u["part"]}
        parts = {int(u["line"]) for u in un_rows if u["part"]}
        assert seed_lines(name) == obs_lines | whole
        assert not obs_lines & whole
        assert parts <= obs_lines  # a partly mapped line keeps its other parts
        assert all(u["reason"] for u in un_rows)


def test_values_lie_within_vocabulary_bounds(observations):
    for o in observations:
        ind = INDICATORS[o["indicator"]]
        assert o["unit"] == ind.unit
        assert o["organ"] in ORGANS and o["qualifier"] in QUALIFIERS
        assert o["grade"] in GRADES and o["scope"] in SCOPES
        for key in ("value", "low", "high"):
            if o[key]:
                v = Decimal(o[key])
                assert v >= ind.minimum, o["observation_id"]
                assert ind.maximum is None or v <= ind.maximum, o["observation_id"]
        if o["qualifier"] == "range":
            assert Decimal(o["low"]) <= Decimal(o["value"]) <= Decimal(o["high"])


def obs(observations, oid):
    return next(o for o in observations if o["observation_id"] == oid)


def test_over_130_percent_becomes_bed_occupancy_more_than_1_30(observations):
    o = obs(observations, "obs-ho2-003-1")  # Zhengzhou No. 7, ">130%"
    assert o["hospital_id"] == "h-zhengzhou-seventh"
    assert (o["indicator"], o["qualifier"], Decimal(o["value"])) == (
        "bed_occupancy",
        "more_than",
        Decimal("1.30"),
    )
    assert ">130%" in o["original_text"]


def test_the_unidentified_provincial_hospital_is_zhengzhou_no_7(observations):
    marker = "hospital written as 'Unidentified provincial hospital"
    rows = [o for o in observations if marker in (o["note"] or "")]
    assert len(rows) == 4
    assert {o["hospital_id"] for o in rows} == {"h-zhengzhou-seventh"}


def test_a_multi_value_cell_becomes_one_observation_per_year(observations):
    rows = [o for o in observations if o["observation_id"].startswith("obs-ho2-120-")]
    assert [(o["year"], o["value"]) for o in rows] == [("2010", "316"), ("2012", "393")]
    assert all(o["indicator"] == "transplant_beds" for o in rows)


def test_a_range_keeps_low_high_and_a_midpoint(observations):
    o = obs(observations, "obs-ho1-102-1")  # "90%-131.1%"
    assert (o["qualifier"], o["low"], o["high"], o["value"]) == ("range", "0.9", "1.311", "1.1055")


def test_million_rmb_is_stored_in_cny(observations):
    o = obs(observations, "obs-ho1-132-1")  # PLA 309 centre revenue, 230 million RMB, 2010
    assert (o["indicator"], o["unit"], o["value"], o["year"]) == (
        "transplant_revenue",
        "CNY/year",
        "230000000",
        "2010",
    )


def test_c2015_goes_to_as_of_with_a_note_not_to_year(observations):
    o = obs(observations, "obs-ho1-018-1")  # Armed Police General Hospital beds, c.2015
    assert (o["year"], o["as_of"]) == ("", "2015")
    assert "web snapshot" in o["note"]


def test_individual_surgeon_claims_are_cumulative_observations(observations):
    rows = [o for o in observations if (o["note"] or "").startswith("individual surgeon")]
    assert len(rows) >= 20
    assert {o["indicator"] for o in rows} <= {"transplants_cumulative", "transplants_annual"}


def test_godt_repeats_for_china_are_kept_as_published(official):
    china = {
        (f["series"], f["year"]): f["value"]
        for f in official
        if f["country"] == "China" and f["series"].startswith("godt:")
    }
    assert {china[("godt:kidney_tx_total", str(y))] for y in range(2010, 2015)} == {"5540"}
    assert {china[("godt:liver_tx_total", str(y))] for y in range(2010, 2015)} == {"2144"}
    assert ("godt:actual_dd", "2014") not in china


def test_godt_rows_have_vocabulary_units_and_repaired_names(official):
    godt = [f for f in official if f["series"].startswith("godt:")]
    assert all(f["unit"] == INDICATORS[f["indicator"]].unit for f in godt)
    countries = {f["country"] for f in godt}
    assert "Côte d’Ivoire" in countries
    assert not any("Ã" in c or "â€" in c for c in countries)
    pop = next(f for f in godt if f["figure_id"] == "godt-andorra-2000-population")
    assert pop["value"] == "100000"  # 0.1 million


def test_godt_has_one_row_per_reported_cell(official):
    """Independent count of non-NA cells in the seed, excluding the three key columns."""
    with (SEED / "global-organ-donation_2018.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    expected = sum(
        1
        for r in rows
        for k, v in r.items()
        if k not in ("REGION", "COUNTRY", "REPORTYEAR") and v != "NA"
    )
    assert sum(f["series"].startswith("godt:") for f in official) == expected


def seed_lines(name: str) -> set[int]:
    with (SEED / name).open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        lines = set()
        start = reader.line_num + 1
        for _ in reader:
            lines.add(start)
            start = reader.line_num + 1
    return lines


def test_every_official_series_row_lands_in_exactly_one_table(official):
    reference = read("reference_figures.csv")
    unmapped = [u for u in read("unmapped.csv") if u["file"] == "official-series.csv"]
    sets = [
        {line_of(f["source_locator"]) for f in official if f["figure_id"].startswith("off-")},
        {line_of(r["source_locator"]) for r in reference if r["figure_id"].startswith("ref-off-")},
        {int(u["line"]) for u in unmapped},
    ]
    assert sum(len(s) for s in sets) == len(set().union(*sets))
    assert set().union(*sets) == seed_lines("official-series.csv")


@pytest.mark.parametrize(
    ("name", "tag"), [("domain-figures.csv", "dom"), ("extra-figures.csv", "ext")]
)
def test_every_reference_seed_row_is_a_figure_or_unmapped_with_a_reason(name, tag):
    reference = read("reference_figures.csv")
    figures = {
        line_of(r["source_locator"]) for r in reference if r["figure_id"].startswith(f"ref-{tag}-")
    }
    unmapped = {int(u["line"]): u["reason"] for u in read("unmapped.csv") if u["file"] == name}
    assert not figures & unmapped.keys()
    assert figures | unmapped.keys() == seed_lines(name)
    assert all(unmapped.values())


def test_reference_figures_have_a_number_a_description_and_a_url():
    reference = read("reference_figures.csv")
    for r in reference:
        assert r["description"] and r["cited_url"].startswith("http") and r["grade"] in GRADES
        assert r["value"] or (r["low"] and r["high"]), r["figure_id"]
        if r["indicator"]:
            assert r["unit"] == INDICATORS[r["indicator"]].unit
    kidney_los = [
        r for r in reference if r["indicator"] == "avg_length_of_stay" and r["organ"] == "kidney"
    ]
    assert ("7.4", "2019") in {(r["value"], r["period"]) for r in kidney_los}
    price = next(r for r in reference if r["figure_id"] == "ref-dom-096-1")
    assert (price["indicator"], price["unit"], price["value"], price["qualifier"]) == (
        "transplant_price",
        "CNY",
        "600000",
        "at_least",
    )


def test_hospitals_merge_spellings_and_carry_chinese_aliases():
    hospitals = {h["hospital_id"]: h for h in read("hospitals.csv")}
    aliases = read("hospital_aliases.csv")
    pla309 = {a["alias"] for a in aliases if a["hospital_id"] == "h-pla-309"}
    assert {"PLA No. 309 Hospital", "309医院", "解放军第309医院"} <= pla309
    assert hospitals["h-pla-309"]["category"] == "military"
    assert hospitals["h-pla-309"]["approved_organs"] == "kidney;liver;heart;lung"
    assert hospitals["h-yunnan-kidney-disease"]["category"] == "unapproved"
    assert hospitals["h-shanxi-provincial"]["category"] == "regional"
    assert hospitals["h-beijing-chaoyang"]["category"] == "civilian"
    assert Counter(a["lang"] for a in aliases).keys() == {"en", "zh"}
    for a in aliases:
        assert a["hospital_id"] in hospitals


def test_the_package_exposes_the_bundled_paths():
    import json

    from txaudit.data import BUNDLED_TABLES, UNMAPPED_FILE, bundled_dir, datapackage_path, seed_dir

    assert bundled_dir().resolve() == BUNDLED.resolve()
    assert seed_dir().resolve() == SEED.resolve()
    assert datapackage_path().is_file()
    on_disk = sorted(p.name for p in BUNDLED.glob("*.csv"))
    assert sorted([*BUNDLED_TABLES, UNMAPPED_FILE]) == on_disk
    package = json.loads(datapackage_path().read_text(encoding="utf-8"))
    assert [r["path"] for r in package["resources"]] == list(BUNDLED_TABLES)


def test_the_datapackage_is_valid_for_frictionless():
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(BUNDLED / "datapackage.json"))
    errors = [e.message for task in report.tasks for e in task.errors][:5]
    assert report.valid, errors


def test_the_evidence_store_imports_the_bundle(tmp_path):
    """The file format is the contract with the store: a fresh store loads every row."""
    store_mod = pytest.importorskip("txaudit.evidence.store")
    init_store = getattr(store_mod, "init_store", None)
    if init_store is None:
        pytest.skip("txaudit.evidence.store has no init_store yet")
    store = init_store(f"sqlite:///{tmp_path / 'bundle.db'}")
    assert len(store.observations()) == len(read("observations.csv"))
