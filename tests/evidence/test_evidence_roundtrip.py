"""Export then import into an empty store reproduces the same rows and content hashes."""

from __future__ import annotations

import csv
import tempfile
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from txaudit.evidence import Store, init_store, open_store
from txaudit.evidence.importer import csv_columns

TEXT = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
    st.sampled_from(["a,b", 'say "about"', "line\nbreak", "肝移植中心", " padded ", ""]),
)
VALUES = st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False,
                     allow_infinity=False)
INDICATORS = st.sampled_from([("hospital_beds", "beds"), ("transplants_annual", "count/year"),
                              ("bed_occupancy", "fraction")])


def _value(v: Decimal, unit: str) -> str:
    return str(min(v, Decimal(5)) if unit == "fraction" else v)


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, list[list[str]]]:
    n_h = draw(st.integers(1, 4))
    hospitals = [[f"h-{i}", draw(TEXT) or f"Hospital {i}", draw(TEXT), draw(TEXT), draw(TEXT),
                  draw(st.sampled_from(["", "3A"])), draw(st.sampled_from(["", "true", "false"])),
                  draw(st.sampled_from(["", "military", "civilian"])),
                  draw(st.sampled_from(["", "kidney", "kidney;liver"])),
                  draw(st.sampled_from(["", "2007"])), draw(TEXT)] for i in range(n_h)]
    aliases = [[f"h-{i}", f"{draw(TEXT)} alias {i}", draw(st.sampled_from(["zh", "en"]))]
               for i in range(n_h)]
    obs = []
    for i in range(draw(st.integers(0, 6))):
        ind, unit = draw(INDICATORS)
        obs.append([f"obs-{i}", "hospital", f"h-{draw(st.integers(0, n_h - 1))}", "", ind,
                    draw(st.sampled_from(["kidney", "all"])),
                    str(draw(st.integers(1990, 2020))), "", "",
                    _value(draw(VALUES), unit), "", "",
                    draw(st.sampled_from(["", "approx", "more_than"])), unit,
                    draw(st.sampled_from(["A", "B", "C", "D"])), "", draw(TEXT),
                    "https://example.org/" + str(i), draw(TEXT), draw(TEXT), draw(TEXT)])
    official = [[f"of-{i}", "godt:deceased_donors", "GODT", draw(TEXT) or "Spain", "",
                 str(2000 + i), "all", "deceased_donors", str(draw(VALUES)), "count/year", "",
                 "", "https://example.org/godt", draw(TEXT), draw(TEXT)]
                for i in range(draw(st.integers(0, 4)))]
    reference = [[f"ref-{i}", "length_of_stay", draw(TEXT), "", draw(TEXT), "", str(v), "",
                  "", "", "days", "2015", "", "", "", "https://example.org/r", "", draw(TEXT),
                  ""] for i, v in enumerate(draw(st.lists(VALUES, max_size=3)))]
    return {"hospitals": hospitals, "hospital_aliases": aliases, "observations": obs,
            "official_figures": official, "reference_figures": reference}


def _write(folder: Path, data: dict[str, list[list[str]]]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for table, rows in data.items():
        p = folder / f"{table}.csv"
        with p.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(csv_columns(table))
            w.writerows(rows)
        paths.append(p)
    return paths


def _tables(store: Store) -> dict[str, pd.DataFrame]:
    return {"hospitals": store.hospitals(), "aliases": store.aliases(),
            "observations": store.observations(), "official": store.official_figures(),
            "reference": store.reference_figures(), "sources": store.sources()}


def _assert_same(a: Store, b: Store) -> None:
    assert a.content_digest() == b.content_digest()
    for name, df in _tables(a).items():
        pd.testing.assert_frame_equal(df, _tables(b)[name], obj=name)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=datasets(), fmt=st.sampled_from(["csv", "datapackage"]))
def test_export_import_round_trip_keeps_rows_and_hashes(data: dict[str, list[list[str]]],
                                                        fmt: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        a = init_store(root / "a.db", load_bundled=False)
        a.import_files(_write(root / "in", data), actor="t")
        out = a.export(root / "out", fmt)
        b = init_store(root / "b.db", load_bundled=False)
        target = [out / "datapackage.json"] if fmt == "datapackage" else sorted(
            out.glob("*.csv"))
        b.import_files(target, actor="t")
        _assert_same(a, b)
        assert b.verify().ok
        a.close()
        b.close()


def test_round_trip_keeps_sources_revisions_and_claim_provenance(fixture_store: Store,
                                                                 tmp_path: Path) -> None:
    """From each backend into a fresh SQLite store: same rows, same row hashes."""
    a = fixture_store
    a.revise_observation("obs-3", actor="ann", reason="typo", value="3600")
    a.retract_observation("obs-5", actor="ann", reason="duplicate")
    sha = a.sources()["sha256"].iloc[0]
    [cid] = a.add_claims([{"source_sha256": sha, "indicator": "transplants_annual",
                           "organ": "liver", "value": "80", "unit": "count/year",
                           "year": 2013, "hospital_id": "h-alpha", "span_start": 1,
                           "span_end": 5}], actor="x")
    a.decide_claim(cid, "accept", actor="rev")
    out = a.export(tmp_path / "pkg", "datapackage")
    assert (out / "blobs" / sha).read_bytes() == a.get_blob(sha)
    b = init_store(tmp_path / "b.db", load_bundled=False)
    b.import_files([out / "datapackage.json"], actor="t")
    _assert_same(a, b)
    obs = b.observations(include_history=True).set_index("observation_id")
    assert set(obs["supersedes"].dropna()) == {"obs-3"}
    assert obs["claim_id"].dropna().tolist() == [cid]
    assert b.verify().ok
    b.close()


def test_xlsx_and_parquet_exports_hold_every_table(fixture_store: Store,
                                                   tmp_path: Path) -> None:
    xlsx = fixture_store.export(tmp_path / "store.xlsx", "xlsx")
    sheets = pd.read_excel(xlsx, sheet_name=None)
    assert len(sheets["observations"]) == 6
    assert sheets["hospitals"]["name_zh"].iloc[0] == "阿尔法总医院"
    pq = fixture_store.export(tmp_path / "pq", "parquet")
    obs = pd.read_parquet(pq / "observations.parquet")
    assert list(obs.columns) == list(fixture_store.observations().columns)
    assert obs["value"].sum() == pytest.approx(2000 + 1.3 + 3500 + 316 + 100 + 120.5)


def test_sqlite_store_is_plain_for_other_tools(fixture_store: Store) -> None:
    if fixture_store.sqlite_path is None:
        pytest.skip("SQLite only")
    import sqlite3

    with sqlite3.connect(fixture_store.sqlite_path) as conn:
        df = pd.read_sql("SELECT observation_id, value, cited_url FROM observations", conn)
    assert len(df) == 6 and set(df["cited_url"].str[:8]) == {"https://"}
    assert open_store(fixture_store.sqlite_path).verify().ok


def test_round_trip_on_the_same_backend(fixture_store: Store, tmp_path: Path,
                                        empty_store_url: str) -> None:
    out = fixture_store.export(tmp_path / "pkg", "datapackage")
    b = init_store(empty_store_url, load_bundled=False)
    b.import_files([out / "datapackage.json"], actor="t")
    _assert_same(fixture_store, b)
    b.close()
