"""Hospital-level observations from hospital-observations*.csv, via observation_map.csv.

Each seed row is either mapped (one observation per value, several for a
multi-part or dated-series cell) or written to unmapped.csv with the reason from
the curated map. Values are exact decimals in the indicator's canonical unit,
with the raw cell kept in ``original_text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from txaudit.vocabulary import INDICATORS, ORGANS

from .common import BuildError, SeedFile, SeedRow, read_mapping
from .grades import observation_grade
from .hospitals import Registry
from .values import Period, Value, is_series, parse_number, parse_period, parse_series, split_parts

OBSERVATION_FILES = ("hospital-observations.csv", "hospital-observations-2.csv")
FILE_TAGS = {"hospital-observations.csv": "ho1", "hospital-observations-2.csv": "ho2"}
SNAPSHOT_NOTE = "{} is the date of a web snapshot, not a measured year"

#: Columns of unmapped.csv (seed lines, or parts of them, that no indicator fits).
UNMAPPED_COLUMNS: tuple[str, ...] = (
    "file",
    "line",
    "part",
    "table",
    "hospital_id",
    "original_text",
    "reason",
    "source_sha256",
    "source_locator",
    "cited_url",
    "cited_locator",
)


@dataclass
class ObservationResult:
    observations: list[dict[str, object]] = field(default_factory=list)
    unmapped: list[dict[str, object]] = field(default_factory=list)


@dataclass(frozen=True)
class MapEntry:
    indicators: str
    organ: str
    value: str
    period: str
    reason: str


def load_map(seeds: dict[str, SeedFile]) -> dict[tuple[str, int], MapEntry]:
    """observation_map.csv keyed by (file, line); its indicator_text must match the seed."""
    entries: dict[tuple[str, int], MapEntry] = {}
    for m in read_mapping("observation_map.csv"):
        key = (m["file"], int(m["line"]))
        entries[key] = MapEntry(m["indicators"], m["organ"], m["value"], m["period"], m["reason"])
        seed = seeds.get(m["file"])
        row = next((r for r in seed.rows if r.line == key[1]), None) if seed else None
        if row is None or row.get("indicator") != m["indicator_text"]:
            raise BuildError(
                "observation_map.csv entry does not match the seed row "
                f"(expected indicator {m['indicator_text']!r})",
                file=m["file"],
                line=key[1],
                field="indicator",
            )
    return entries


def vocab_organ(text: str) -> tuple[str, str]:
    """(vocabulary organ, note) for a seed organ cell; combinations become ``all``."""
    t = text.strip().lower()
    base = t.split(" (", 1)[0].strip()
    if base in ORGANS:
        return base, (f"organ written as {text!r}" if base != t else "")
    return "all", f"organs as written: {text}"


def _convert(value: Value, indicator: str, unit_text: str) -> tuple[Value, list[str]]:
    """Scale a parsed value into the indicator's canonical unit; notes say what was done."""
    canonical = INDICATORS[indicator].unit
    unit = unit_text.lower()
    notes: list[str] = []
    if canonical == "fraction":
        if not value.percent:
            raise ValueError(f"{indicator} needs a percentage, got {value.text!r}")
        value = value.scaled(Decimal("0.01"))
    elif value.percent:
        raise ValueError(f"{indicator} is not a percentage: {value.text!r}")
    if "million rmb" in unit:
        value = value.scaled(Decimal(1_000_000))
        notes.append("million RMB stored as CNY")
    if "/month" in unit and canonical == "count/year":
        value = value.scaled(Decimal(12))
        notes.append("a monthly figure, stored per year (x 12)")
    return value, notes


def _check_bounds(value: Value, indicator: str) -> None:
    ind = INDICATORS[indicator]
    for v in (value.value, value.low, value.high):
        if v is None:
            continue
        if v < ind.minimum or (ind.maximum is not None and v > ind.maximum):
            raise ValueError(f"{indicator} value {v} outside [{ind.minimum}, {ind.maximum}]")


def _period_fields(indicator: str, period: Period) -> tuple[dict[str, object], list[str]]:
    notes: list[str] = []
    if period.snapshot:
        notes.append(SNAPSHOT_NOTE.format(f"c.{period.as_of}"))
    if INDICATORS[indicator].cumulative:
        as_of = period.as_of or (str(period.year) if period.year is not None else None)
        fields: dict[str, object] = {"year": None, "since_year": period.since_year, "as_of": as_of}
    else:
        fields = {"year": period.year, "since_year": None, "as_of": period.as_of}
        if period.since_year is not None:
            notes.append(f"refers to the period {period.since_year} to {period.as_of}")
    if not any(fields.values()) and period.text:
        notes.append(f"period as written: {period.text!r}")
    return fields, notes


