"""`txaudit.audit`: the library functions behind `txaudit report` and `txaudit forensics`.

The end-to-end tests run the real pipeline on the bundled dataset with few draws; the
others use small hand-made files.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from txaudit.audit import (
    AuditRun,
    audit_series,
    bundled_figures,
    command_line,
    figure_reference,
    load_series,
    report_target,
    run_audit,
)
from txaudit.errors import ConfigError, InputError, NotFoundError
from txaudit.forensics.selection import national_series

DRAWS = 400


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[AuditRun, str, list[object]]:
    """A report run on a location where no store exists yet (it must create one)."""
    location = str(tmp_path_factory.mktemp("audit") / "audit.db")
    events: list[object] = []
    run = run_audit(location, draws=DRAWS, fmt="json", sensitivity=False, reproducible=True,
                    on_stage=lambda name, seconds: events.append(name),
                    on_store_created=lambda where: events.append(("created", where)))
    return run, location, events


def test_command_line_quotes_arguments_and_lists_flags_in_a_fixed_order() -> None:
    text = command_line(scenario="central", fmt="md", draws=1000, seed=3, years=[2018, 2019],
                        model=Path("my model.toml"), db="a b.db", reproducible=True,
                        no_sensitivity=True, no_forensics=False)
    assert shlex.split(text) == [
        "txaudit", "report", "--db", "a b.db", "--model", "my model.toml",
        "--scenario", "central", "--year", "2018", "--year", "2019", "--draws", "1000",
        "--seed", "3", "--format", "md", "--no-sensitivity", "--reproducible"]
    bare = command_line(scenario=None, fmt="html", draws=100, seed=0, years=None, model=None,
                        db=None, reproducible=False, no_sensitivity=False, no_forensics=True)
    assert bare == "txaudit report --draws 100 --seed 0 --format html --no-forensics"


def test_report_target_defaults_to_report_dot_suffix_and_json_to_stdout() -> None:
    assert report_target(None, "html") == Path("report.html")
    assert report_target(None, "md") == Path("report.md")
    assert report_target(None, "json") is None
    assert report_target(Path("x/out.json"), "json") == Path("x/out.json")


def test_figure_reference_is_relative_to_the_report_when_it_can_be(tmp_path: Path) -> None:
    assert figure_reference(None, tmp_path / "r.md") is None
    assert figure_reference(tmp_path / "figs", tmp_path / "r.md") == "figs"
    elsewhere = tmp_path / "other" / "figs"
    assert figure_reference(elsewhere, tmp_path / "sub" / "r.md") == elsewhere.resolve().as_posix()


def test_an_unknown_format_is_refused_before_any_store_is_created(tmp_path: Path) -> None:
    location = tmp_path / "never.db"
    with pytest.raises(ConfigError, match="unknown report format 'docx'"):
        run_audit(str(location), fmt="docx")
    assert not location.exists()


def test_a_csv_series_is_read_as_text_with_lower_cased_columns(tmp_path: Path) -> None:
    path = tmp_path / "donors.csv"
    path.write_text("Year, Value ,country\n2015,2766,China\n2016,4080,China\n2016,9,Spain\n",
                    encoding="utf-8")
    data, name, file, notes = load_series(str(path), store_location=str(tmp_path / "no.db"),
                                          country="China")
    assert list(data.columns) == ["year", "value", "country"]
    assert data["value"].tolist() == ["2766", "4080"]
    assert (name, file, notes) == ("donors", str(path), [])


def test_a_missing_csv_file_is_an_input_error_naming_it(tmp_path: Path) -> None:
    missing = str(tmp_path / "gone.csv")
    with pytest.raises(InputError) as info:
        load_series(missing, store_location=str(tmp_path / "no.db"))
    assert missing in str(info.value) and "no such file" in str(info.value)


def test_without_a_store_a_name_is_read_from_the_bundled_figures_with_notes(
    tmp_path: Path,
) -> None:
    data, name, file, notes = load_series("godt:kidney_tx_total",
                                          store_location=str(tmp_path / "no.db"),
                                          country="China")
    bundled = bundled_figures()
    assert bundled is not None
    expected = bundled[(bundled["series"] == "godt:kidney_tx_total")
                       & (bundled["country"] == "China")]
    assert len(data) == len(expected) > 0
    assert (name, file) == ("godt:kidney_tx_total (China)", None)
    assert len(notes) == 2  # the store could not be opened; the bundled rows were used
    assert notes[1] == "godt:kidney_tx_total: read from the bundled official figures"


def test_a_name_found_nowhere_is_a_clear_not_found_error(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no series 'no:such' for Spain"):
        load_series("no:such", store_location=str(tmp_path / "no.db"), country="Spain")


def test_audit_series_runs_counter_monitoring_on_dated_snapshots(tmp_path: Path) -> None:
    path = tmp_path / "counter.csv"
    path.write_text("date,value\n2024-01-01,1000\n2024-01-08,1700\n2024-01-15,2400\n"
                    "2024-01-16,27400\n", encoding="utf-8")
    result = audit_series(str(path), store_location=str(tmp_path / "no.db"))
    tests = {f.test: f for f in result.findings}
    assert result.name == "counter" and result.notes == []
    assert tests["counter_round_jumps"].flagged is True


def test_audit_series_cites_file_line_and_field_of_a_bad_csv_value(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("year,value\n2015,2766\n2016,lots\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        audit_series(str(path), store_location=str(tmp_path / "no.db"))
    assert "bad.csv, line 3, field 'value'" in str(info.value)


def test_audit_series_compares_two_csv_versions(tmp_path: Path) -> None:
    a, b = tmp_path / "cotrs.csv", tmp_path / "codac.csv"
    a.write_text("year,value\n2018,6302\n2019,5818\n", encoding="utf-8")
    b.write_text("year,value\n2018,6302\n2019,5830\n", encoding="utf-8")
    result = audit_series(str(a), against=str(b), store_location=str(tmp_path / "no.db"))
    compare = [f for f in result.findings if f.test == "compare_versions"][0]
    assert compare.flagged is True
    assert [ref.series for ref in compare.inputs] == ["cotrs", "codac"]


def test_the_bundled_china_series_chosen_for_the_report_are_the_per_organ_totals() -> None:
    bundled = bundled_figures()
    assert bundled is not None
    # from the bundled CSV: GODT kidney and liver totals have 13 years, heart 10, lung 9;
    # no deceased-donor series and no all-organ transplant series reaches six years
    names = [name for name, _ in national_series(bundled, "China")]
    assert names == ["godt:heart_tx_total", "godt:kidney_tx_total", "godt:liver_tx_total",
                     "godt:lung_tx_total"]


@pytest.mark.slow
def test_run_audit_creates_the_store_times_each_stage_and_stamps_its_command(
    first_run: tuple[AuditRun, str, list[object]],
) -> None:
    run, location, events = first_run
    assert run.created_store is True and Path(location).exists()
    assert events == ["open", ("created", location), "store", "estimate", "forensics"]
    assert list(run.timings) == ["open", "store", "estimate", "forensics"]
    assert run.seconds >= sum(run.timings.values())
    assert run.target is None and run.report.format == "json"
    stamp = run.report.data.stamp
    assert stamp.command == shlex.join(["txaudit", "report", "--db", location, "--draws",
                                        str(DRAWS), "--seed", "0", "--format", "json",
                                        "--no-sensitivity", "--reproducible"])
    assert stamp.draws == DRAWS and stamp.generated_at is None
    doc = json.loads(run.report.content)
    assert doc["sensitivity"] is None
    subjects = " ".join(f.subject for f in run.report.data.findings)
    assert "godt:kidney_tx_total" in subjects and "godt:liver_tx_total" in subjects


@pytest.mark.slow
def test_a_second_run_opens_the_store_and_gives_the_same_bytes(
    first_run: tuple[AuditRun, str, list[object]], tmp_path: Path,
) -> None:
    run, location, _ = first_run
    again = run_audit(location, draws=DRAWS, fmt="json", sensitivity=False, reproducible=True,
                      out=tmp_path / "r.json")
    assert again.created_store is False
    assert again.target == tmp_path / "r.json"
    assert again.report.content == run.report.content


@pytest.mark.slow
def test_a_series_in_the_store_is_read_from_the_store_without_notes(
    first_run: tuple[AuditRun, str, list[object]],
) -> None:
    _, location, _ = first_run
    data, name, file, notes = load_series("godt:liver_tx_total", store_location=location,
                                          country="China")
    assert notes == [] and file is None and name == "godt:liver_tx_total (China)"
    assert set(data["series"]) == {"godt:liver_tx_total"} and len(data) == 13
