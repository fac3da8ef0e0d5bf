"""The GODT country panel (2000-2017) as official figures, one row per reported cell."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .common import BuildError, SeedFile, slug

GODT_FILE = "global-organ-donation_2018.csv"
GODT_URL = (
    "https://github.com/Yu-Group/vds-book-supplementary/blob/44874fb/"
    "python/organ_donations/data/global-organ-donation_2018.csv"
)
GODT_PUBLISHER = "GODT"


@dataclass(frozen=True)
class GodtColumn:
    """How one GODT column becomes an official-figure series."""

    column: str
    series: str
    indicator: str
    organ: str
    note: str = ""
    scale: Decimal = Decimal(1)


#: GODT column -> series. ``note`` is written on every row of the series, so it is set only
#: where a reader needs it beside the value (unit scaling, organ choice).
GODT_COLUMNS: tuple[GodtColumn, ...] = (
    GodtColumn(
        "POPULATION",
        "godt:population",
        "population",
        "all",
        "GODT gives millions rounded to 0.1; stored in persons (x 1,000,000)",
        Decimal(1_000_000),
    ),
    GodtColumn("TOTAL Actual DD", "godt:actual_dd", "deceased_donors", "all"),
    GodtColumn("Actual DBD", "godt:actual_dbd", "deceased_donors", "all"),
    GodtColumn("Actual DCD", "godt:actual_dcd", "deceased_donors", "all"),
    GodtColumn("Total Utilized DD", "godt:utilized_dd", "deceased_donors", "all"),
    GodtColumn("Utilized DBD", "godt:utilized_dbd", "deceased_donors", "all"),
    GodtColumn("Utilized DCD", "godt:utilized_dcd", "deceased_donors", "all"),
    GodtColumn("DD Kidney Tx", "godt:kidney_tx_dd", "transplants_annual", "kidney"),
    GodtColumn("LD Kidney Tx", "godt:kidney_tx_ld", "transplants_annual", "kidney"),
    GodtColumn("TOTAL Kidney Tx", "godt:kidney_tx_total", "transplants_annual", "kidney"),
    GodtColumn("DD Liver Tx", "godt:liver_tx_dd", "transplants_annual", "liver"),
    GodtColumn("DOMINO Liver Tx", "godt:liver_tx_domino", "transplants_annual", "liver"),
    GodtColumn("LD Liver Tx", "godt:liver_tx_ld", "transplants_annual", "liver"),
    GodtColumn("TOTAL Liver TX", "godt:liver_tx_total", "transplants_annual", "liver"),
    GodtColumn("Total Heart", "godt:heart_tx_total", "transplants_annual", "heart"),
    GodtColumn("DD Lung Tx", "godt:lung_tx_dd", "transplants_annual", "lung"),
    GodtColumn("LD Lung Tx", "godt:lung_tx_ld", "transplants_annual", "lung"),
    GodtColumn("TOTAL Lung Tx", "godt:lung_tx_total", "transplants_annual", "lung"),
    GodtColumn("Pancreas Tx", "godt:pancreas_tx", "transplants_annual", "pancreas"),
    GodtColumn(
        "Kidney Pancreas Tx",
        "godt:kidney_pancreas_tx",
        "transplants_annual",
        "pancreas",
        "simultaneous kidney-pancreas transplants, recorded under organ pancreas",
    ),
    GodtColumn("Small Bowel Tx", "godt:small_bowel_tx", "transplants_annual", "intestine"),
)


def _cp1252_bytes() -> dict[str, int]:
    table: dict[str, int] = {}
    for b in range(0x80, 0xA0):
        try:
            table[bytes([b]).decode("cp1252")] = b
        except UnicodeDecodeError:
            continue  # 0x81, 0x8D, 0x8F, 0x90, 0x9D are undefined in cp1252
    return table


_CP1252_BYTE = _cp1252_bytes()
_MOJIBAKE_MARKERS = ("Ã", "Â", "â€", "Å")


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as Windows-1252/Latin-1 and saved again.

    ``"CÃ´te dâ€™Ivoire"`` -> ``"Côte d’Ivoire"``. Each character is mapped back to
    the byte Windows-1252 (or Latin-1) gives it and the bytes are decoded as UTF-8.
    Text without the tell-tale sequences, or whose bytes are not valid UTF-8, is
    returned unchanged, so clean names are never altered.
    """
    if not any(m in text for m in _MOJIBAKE_MARKERS):
        return text
    raw = bytearray()
    for ch in text:
        code = ord(ch)
        if ch in _CP1252_BYTE:
            raw.append(_CP1252_BYTE[ch])
        elif code < 0x100:
            raw.append(code)
        else:
            return text
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return text


def godt_figures(seed: SeedFile) -> list[dict[str, object]]:
    """One official-figure row per non-NA cell of the GODT panel (China's repeats kept as is)."""
    missing = [c.column for c in GODT_COLUMNS if c.column not in seed.header]
    if missing:
        raise BuildError(f"missing columns {missing}", file=seed.name)
    rows: list[dict[str, object]] = []
    for row in seed.rows:
        raw_country = row.get("COUNTRY")
        country = repair_mojibake(raw_country)
        year_text = row.get("REPORTYEAR")
        if not year_text.isdigit():
            raise BuildError(
                f"year {year_text!r}", file=seed.name, line=row.line, field="REPORTYEAR"
            )
        year = int(year_text)
        for col in GODT_COLUMNS:
            cell = row.get(col.column)
            if cell in ("", "NA"):
                continue
            try:
                value = Decimal(cell) * col.scale
            except InvalidOperation as exc:
                raise BuildError(
                    f"not a number: {cell!r}", file=seed.name, line=row.line, field=col.column
                ) from exc
            notes = [col.note] if col.note else []
            if country != raw_country:
                notes.append(f"country name repaired from mis-encoded {raw_country!r}")
            rows.append(
                {
                    "figure_id": f"godt-{slug(country)}-{year}-{col.series.split(':', 1)[1]}",
                    "series": col.series,
                    "publisher": GODT_PUBLISHER,
                    "country": country,
                    "region": None,
                    "year": year,
                    "organ": col.organ,
                    "indicator": col.indicator,
                    "value": value,
                    "unit": None,  # filled from the vocabulary by the caller
                    "source_sha256": seed.sha256,
                    "source_locator": f"line {row.line}; column {col.column}",
                    "cited_url": GODT_URL,
                    "cited_locator": f"{raw_country} {year}, column '{col.column}'"
                    + (f" (raw value {cell})" if col.scale != 1 else ""),
                    "note": "; ".join(notes),
                }
            )
    return rows
