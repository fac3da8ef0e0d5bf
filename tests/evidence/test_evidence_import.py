"""Import of CSV files and data packages: good input, and each kind of bad input.

Every bad input must raise an InputError naming the file, line and field, and leave the
store exactly as it was (same ledger head, same rows).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from txaudit.errors import InputError
from txaudit.evidence import Store
from txaudit.evidence.importer import csv_columns

FIXTURE_PACKAGE = Path(__file__).parent / "fixtures" / "pkg" / "datapackage.json"
PKG = FIXTURE_PACKAGE.parent
OBS_HEADER = ",".join(csv_columns("observations"))
GOOD = ("obs-9,hospital,h-alpha,,transplants_annual,kidney,2016,,,120,,,approx,count/year,B,,,"
        "https://example.org/x,,about 120,")


def snapshot(store: Store) -> tuple[str, dict[str, int]]:
    with store._read() as conn:
        counts = {t: conn.exec_driver_sql(f"SELECT COUNT(*) FROM {t}").scalar() for t in (
            "sources", "hospitals", "hospital_aliases", "observations", "official_figures",
            "reference_figures", "ledger_events")}
    return store.ledger_head(), counts  # type: ignore[return-value]


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_fixture_package_imports_every_table(store: Store) -> None:
    report = store.import_files([FIXTURE_PACKAGE], actor="ann")
    assert report.rows == {"sources": 2, "hospitals": 3, "hospital_aliases": 3,
                           "observations": 6, "official_figures": 3, "reference_figures": 2}
    assert store.ledger().iloc[-1]["action"] == "import"
    assert store.verify().ok


def test_csv_files_import_by_name_in_dependency_order(store: Store, tmp_path: Path) -> None:
    for name in ("observations.csv", "hospitals.csv"):
        shutil.copy(PKG / name, tmp_path / name)
    obs = (tmp_path / "observations.csv").read_text().splitlines()
    # keep the rows that cite no source blob (sources.csv is not imported here)
    keep = [obs[0]] + [r for r in obs[1:] if ",B," not in r]
    (tmp_path / "observations.csv").write_text("\n".join(keep) + "\n")
    report = store.import_files([tmp_path / "observations.csv", tmp_path / "hospitals.csv"],
                                actor="ann")
    assert report.rows == {"hospitals": 3, "observations": len(keep) - 1}


BAD_CASES = {
    "missing column": (OBS_HEADER.replace(",grade", ""), GOOD, 1, "grade", "missing column"),
    "extra column": (OBS_HEADER + ",comment", GOOD + ",hi", 1, "comment", "unexpected column"),
    "unknown indicator": (OBS_HEADER, GOOD.replace("transplants_annual", "transplant_count"),
                          3, "indicator", "unknown indicator"),
    "unknown organ": (OBS_HEADER, GOOD.replace(",kidney,", ",kidneys,"), 3, "organ",
                      "unknown organ"),
    "non-numeric value": (OBS_HEADER, GOOD.replace(",120,", ",about 120,"), 3, "value",
                          "is not a number"),
    "negative value": (OBS_HEADER, GOOD.replace(",120,", ",-3,"), 3, "value",
                       "below the minimum"),
    "percentage as occupancy": (
        OBS_HEADER,
        GOOD.replace("transplants_annual", "bed_occupancy").replace(",120,", ",40,")
        .replace("count/year", "fraction"),
        3, "value", "divide a percentage by 100"),
    "unknown hospital id": (OBS_HEADER, GOOD.replace("h-alpha", "h-nowhere"), 3,
                            "hospital_id", "unknown hospital id"),
    "duplicate rows": (OBS_HEADER, GOOD.replace("obs-9", "obs-1"), 3, "observation_id",
                       "already in the store"),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_observation_file_names_file_line_field_and_changes_nothing(
        fixture_store: Store, tmp_path: Path, case: str) -> None:
    header, bad_row, line, field, message = BAD_CASES[case]
    # a good row first, so a half-written import would show up in the counts
    good_first = GOOD.replace("obs-9", "obs-8")
    text = f"{header}\n{good_first}\n{bad_row}\n" if line > 1 else f"{header}\n{bad_row}\n"
    path = write(tmp_path, "observations.csv", text)
    before = snapshot(fixture_store)
    with pytest.raises(InputError) as err:
        fixture_store.import_files([path], actor="ann")
    e = err.value
    assert e.file == str(path)
    assert e.line == line
    assert e.field == field
    assert message in str(e)
    assert snapshot(fixture_store) == before


def test_duplicate_rows_inside_one_file_name_both_lines(fixture_store: Store,
                                                        tmp_path: Path) -> None:
    path = write(tmp_path, "observations.csv", f"{OBS_HEADER}\n{GOOD}\n{GOOD}\n")
    before = snapshot(fixture_store)
    with pytest.raises(InputError, match="also on line 2") as err:
        fixture_store.import_files([path], actor="ann")
    assert err.value.line == 3
    assert snapshot(fixture_store) == before


def test_gbk_file_is_refused_with_a_hint(fixture_store: Store, tmp_path: Path) -> None:
    text = "hospital_id,name_en,name_zh,province,city,tier,military,category,approved_organs," \
           "approved_year,note\n" + "".join(
               f"h-z{i},Zhengzhou No. {i} People's Hospital,郑州市第{i}人民医院,河南省,郑州市,"
               f"三级甲等,false,civilian,kidney,2007,器官移植中心\n" for i in range(20))
    path = write(tmp_path, "hospitals.csv", text, encoding="gbk")
    before = snapshot(fixture_store)
    with pytest.raises(InputError) as err:
        fixture_store.import_files([path], actor="ann")
    assert "file is not UTF-8; it looks like GBK — re-save as UTF-8" in str(err.value)
    assert err.value.file == str(path)
    assert err.value.line == 2
    assert snapshot(fixture_store) == before


def test_empty_file_is_refused(fixture_store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "hospitals.csv", "")
    with pytest.raises(InputError, match="file is empty") as err:
        fixture_store.import_files([path], actor="ann")
    assert err.value.line == 1


def test_truncated_datapackage_is_refused(fixture_store: Store, tmp_path: Path) -> None:
    text = FIXTURE_PACKAGE.read_text()
    path = write(tmp_path, "datapackage.json", text[: len(text) // 2])
    before = snapshot(fixture_store)
    with pytest.raises(InputError, match="not valid JSON") as err:
        fixture_store.import_files([path], actor="ann")
    assert err.value.file == str(path)
    assert err.value.line is not None and err.value.line > 1
    assert "truncated" in str(err.value)
    assert snapshot(fixture_store) == before


def test_a_bad_file_in_a_package_rolls_back_the_good_ones(store: Store,
                                                          tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    shutil.copytree(PKG, pkg)
    rows = (pkg / "official_figures.csv").read_text().splitlines()
    rows[2] = rows[2].replace(",4080,", ",four thousand,")
    (pkg / "official_figures.csv").write_text("\n".join(rows) + "\n")
    before = snapshot(store)
    with pytest.raises(InputError) as err:
        store.import_files([pkg / "datapackage.json"], actor="ann")
    assert err.value.file == str(pkg / "official_figures.csv")
    assert (err.value.line, err.value.field) == (3, "value")
    assert snapshot(store) == before
    assert store.hospitals().empty


def test_source_bytes_must_match_their_hash(store: Store, tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    shutil.copytree(PKG, pkg)
    (pkg / "blobs" / "report.txt").write_bytes(b"Annual report 2015: 317 kidney transplants.\n")
    with pytest.raises(InputError, match="sha256") as err:
        store.import_files([pkg / "datapackage.json"], actor="ann")
    assert (err.value.file, err.value.line, err.value.field) == (
        str(pkg / "sources.csv"), 3, "sha256")


def test_file_with_unknown_name_is_refused(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, "hospital_list.csv", "a,b\n1,2\n")
    with pytest.raises(InputError, match="which table"):
        store.import_files([path], actor="ann")


def test_row_with_wrong_number_of_fields_is_refused(fixture_store: Store,
                                                    tmp_path: Path) -> None:
    path = write(tmp_path, "observations.csv", f"{OBS_HEADER}\n{GOOD},extra\n")
    with pytest.raises(InputError, match="22 fields") as err:
        fixture_store.import_files([path], actor="ann")
    assert err.value.line == 2


def test_range_needs_both_bounds(fixture_store: Store, tmp_path: Path) -> None:
    row = GOOD.replace(",120,,,approx,", ",120,100,,range,")
    path = write(tmp_path, "observations.csv", f"{OBS_HEADER}\n{row}\n")
    with pytest.raises(InputError, match="both low and high") as err:
        fixture_store.import_files([path], actor="ann")
    assert err.value.field == "high"


def test_init_without_bundled_folder_gives_a_clear_error(tmp_path: Path) -> None:
    from txaudit.errors import NotFoundError
    from txaudit.evidence import init_store

    with pytest.raises(NotFoundError, match="--no-bundled"):
        init_store(tmp_path / "s.db", bundled=tmp_path / "missing" / "datapackage.json")


def test_init_twice_loads_the_package_once(store_url: str) -> None:
    from txaudit.evidence import init_store

    a = init_store(store_url, bundled=FIXTURE_PACKAGE)
    head = a.ledger_head()
    a.close()
    b = init_store(store_url, bundled=FIXTURE_PACKAGE)
    assert b.ledger_head() == head
    assert len(b.observations()) == 6
    b.close()


def test_the_same_source_again_is_a_no_op_but_different_metadata_is_refused(
        fixture_store: Store, tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    shutil.copytree(PKG, pkg)
    report = fixture_store.import_files([pkg / "sources.csv"], actor="ann")
    assert report.rows == {"sources": 0}
    rows = (pkg / "sources.csv").read_text().splitlines()
    rows[1] = rows[1].replace("肝移植中心", "another title")
    (pkg / "sources.csv").write_text("\n".join(rows) + "\n")
    with pytest.raises(InputError, match="different metadata") as err:
        fixture_store.import_files([pkg / "sources.csv"], actor="ann")
    assert (err.value.line, err.value.field) == (2, "sha256")
