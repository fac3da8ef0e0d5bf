"""China's official series (official-series.csv) as official figures or reference figures.

An official figure is one exact count for one full calendar year, so that tests of
series shape see only values the publisher stated as such. Every other row of the
file (cumulative counts, rates, partial years, "about"/"over" values, forecasts)
becomes a reference figure with the reason in its note; nothing is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from txaudit.vocabulary import INDICATORS, ORGANS

from .common import BuildError, SeedFile, SeedRow, read_mapping
from .reference import reference_figure, to_canonical, try_number

OFFICIAL_FILE = "official-series.csv"


@dataclass
class OfficialResult:
    official: list[dict[str, object]] = field(default_factory=list)
    reference: list[dict[str, object]] = field(default_factory=list)


def full_year(text: str) -> int | None:
    """The year of a cell naming one whole calendar year ("2016", "2018 (end)"), else None."""
    if m := re.fullmatch(r"(\d{4})(?: \(end\))?", text.strip()):
        return int(m.group(1))
    return None


def _organ_region(cell: str, mapped_organ: str) -> tuple[str, str | None]:
    """The seed's organ column holds a province for provincial series."""
    c = cell.strip()
    if c in ORGANS:
        return mapped_organ or c, None
    if "+" in c:
        return mapped_organ or "all", None
    return mapped_organ or "all", c


def build_official(seed: SeedFile) -> OfficialResult:
    mapping = {m["series_text"]: m for m in read_mapping("official_series_map.csv")}
    result = OfficialResult()
    for row in seed.rows:
        m = mapping.get(row.get("series"))
        if m is None:
            raise BuildError(
                f"series {row.get('series')!r} not in scripts/dataset/official_series_map.csv",
                file=seed.name,
                line=row.line,
                field="series",
            )
        organ, region = _organ_region(row.get("organ"), m["organ"])
        year = full_year(row.get("year"))
        value = try_number(row.get("value"))
        reason = m["reason"]
        if m["target"] == "official":
            if m["indicator"] not in INDICATORS:
                raise BuildError(
                    f"unknown indicator {m['indicator']!r}",
                    file="official_series_map.csv",
                    field="indicator",
                )
            problems = []
            if year is None:
                problems.append(f"not one full calendar year ({row.get('year')!r})")
            if value is None:
                problems.append("not a number")
            elif value.qualifier != "exact":
                problems.append(f"value stated as {row.get('value')!r} ({value.qualifier})")
            if not problems and value is not None and year is not None:
                result.official.append(_official_row(seed, row, m, organ, region, year, value))
                continue
            reason = "; ".join(
                p for p in (reason, "not an exact full-year figure: " + ", ".join(problems)) if p
            )
        result.reference.append(_as_reference(seed, row, m, organ, region, reason))
    return result


def _official_row(
    seed: SeedFile,
    row: SeedRow,
    m: dict[str, str],
    organ: str,
    region: str | None,
    year: int,
    value: object,
) -> dict[str, object]:
    assert value is not None
    converted = to_canonical(value, m["indicator"], row.get("unit"))  # type: ignore[arg-type]
    notes = [m["reason"], f"series written as {row.get('series')!r}"]
    return {
        "figure_id": f"off-{row.line:03d}",
        "series": m["series"],
        "publisher": m["publisher"],
        "country": "China",
        "region": region,
        "year": year,
        "organ": organ,
        "indicator": m["indicator"],
        "value": converted.value,
        "unit": INDICATORS[m["indicator"]].unit,
        "source_sha256": seed.sha256,
        "source_locator": f"line {row.line}",
        "cited_url": row.get("source_url"),
        "cited_locator": row.get("locator"),
        "note": "; ".join(n for n in notes if n),
    }


def _as_reference(
    seed: SeedFile, row: SeedRow, m: dict[str, str], organ: str, region: str | None, reason: str
) -> dict[str, object]:
    indicator = m["indicator"]
    value = try_number(row.get("value"))
    if indicator and value is None:
        indicator = ""  # the vocabulary fits, but the cell holds no single number
    publisher = f" ({m['publisher']})" if m["publisher"] else ""
    return reference_figure(
        figure_id=f"ref-off-{row.line:03d}-1",
        seed=seed,
        row=row,
        topic="official_series",
        entity=(region or "China (national)") + publisher,
        description=row.get("series"),
        raw_value=row.get("value"),
        unit_text=row.get("unit"),
        period=row.get("year"),
        note=reason,
        indicator=indicator,
        organ=organ,
    )
