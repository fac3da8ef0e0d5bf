"""`txaudit report` end to end on the bundled dataset, with few draws.

These run the real pipeline: the store (created from the bundled data on first
use), the estimate, the forensic tests and the renderers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from report_htmlcheck import parse
from typer.testing import CliRunner

from txaudit.cli import app
from txaudit.report.render_html import SECTIONS

pytestmark = pytest.mark.slow

DRAWS = "400"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store created by the first `txaudit report` (it must create it itself)."""
    folder = tmp_path_factory.mktemp("cli")
    db = folder / "audit.db"
    result = CliRunner().invoke(app, ["report", "--db", str(db), "--draws", DRAWS,
                                      "--out", str(folder / "first.html"), "--reproducible"])
    assert result.exit_code == 0, result.output + str(result.exception)
    assert "Created a new store" in result.stderr
    assert db.exists()
    return db


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, ["report", *args])


def test_report_on_the_bundled_data_has_every_section_and_cites_its_figures(
    store: Path,
) -> None:
    html = (store.parent / "first.html").read_text(encoding="utf-8")
    doc = parse(html)
    assert [e.attrs["id"] for e in doc.find("section")] == [s for s, _ in SECTIONS]
    appendix = {e.attrs["id"] for e in doc.elements
                if e.section == "evidence" and e.tag == "tr" and "id" in e.attrs}
    figures = doc.find("a", class_="fig")
    assert figures
    for a in figures:
        ids = a.attrs["data-evidence"].split()
        assert ids and all(f"ev-{i}" in appendix for i in ids)
    assert doc.find("svg")
    # the reproducibility stamp names the command and the seed
    text = doc.text("reproducibility")
    assert "txaudit report" in text and f"--draws {DRAWS}" in text and "--reproducible" in text


def test_reproducible_report_twice_gives_identical_bytes(store: Path, tmp_path: Path) -> None:
    outs = []
    for name in ("a.html", "b.html"):
        result = _run("--db", str(store), "--draws", DRAWS, "--seed", "7", "--reproducible",
                      "--out", str(tmp_path / name))
        assert result.exit_code == 0, result.output
        outs.append((tmp_path / name).read_bytes())
    assert outs[0] == outs[1]
    assert b"Generated at" not in outs[0]


def test_report_without_reproducible_has_a_generation_time_footer(
    store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r.html"
    result = _run("--db", str(store), "--draws", DRAWS, "--out", str(out),
                  "--no-forensics", "--no-sensitivity")
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<footer class="generated">Generated at 20' in html
    assert "Wrote " in result.output


def test_json_goes_to_stdout_with_the_same_content_and_stage_timings(store: Path) -> None:
    result = _run("--db", str(store), "--draws", DRAWS, "--json", "--no-forensics")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["format_version"] == 1
    assert doc["national"] and set(doc["national"][0]["intervals"]) == {"50", "80", "95"}
    assert {"open", "store", "estimate", "assemble"} <= set(doc["timings"])
    assert doc["stamp"]["draws"] == int(DRAWS)


def test_markdown_and_figures_are_written(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    figs = tmp_path / "figures"
    result = _run("--db", str(store), "--draws", DRAWS, "--format", "md", "--out", str(out),
                  "--figures", str(figs), "--no-forensics", "--reproducible")
    assert result.exit_code == 0, result.output
    md = out.read_text(encoding="utf-8")
    assert "## Evidence appendix" in md
    svgs = sorted(p.name for p in figs.glob("*.svg"))
    pngs = sorted(p.name for p in figs.glob("*.png"))
    assert svgs and [p.replace(".svg", ".png") for p in svgs] == pngs
    assert f"](figures/{svgs[0]})" in md


def test_unknown_format_is_one_clear_error(store: Path) -> None:
    result = _run("--db", str(store), "--format", "docx")
    assert result.exit_code == 1
    assert "Error: unknown report format 'docx'" in result.stderr