class _RowBuilder:
    """Turns one mapped seed row into observations (and unmapped parts)."""

    def __init__(
        self, seed: SeedFile, row: SeedRow, entry: MapEntry, hospital_id: str, name_note: str
    ) -> None:
        self.seed, self.row, self.entry = seed, row, entry
        self.hospital_id = hospital_id
        self.name_note = name_note
        self.tag = FILE_TAGS[seed.name]
        self.original = f"{row.get('indicator')}: {row.get('value')} [{row.get('unit')}]"

    def unmapped(self, reason: str, part: int | None = None) -> dict[str, object]:
        return {
            "file": self.seed.name,
            "line": self.row.line,
            "part": part,
            "table": "observations",
            "hospital_id": self.hospital_id,
            "original_text": self.original,
            "reason": reason,
            "source_sha256": self.seed.sha256,
            "source_locator": f"line {self.row.line}",
            "cited_url": self.row.get("source_url"),
            "cited_locator": self.row.get("locator"),
        }

    def observation(
        self,
        k: int,
        indicator: str,
        organ: str,
        value: Value,
        period: Period,
        extra_notes: list[str],
        derived: bool = False,
    ) -> dict[str, object]:
        row = self.row
        value, unit_notes = _convert(value, indicator, row.get("unit"))
        _check_bounds(value, indicator)
        period_fields, period_notes = _period_fields(indicator, period)
        unit_text = row.get("unit").lower()
        notes = [*extra_notes, *unit_notes, *period_notes]
        if "individual" in unit_text:
            notes.insert(0, "individual surgeon")
        if self.name_note:
            notes.append(self.name_note)
        seed_note = row.get("note")
        if seed_note:
            notes.append(f"seed note: {seed_note}")
        return {
            "observation_id": f"obs-{self.tag}-{row.line:03d}-{k}",
            "scope": "hospital",
            "hospital_id": self.hospital_id,
            "region": None,
            "indicator": indicator,
            "organ": organ,
            **period_fields,
            "value": value.value,
            "low": value.low,
            "high": value.high,
            "qualifier": value.qualifier,
            "unit": INDICATORS[indicator].unit,
            "grade": observation_grade(
                row.get("source_url"), seed_note, row.get("indicator"), derived=derived
            ),
            "source_sha256": self.seed.sha256,
            "source_locator": f"line {row.line}",
            "cited_url": row.get("source_url"),
            "cited_locator": row.get("locator"),
            "original_text": self.original,
            "note": "; ".join(n for n in notes if n) or None,
        }


def _indicator(name: str, where: SeedRow) -> str:
    if name not in INDICATORS:
        raise BuildError(
            f"unknown indicator {name!r} in observation_map.csv",
            file=where.file,
            line=where.line,
            field="indicator",
        )
    return name


def build_observations(seeds: dict[str, SeedFile], registry: Registry) -> ObservationResult:
    """Observations and unmapped lines of both hospital-observation files."""
    entries = load_map(seeds)
    name_notes = {a["name"]: a["note"] for a in registry.alias_rows if a["note"]}
    result = ObservationResult()
    for name in OBSERVATION_FILES:
        seed = seeds[name]
        for row in seed.rows:
            entry = entries.get((name, row.line))
            if entry is None:
                raise BuildError(
                    "no entry in scripts/dataset/observation_map.csv", file=name, line=row.line
                )
            hid = registry.resolve(row, "hospital_en", "hospital_zh")
            raw_name = row.get("hospital_en")
            name_note = (
                f"hospital written as {raw_name!r}: {name_notes[raw_name]}"
                if raw_name in name_notes
                else ""
            )
            builder = _RowBuilder(seed, row, entry, hid, name_note)
            try:
                _build_row(builder, result)
            except ValueError as exc:
                raise BuildError(str(exc), file=name, line=row.line, field="value") from exc
    return result


def _build_row(b: _RowBuilder, result: ObservationResult) -> None:
    entry, row = b.entry, b.row
    if entry.indicators == "unmapped":
        if not entry.reason:
            raise ValueError("unmapped row without a reason in observation_map.csv")
        result.unmapped.append(b.unmapped(entry.reason))
        return
    organ, organ_note = vocab_organ(entry.organ or row.get("organ"))
    value_text = entry.value or row.get("value")
    period = parse_period(entry.period or row.get("year_or_period"))
    base_notes = [entry.reason, organ_note]
    if entry.value:
        base_notes.append(f"value taken as {entry.value!r}")
    if entry.indicators.startswith("sum:"):
        indicator = _indicator(entry.indicators[4:], row)
        parts = [parse_number(p) for p in split_parts(value_text)]
        if any(p.qualifier != "exact" or p.percent for p in parts):
            raise ValueError("sum: only exact counts can be added")
        total = Value(sum((p.value for p in parts), Decimal(0)), text=value_text)
        result.observations.append(
            b.observation(1, indicator, organ, total, period, base_notes, derived=True)
        )
        return
    if is_series(value_text):
        indicator = _indicator(entry.indicators, row)
        items = parse_series(value_text)
        for k, (value, date_text, item) in enumerate(items, start=1):
            notes = [*base_notes, f"series item {k} of {len(items)}: {item!r}"]
            if date_text is None and k == len(items):
                item_period = period
            elif date_text is None:
                item_period = Period(text="")
                notes.append("earlier value of the series (date not given)")
            elif date_text == "to date":
                item_period = Period(text="")
                notes.append("'to date' at the time of the cited page")
            else:
                item_period = parse_period(date_text)
            result.observations.append(
                b.observation(k, indicator, organ, value, item_period, notes)
            )
        return
    cells = split_parts(value_text)
    indicators = [s.strip() for s in entry.indicators.split(";")]
    if len(indicators) != len(cells):
        raise ValueError(
            f"{len(cells)} value parts but {len(indicators)} indicators in observation_map.csv"
        )
    for k, (part, ind) in enumerate(zip(cells, indicators, strict=True), start=1):
        if ind == "-":
            result.unmapped.append(b.unmapped(entry.reason or "part not mapped", part=k))
            continue
        notes = list(base_notes)
        if len(cells) > 1:
            notes.append(f"part {k} of {len(cells)}: {part!r}")
        result.observations.append(
            b.observation(k, _indicator(ind, row), organ, parse_number(part), period, notes)
        )
