"""The build is reproducible: rebuilding from the seed copies gives the shipped bytes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "build_dataset.py"
BUNDLED = ROOT / "src" / "txaudit" / "data" / "bundled"
SEED = ROOT / "src" / "txaudit" / "data" / "seed"


def run_build(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bundled")
    result = run_build("--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "observations.csv" in result.stdout and "Unmapped seed lines by reason" in result.stdout
    return out


def test_rebuilding_gives_byte_identical_files(rebuilt: Path):
    shipped = sorted(p.name for p in BUNDLED.iterdir())
    assert sorted(p.name for p in rebuilt.iterdir()) == shipped
    for name in shipped:
        assert (rebuilt / name).read_bytes() == (BUNDLED / name).read_bytes(), name


def test_refreshing_seeds_from_a_directory_copies_bytes_unchanged(tmp_path: Path):
    source = tmp_path / "shared"
    (source / "godt").mkdir(parents=True)
    for p in SEED.iterdir():
        target = source / "godt" / p.name if p.name.startswith("global-") else source / p.name
        shutil.copyfile(p, target)
    seed_copy = tmp_path / "seed"
    out = tmp_path / "out"
    result = run_build(
        "--from", str(source), "--seed-dir", str(seed_copy), "--out", str(out), "--quiet"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    for p in SEED.iterdir():
        assert (seed_copy / p.name).read_bytes() == p.read_bytes()
    assert (out / "observations.csv").read_bytes() == (BUNDLED / "observations.csv").read_bytes()


def test_a_missing_seed_file_is_one_clear_error(tmp_path: Path):
    for p in SEED.iterdir():
        if p.name != "official-series.csv":
            shutil.copyfile(p, tmp_path / p.name)
    result = run_build("--seed-dir", str(tmp_path), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and "official-series.csv" in result.stderr
    assert "Traceback" not in result.stderr
