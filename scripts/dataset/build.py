"""Orchestrates the build: read seeds, normalise each table, write CSVs and the data package."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from txaudit.frames import (
    ALIAS_COLUMNS,
    HOSPITAL_COLUMNS,
    OBSERVATION_COLUMNS,
    OFFICIAL_FIGURE_COLUMNS,
    REFERENCE_FIGURE_COLUMNS,
    SOURCE_COLUMNS,
)
from txaudit.vocabulary import unit_of

from .common import BuildError, SeedFile, read_seed, write_csv
from .godt import GODT_FILE, godt_figures
from .hospitals import APPROVED_FILE, alias_rows, hospital_rows, load_registry
from .observations import UNMAPPED_COLUMNS, build_observations
from .official import OFFICIAL_FILE, build_official
from .package import write_datapackage
from .reference import build_reference, reference_unmapped
from .sources import source_rows

EXPECTED_SEEDS: tuple[str, ...] = (
    "hospital-observations.csv",
    "hospital-observations-2.csv",
    "approved-hospitals.csv",
    "official-series.csv",
    "domain-figures.csv",
    "extra-figures.csv",
    GODT_FILE,
)


#: observations.csv carries OBSERVATION_COLUMNS without ``status`` (the store sets it on import).
OBSERVATION_FILE_COLUMNS: tuple[str, ...] = tuple(c for c in OBSERVATION_COLUMNS if c != "status")


@dataclass
class Summary:
    """What a build read and wrote; ``render`` gives the printed report."""

    rows_in: dict[str, int] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)
    unmapped_reasons: Counter[str] = field(default_factory=Counter)
    facts: list[str] = field(default_factory=list)

    def render(self) -> str:
        lines = ["Seed rows read:"]
        lines += [f"  {name:<34} {n:>6}" for name, n in sorted(self.rows_in.items())]
        lines.append("Files written (data rows; datapackage.json: resources):")
        lines += [f"  {name:<34} {n:>6}" for name, n in self.written.items()]
        lines += self.facts
        if self.unmapped_reasons:
            lines.append("Unmapped seed lines by reason:")
            lines += [f"  {n:>4}  {reason}" for reason, n in self.unmapped_reasons.most_common()]
        return "\n".join(lines)


def load_seeds(seed_dir: Path) -> dict[str, SeedFile]:
    seeds: dict[str, SeedFile] = {}
    for name in EXPECTED_SEEDS:
        path = seed_dir / name
        if not path.is_file():
            raise BuildError(f"seed file missing: {path} (run with --from DIR to refresh)")
        seeds[name] = read_seed(path)
    return seeds


def fill_units(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    for row in rows:
        indicator = row.get("indicator")
        if indicator:
            row["unit"] = unit_of(str(indicator))
    return rows


def build(seed_dir: Path, out_dir: Path) -> Summary:
    """Rebuild every bundled file under ``out_dir`` from the seeds in ``seed_dir``."""
    seeds = load_seeds(seed_dir)
    summary = Summary(rows_in={name: len(seed.rows) for name, seed in seeds.items()})
    out_dir.mkdir(parents=True, exist_ok=True)

    sources = source_rows(list(seeds.values()))
    summary.written["sources.csv"] = write_csv(
        out_dir / "sources.csv", (*SOURCE_COLUMNS, "path"), sources
    )

    registry = load_registry()
    seed_zh_names = {
        value
        for seed in seeds.values()
        for row in seed.rows
        for column in ("hospital_zh", "name_zh")
        if (value := row.get(column))
    }
    hospitals = hospital_rows(registry, seeds[APPROVED_FILE], seed_zh_names)
    summary.written["hospitals.csv"] = write_csv(
        out_dir / "hospitals.csv", HOSPITAL_COLUMNS, hospitals
    )
    summary.written["hospital_aliases.csv"] = write_csv(
        out_dir / "hospital_aliases.csv", ALIAS_COLUMNS, alias_rows(registry)
    )

    obs = build_observations(seeds, registry)
    unmapped = list(obs.unmapped)
    summary.written["observations.csv"] = write_csv(
        out_dir / "observations.csv", OBSERVATION_FILE_COLUMNS, obs.observations
    )

    china = build_official(seeds[OFFICIAL_FILE])
    official = china.official + fill_units(godt_figures(seeds[GODT_FILE]))
    summary.written["official_figures.csv"] = write_csv(
        out_dir / "official_figures.csv", OFFICIAL_FIGURE_COLUMNS, official
    )

    reference: list[dict[str, object]] = []
    for fig in build_reference(seeds) + china.reference:
        if fig["value"] is None and fig["low"] is None:
            unmapped.append(reference_unmapped(fig))
        else:
            reference.append(fig)
    summary.written["reference_figures.csv"] = write_csv(
        out_dir / "reference_figures.csv", REFERENCE_FIGURE_COLUMNS, reference
    )

    summary.written["unmapped.csv"] = write_csv(
        out_dir / "unmapped.csv", UNMAPPED_COLUMNS, unmapped
    )
    summary.unmapped_reasons.update(f"{u['table']}: {u['reason']}" for u in unmapped)

    write_datapackage(
        out_dir,
        {
            "sources.csv": (*SOURCE_COLUMNS, "path"),
            "hospitals.csv": HOSPITAL_COLUMNS,
            "hospital_aliases.csv": ALIAS_COLUMNS,
            "observations.csv": OBSERVATION_FILE_COLUMNS,
            "official_figures.csv": OFFICIAL_FIGURE_COLUMNS,
            "reference_figures.csv": REFERENCE_FIGURE_COLUMNS,
        },
        list(seeds.values()),
    )
    summary.written["datapackage.json"] = 6
    obs_unmapped = [u for u in unmapped if u["table"] == "observations"]
    whole = {(u["file"], u["line"]) for u in obs_unmapped if u["part"] is None}
    parts = [u for u in obs_unmapped if u["part"] is not None]
    ref_unmapped = [u for u in unmapped if u["table"] == "reference_figures"]
    obs_lines = {(str(o["source_locator"]), o["source_sha256"]) for o in obs.observations}
    godt = [f for f in official if str(f["series"]).startswith("godt:")]
    summary.facts += [
        f"Hospital observations: {len(obs_lines)} seed lines -> {len(obs.observations)} "
        f"observations; {len(whole)} lines unmapped; {len(parts)} parts of mapped lines unmapped",
        f"Hospitals: {len(hospitals)} with {summary.written['hospital_aliases.csv']} aliases "
        f"({sum(1 for h in hospitals if h['name_zh'])} with a Chinese name)",
        f"Official series: {len(china.official)} official figures; {len(china.reference)} rows "
        "that are not one exact full-year count go to reference figures",
        f"Reference figures: {len(reference)} written; {len(ref_unmapped)} seed lines with no "
        "single number unmapped",
        f"GODT: {len(godt)} figures for {len({f['country'] for f in godt})} countries",
    ]
    return summary
