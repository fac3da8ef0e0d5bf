"""txaudit's bundled published dataset, built by ``scripts/build_dataset.py``.

``bundled/`` holds the normalised CSVs and ``datapackage.json``; ``seed/`` holds the
input files unchanged (the Sources the rows cite by sha256 and line). The file
format is described in docs/reference/bundled-dataset.md.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

#: Bundled tables in the order an importer should load them (sources and hospitals first,
#: because the other tables refer to them). datapackage.json lists the same six.
BUNDLED_TABLES: tuple[str, ...] = (
    "sources.csv",
    "hospitals.csv",
    "hospital_aliases.csv",
    "observations.csv",
    "official_figures.csv",
    "reference_figures.csv",
)

#: The build's report of seed lines (or parts) that fit no indicator, with reasons.
UNMAPPED_FILE = "unmapped.csv"


def bundled_dir() -> Path:
    """Directory of the bundled CSVs and datapackage.json inside the installed package."""
    return Path(str(files("txaudit.data").joinpath("bundled")))


def seed_dir() -> Path:
    """Directory of the seed files (the original bytes the bundled rows cite)."""
    return Path(str(files("txaudit.data").joinpath("seed")))


def datapackage_path() -> Path:
    """The bundled Frictionless data package descriptor."""
    return bundled_dir() / "datapackage.json"
