"""Turning the accepted input shapes into one checked series.

A series may arrive as a plain list of values, a list of ``(year, value)`` pairs, a
pandas Series indexed by year, or OfficialFigure rows (``frames.OFFICIAL_FIGURE_COLUMNS``).
Checks happen here, once: non-numeric values and negative counts raise
:class:`~txaudit.errors.InputError`; duplicated years with different values raise;
missing values, gaps and decreasing cumulative totals are recorded as warnings on the
series so that every finding built from it repeats them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from txaudit.errors import InputError
from txaudit.forensics.finding import SourceRef

KINDS: tuple[str, ...] = ("annual", "cumulative")


@dataclass
class SeriesData:
    """One checked series: integer years in increasing order, float values, provenance."""

    name: str
    years: np.ndarray
    values: np.ndarray
    figure_ids: list[str] = field(default_factory=list)
    cited_urls: list[str] = field(default_factory=list)
    publisher: str | None = None
    country: str | None = None
    region: str | None = None
    indicator: str | None = None
    organ: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return int(self.values.size)

    @property
    def missing_years(self) -> list[int]:
        """Years absent between the first and last year (gaps)."""
        if self.n == 0:
            return []
        full = np.arange(self.years[0], self.years[-1] + 1)
        return [int(y) for y in np.setdiff1d(full, self.years)]

    @property
    def consecutive(self) -> bool:
        return not self.missing_years

    def source(self) -> SourceRef:
        return SourceRef(
            series=self.name,
            figure_ids=list(self.figure_ids),
            cited_urls=list(self.cited_urls),
            publisher=self.publisher,
            country=self.country,
            region=self.region,
        )


def check_kind(kind: str) -> str:
    """``kind`` if it is ``annual`` or ``cumulative``; else an InputError."""
    if kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}", field="kind", hint="use annual or cumulative")
    return kind


def as_series(
    data: Any,
    *,
    name: str | None = None,
    kind: str = "annual",
    file: str | None = None,
) -> SeriesData:
    """Check ``data`` and return it as a :class:`SeriesData`.

    ``file`` names the CSV the rows came from, so errors can cite ``file, line N``
    (row ``i`` of a frame read with a header is line ``i + 2``).
    """
    check_kind(kind)
    if isinstance(data, SeriesData):
        return data
    meta: dict[str, Any] = {}
    if isinstance(data, pd.DataFrame):
        years_raw, values_raw, meta = _from_frame(data, file)
    elif isinstance(data, pd.Series):
        years_raw = list(data.index)
        values_raw = list(data.to_numpy())
        meta["name"] = None if data.name is None else str(data.name)
    elif isinstance(data, Sequence | np.ndarray) and not isinstance(data, str | bytes):
        items = list(data)
        if items and all(isinstance(x, tuple | list) and len(x) == 2 for x in items):
            years_raw = [x[0] for x in items]
            values_raw = [x[1] for x in items]
        else:
            years_raw = list(range(1, len(items) + 1))
            values_raw = items
            meta["warnings"] = [
                "no years given: values are taken as consecutive years numbered 1.."
                f"{len(items)}"
            ]
    else:
        raise InputError(
            f"cannot read a series from {type(data).__name__}",
            hint="pass a list, a pandas Series indexed by year, or OfficialFigure rows",
        )
    return _checked(
        years_raw, values_raw, name=name or meta.get("name") or "series", kind=kind,
        file=file, meta=meta,
    )


def _from_frame(
    frame: pd.DataFrame, file: str | None
) -> tuple[list[Any], list[Any], dict[str, Any]]:
    for column in ("year", "value"):
        if column not in frame.columns:
            raise InputError(
                f"no '{column}' column (columns: {', '.join(map(str, frame.columns))})",
                file=file,
                field=column,
                hint="a series needs 'year' and 'value' columns",
            )
    meta: dict[str, Any] = {}
    for column in ("series", "country", "region", "organ", "indicator", "publisher"):
        if column in frame.columns:
            distinct = sorted({str(v) for v in frame[column].dropna().unique()})
            if len(distinct) > 1 and column in ("series", "country", "region", "organ"):
                raise InputError(
                    f"rows mix {len(distinct)} values of '{column}' ({', '.join(distinct[:4])})",
                    file=file,
                    field=column,
                    hint=f"select one {column} before testing",
                )
            meta[column] = distinct[0] if distinct else None
    meta["name"] = meta.pop("series", None)
    if "figure_id" in frame.columns:
        meta["figure_ids"] = [str(v) for v in frame["figure_id"].dropna()]
    if "cited_url" in frame.columns:
        meta["cited_urls"] = sorted({str(v) for v in frame["cited_url"].dropna()})
    return list(frame["year"]), list(frame["value"]), meta


def _number(value: Any, what: str, i: int, file: str | None) -> float:
    line = i + 2 if file else None
    where = "" if file else f"row {i + 1}: "
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return float("nan")
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if text == "" or text.upper() in ("NA", "NAN"):
            return float("nan")
        try:
            return float(text)
        except ValueError:
            raise InputError(
                f"{where}{value!r} is not a number",
                file=file,
                line=line,
                field=what,
                hint="write plain digits, e.g. 2766",
            ) from None
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise InputError(
            f"{where}{value!r} is not a number", file=file, line=line, field=what
        ) from None
    if np.isinf(out):
        raise InputError(f"{where}value is infinite", file=file, line=line, field=what)
    return out


def _checked(
    years_raw: list[Any],
    values_raw: list[Any],
    *,
    name: str,
    kind: str,
    file: str | None,
    meta: dict[str, Any],
) -> SeriesData:
    warnings: list[str] = list(meta.get("warnings", []))
    rows: list[tuple[int, float, int]] = []
    missing: list[str] = []
    for i, (y_raw, v_raw) in enumerate(zip(years_raw, values_raw, strict=True)):
        year_f = _number(y_raw, "year", i, file)
        if np.isnan(year_f) or year_f != int(year_f):
            raise InputError(
                f"{'' if file else f'row {i + 1}: '}year {y_raw!r} is not a whole number",
                file=file,
                line=i + 2 if file else None,
                field="year",
            )
        value = _number(v_raw, "value", i, file)
        if np.isnan(value):
            missing.append(str(int(year_f)))
            continue
        if value < 0:
            raise InputError(
                f"{'' if file else f'row {i + 1}: '}{int(year_f)} has negative count {value:g}",
                file=file,
                line=i + 2 if file else None,
                field="value",
                hint="counts cannot be negative; check the sign or the column",
            )
        rows.append((int(year_f), value, i))
    if missing:
        warnings.append(f"missing values ignored for years {', '.join(missing)}")
    by_year: dict[int, float] = {}
    for year, value, i in sorted(rows):
        if year in by_year:
            if by_year[year] != value:
                raise InputError(
                    f"year {year} appears twice with different values "
                    f"({by_year[year]:g} and {value:g})",
                    file=file,
                    line=i + 2 if file else None,
                    field="year",
                    hint="keep one value per year (one publisher, one version)",
                )
            warnings.append(f"year {year} listed twice with the same value; counted once")
            continue
        by_year[year] = value
    years = np.array(sorted(by_year), dtype=int)
    values = np.array([by_year[y] for y in years], dtype=float)
    series = SeriesData(
        name=name,
        years=years,
        values=values,
        figure_ids=list(meta.get("figure_ids", [])),
        cited_urls=list(meta.get("cited_urls", [])),
        publisher=meta.get("publisher"),
        country=meta.get("country"),
        region=meta.get("region"),
        indicator=meta.get("indicator"),
        organ=meta.get("organ"),
        warnings=warnings,
    )
    gaps = series.missing_years
    if gaps:
        warnings.append(f"years missing inside the series: {', '.join(map(str, gaps))}")
    if kind == "cumulative" and series.n > 1:
        drops = [int(y) for y, d in zip(years[1:], np.diff(values), strict=True) if d < 0]
        if drops:
            warnings.append(
                "cumulative total decreases in "
                + ", ".join(map(str, drops))
                + " (a running total cannot fall unless it was revised)"
            )
    return series


def split_parts(
    frame: pd.DataFrame, by: str = "region", file: str | None = None
) -> list[SeriesData]:
    """One checked series per value of ``by`` (provinces of a national table, for instance).

    Rows whose ``by`` is empty are left out; each part is named ``<series> <value>``.
    """
    if by not in frame.columns:
        raise InputError(f"no '{by}' column to split the rows by", file=file, field=by)
    parts = []
    for value, rows in frame.dropna(subset=[by]).groupby(by, sort=True):
        base = str(rows["series"].iloc[0]) if "series" in rows.columns else "part"
        parts.append(as_series(rows, name=f"{base} {value}", file=file))
    return parts


def has_several(frame: Any, column: str) -> bool:
    """Whether ``frame`` is a DataFrame whose ``column`` holds more than one value."""
    return (
        isinstance(frame, pd.DataFrame)
        and column in frame.columns
        and frame[column].dropna().nunique() > 1
    )


def annual_and_cumulative(series: SeriesData, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """The annual and cumulative versions of ``series`` (which is of ``kind``).

    A cumulative series is assumed to count from its first year: the first annual
    value is the first total, then annual = successive differences.
    """
    if check_kind(kind) == "annual":
        return series.values.copy(), np.cumsum(series.values)
    annual = np.diff(series.values, prepend=0.0)
    return annual, series.values.copy()
