"""Reference figures: domain-figures.csv, extra-figures.csv, and official-series rows that are
not one exact full-year count (cumulative counts, rates, partial years, forecasts...).

Every seed row gives at least one figure with its free-text description; figures
listed in reference_map.csv also get a vocabulary indicator and a value in the
indicator's canonical unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from txaudit.vocabulary import INDICATORS

from .common import BuildError, SeedFile, SeedRow, read_mapping
from .grades import reference_grade
from .values import Value, parse_number

REFERENCE_FILES = {"domain-figures.csv": "dom", "extra-figures.csv": "ext"}
#: Seed file of each figure-id tag (``ref-<tag>-<line>-<k>``).
TAG_FILES = {**{tag: name for name, tag in REFERENCE_FILES.items()}, "off": "official-series.csv"}


@dataclass(frozen=True)
class RefEntry:
    indicator: str
    organ: str
    entity: str
    value: str
    period: str
    note: str
    unit: str = ""


def load_reference_map(seeds: dict[str, SeedFile]) -> dict[tuple[str, int], list[RefEntry]]:
    out: dict[tuple[str, int], list[RefEntry]] = {}
    for m in read_mapping("reference_map.csv"):
        key = (m["file"], int(m["line"]))
        seed = seeds.get(m["file"])
        if seed is None or not any(r.line == key[1] for r in seed.rows):
            raise BuildError(
                "reference_map.csv names a line the seed does not have", file=m["file"], line=key[1]
            )
        if m["indicator"] and m["indicator"] not in INDICATORS:
            raise BuildError(
                f"unknown indicator {m['indicator']!r}",
                file="reference_map.csv",
                line=key[1],
                field="indicator",
            )
        if not m["indicator"] and not (m["value"] and m["unit"]):
            raise BuildError(
                "a figure without an indicator needs its value part and unit",
                file="reference_map.csv",
                line=key[1],
            )
        out.setdefault(key, []).append(
            RefEntry(
                m["indicator"],
                m["organ"],
                m["entity"],
                m["value"],
                m["period"],
                m["note"],
                m["unit"],
            )
        )
    return out


def try_number(text: str) -> Value | None:
    """The parsed value, or None when the cell is not a single number or range."""
    try:
        return parse_number(text)
    except ValueError:
        return None


def to_canonical(value: Value, indicator: str, unit_text: str) -> Value:
    """Scale a value into the indicator's unit (per cent to fraction, million RMB to CNY)."""
    canonical = INDICATORS[indicator].unit
    if canonical == "fraction":
        if not value.percent:
            raise ValueError(f"{indicator} needs a percentage, got {value.text!r}")
        value = value.scaled(Decimal("0.01"))
    elif value.percent:
        raise ValueError(f"{indicator} is not a percentage: {value.text!r}")
    if "million rmb" in unit_text.lower() or value.text.strip().lower().endswith("m rmb"):
        value = value.scaled(Decimal(1_000_000))
    ind = INDICATORS[indicator]
    for v in (value.value, value.low, value.high):
        if v is not None and (v < ind.minimum or (ind.maximum is not None and v > ind.maximum)):
            raise ValueError(f"{indicator} value {v} outside [{ind.minimum}, {ind.maximum}]")
    return value


def reference_figure(
    *,
    figure_id: str,
    seed: SeedFile,
    row: SeedRow,
    topic: str,
    entity: str,
    description: str,
    raw_value: str,
    unit_text: str,
    period: str,
    note: str,
    indicator: str = "",
    organ: str = "",
    part_value: str = "",
    part_note: str = "",
    unit_override: str = "",
) -> dict[str, object]:
    """One REFERENCE_FIGURE_COLUMNS row; the value is parsed from ``part_value`` or the cell."""
    text = part_value or raw_value
    value = try_number(text)
    unit: str | None = unit_override or unit_text or None
    if indicator:
        if value is None:
            raise BuildError(
                f"{indicator}: cannot read a number in {text!r}",
                file=seed.name,
                line=row.line,
                field="value",
            )
        try:
            value = to_canonical(value, indicator, unit_override or unit_text)
        except ValueError as exc:
            raise BuildError(str(exc), file=seed.name, line=row.line, field="value") from exc
        unit = INDICATORS[indicator].unit
    elif value is not None and value.percent:
        value = value.scaled(Decimal("0.01"))
        unit = "fraction"
    notes = [n for n in (part_note, note) if n]
    return {
        "figure_id": figure_id,
        "topic": topic,
        "entity": entity,
        "indicator": indicator or None,
        "description": description,
        "organ": organ or None,
        "value": None if value is None else value.value,
        "low": None if value is None else value.low,
        "high": None if value is None else value.high,
        "qualifier": None if value is None else value.qualifier,
        "unit": unit,
        "period": period or None,
        "grade": reference_grade(row.get("source_url"), row.get("note"), description),
        "source_sha256": seed.sha256,
        "source_locator": f"line {row.line}",
        "cited_url": row.get("source_url"),
        "cited_locator": row.get("locator"),
        "original_text": f"{description}: {raw_value} [{unit_text}]",
        "note": "; ".join(notes) or None,
    }


def build_reference(seeds: dict[str, SeedFile]) -> list[dict[str, object]]:
    """Reference figures of domain-figures.csv and extra-figures.csv."""
    ref_map = load_reference_map(seeds)
    out: list[dict[str, object]] = []
    for name, tag in REFERENCE_FILES.items():
        seed = seeds[name]
        for row in seed.rows:
            entries = ref_map.get((name, row.line)) or [RefEntry("", "", "", "", "", "")]
            for k, e in enumerate(entries, start=1):
                entity = row.get("entity") + (f" ({e.entity})" if e.entity else "")
                out.append(
                    reference_figure(
                        figure_id=f"ref-{tag}-{row.line:03d}-{k}",
                        seed=seed,
                        row=row,
                        topic=row.get("topic"),
                        entity=entity,
                        description=row.get("indicator"),
                        raw_value=row.get("value"),
                        unit_text=row.get("unit"),
                        unit_override=e.unit,
                        period=e.period or row.get("year"),
                        note=f"seed note: {row.get('note')}" if row.get("note") else "",
                        indicator=e.indicator,
                        organ=e.organ,
                        part_value=e.value,
                        part_note=e.note,
                    )
                )
    return out


def reference_unmapped(fig: dict[str, object]) -> dict[str, object]:
    """An unmapped.csv row for a reference figure whose cell holds no single number.

    A reference figure is a number (a prior, a comparison value); a cell of free text
    or of several values without a reference_map.csv split is listed here instead.
    """
    locator = str(fig["source_locator"])
    return {
        "file": TAG_FILES[str(fig["figure_id"]).split("-")[1]],
        "line": int(locator.removeprefix("line ")),
        "part": None,
        "table": "reference_figures",
        "hospital_id": None,
        "original_text": fig["original_text"],
        "reason": "no single number in the cell (free text, or several values not split in "
        "reference_map.csv)",
        "source_sha256": fig["source_sha256"],
        "source_locator": locator,
        "cited_url": fig["cited_url"],
        "cited_locator": fig["cited_locator"],
    }
