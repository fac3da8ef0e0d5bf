"""``txaudit extract``: files (text and HTML), JSON Lines, dates, errors, stored sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from txaudit.cli import app

runner = CliRunner()

PAGE = (
    "<html><head><meta charset='utf-8'><title>肾移植科</title></head><body>"
    "<div class='nav'>首页 | 联系我们 电话：0371-66295110</div><article><h1>肾移植科简介</h1>"
    "<p>我院肾移植中心成立于1978年，至今已完成肾移植手术3000余例。去年我院共实施肾移植268例，"
    "创历史新高。</p><p>肾移植病房开放床位46张，床位使用率超过130%。医院始建于1952年。</p>"
    "</article></body></html>"
)


def _jsonl(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_extract_prints_json_lines_for_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("The center has performed more than 3,000 kidney transplants since 1998.\n")
    result = runner.invoke(app, ["extract", str(path), "--jsonl", "--date", "2015-06-30"])
    assert result.exit_code == 0, result.output
    (claim,) = _jsonl(result.stdout)
    assert claim["indicator"] == "transplants_cumulative"
    assert claim["value"] == "3000" and claim["qualifier"] == "more_than"
    assert claim["period"] == {"year": None, "since": 1998, "as_of": "2015-06-30"}
    assert claim["source"] is None


def test_extract_reads_html_and_resolves_last_year_from_the_date(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--jsonl", "--date", "2015-06-30"])
    assert result.exit_code == 0, result.output
    claims = _jsonl(result.stdout)
    assert [(c["indicator"], c["value"]) for c in claims] == [
        ("transplants_cumulative", "3000"),
        ("transplants_annual", "268"),
        ("transplant_beds", "46"),
        ("bed_occupancy", "1.3"),
    ]
    assert claims[1]["period"]["year"] == 2014


def test_extract_reads_a_gbk_encoded_page(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(PAGE.replace("utf-8", "gbk").encode("gbk"))
    result = runner.invoke(app, ["extract", str(path), "--jsonl"])
    assert result.exit_code == 0, result.output
    assert len(_jsonl(result.stdout)) == 4


def test_extract_prints_a_table_by_default(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("我院肾移植病房开放床位46张。", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    assert "transplant_beds" in result.stdout and "1 claim(s)" in result.stdout


def test_extract_options_set_the_hospital_and_hospital_beds(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("医院编制床位3000张。我院累计完成肾移植3000例。", encoding="utf-8")
    result = runner.invoke(
        app, ["extract", str(path), "--jsonl", "--hospital", "h-1", "--hospital-beds"]
    )
    assert result.exit_code == 0, result.output
    claims = _jsonl(result.stdout)
    assert [(c["indicator"], c["hospital"]) for c in claims] == [
        ("hospital_beds", "h-1"),
        ("transplants_cumulative", "h-1"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["extract", "no-such-file.txt"], "no such file"),
        (["extract", "{file}", "--date", "2015-13-01"], "--date"),
        (["extract", "{file}", "--lang", "fr"], "--lang"),
    ],
)
def test_extract_reports_bad_input_in_one_line(
    tmp_path: Path, args: list[str], message: str
) -> None:
    path = tmp_path / "page.txt"
    path.write_text("我院累计完成肾移植3000例。", encoding="utf-8")
    args = [a.replace("{file}", str(path)) for a in args]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert "Error:" in result.output and message in result.output


def test_extract_reads_a_stored_source_by_sha256(tmp_path: Path) -> None:
    evidence = pytest.importorskip("txaudit.evidence")
    db = tmp_path / "store.db"
    store = evidence.init_store(db, load_bundled=False)
    data = "我院肾移植中心至今已完成肾移植手术3000余例。".encode()
    sha = store.add_source(data, actor="test", media_type="text/plain")
    result = runner.invoke(app, ["extract", sha, "--db", str(db), "--jsonl"])
    assert result.exit_code == 0, result.output
    (claim,) = _jsonl(result.stdout)
    assert claim["source"] == sha and claim["value"] == "3000"
