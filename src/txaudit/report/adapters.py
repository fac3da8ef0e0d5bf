"""Read the forensic findings and the sensitivity result into report rows.

These adapters are the only place that knows the attribute names of those
parts' result objects, so a change there is mended here once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from txaudit.report.model import (
    ChartSeries,
    EvidenceRow,
    FindingRow,
    Sensitivity,
    SobolRow,
    TornadoRow,
    WarningRow,
)


def _f(v: Any) -> float | None:
    if v is None:
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "test"


# -- forensic findings ---------------------------------------------------------------------

def finding_rows(
    findings: Sequence[Any],
    official_by_id: Mapping[str, Mapping[str, Any]],
    evidence: Mapping[str, EvidenceRow],
) -> tuple[list[FindingRow], list[WarningRow]]:
    """Report rows for forensic :class:`~txaudit.forensics.Finding` objects.

    ``official_by_id`` gives the unit of each input figure (for the chart's
    axis); ``evidence`` is the appendix built so far, so that a finding cites
    only rows the appendix holds.
    """
    rows: list[FindingRow] = []
    warnings: list[WarningRow] = []
    for i, f in enumerate(findings):
        inputs = list(getattr(f, "inputs", []) or [])
        ids = [str(x) for ref in inputs for x in (getattr(ref, "figure_ids", []) or [])]
        subject = " vs ".join(str(getattr(ref, "series", "")) for ref in inputs) or "series"
        test = str(getattr(f, "test", "test"))
        skipped = getattr(f, "skipped", None)
        unit = ""
        for fid in ids:
            if fid in official_by_id:
                unit = str(official_by_id[fid].get("unit") or "")
                break
        rows.append(FindingRow(
            key=f"{i + 1:02d}-{_slug(test)}",
            test=test.replace("_", " "),
            subject=subject,
            statistic=_f(getattr(f, "statistic", None)),
            statistic_name=str(getattr(f, "statistic_name", "") or "statistic"),
            p_value=_f(getattr(f, "p_value", None)),
            flagged=bool(getattr(f, "flagged", False)) and not skipped,
            verdict=str(getattr(f, "verdict", "") or ""),
            explanation=str(getattr(f, "explanation", "") or ""),
            evidence_ids=tuple(dict.fromkeys(x for x in ids if x in evidence)),
            chart=None if skipped else _chart(getattr(f, "chart", None) or {}, test, unit),
            caveats=tuple(str(c) for c in getattr(f, "caveats", []) or []),
            ran=not skipped,
        ))
        for w in getattr(f, "warnings", []) or []:
            warnings.append(WarningRow(f"forensics ({test}, {subject})", str(w)))
    return rows, warnings


def _chart(chart: Mapping[str, Any], test: str, unit: str) -> ChartSeries | None:
    observed = [_f(v) for v in chart.get("observed", []) or []]
    fitted = [_f(v) for v in chart.get("fitted", []) or []]
    if not observed or any(v is None for v in observed):
        return None
    fitted_ok = len(fitted) == len(observed) and all(v is not None for v in fitted)
    fit = tuple(float(v) for v in fitted if v is not None) if fitted_ok else ()
    obs = tuple(float(v) for v in observed if v is not None)
    if "digits" in chart:
        return ChartSeries(tuple(str(d) for d in chart["digits"]), obs, fit, "expected",
                           "number of values", "digit", "bars")
    years = chart.get("years")
    if not years or len(years) != len(obs):
        return None
    label = "fitted trend"
    if "ratio" in test:
        label, unit = "reference", "ratio"
    elif "version" in test or "compare" in test:
        label = "other version"
    elif "cumulative" in test:
        unit = f"cumulative {unit}".strip()
    return ChartSeries(tuple(float(y) for y in years), obs, fit, label, unit or "value")


# -- sensitivity ---------------------------------------------------------------------------

_TORNADO_NAMES = {
    "parameter": ("parameter", "key", "name", "group"),
    "low_value": ("low_value", "value_low", "low"),
    "high_value": ("high_value", "value_high", "high"),
    "output_low": ("output_low", "total_at_low", "total_low"),
    "output_high": ("output_high", "total_at_high", "total_high"),
}
_SOBOL_NAMES = {
    "parameter": ("parameter", "group", "key", "name"),
    "s1": ("S1", "s1", "first_order"),
    "s1_conf": ("S1_conf", "s1_conf", "first_order_conf"),
    "st": ("ST", "st", "total_order", "total"),
    "st_conf": ("ST_conf", "st_conf", "total_order_conf"),
}


def _records(obj: Any, *names: str) -> list[dict[str, Any]]:
    for name in names:
        value = obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)
        if value is None:
            continue
        if isinstance(value, pd.DataFrame):
            return [{str(k): v for k, v in r.items()} for r in value.to_dict("records")]
        return [dict(r) for r in value]
    return []


def _pick(rec: Mapping[str, Any], names: Sequence[str]) -> Any:
    for n in names:
        if n in rec and rec[n] is not None:
            return rec[n]
    return None


def _attr(obj: Any, *names: str) -> Any:
    for n in names:
        v = obj.get(n) if isinstance(obj, Mapping) else getattr(obj, n, None)
        if v is not None:
            return v
    return None


def sensitivity_from(result: Any) -> Sensitivity | None:
    """A :class:`Sensitivity` from the estimation part's sensitivity result.

    Accepts the result object (tornado and Sobol tables as DataFrames or lists
    of records), its ``to_dict()`` form, or a ready :class:`Sensitivity`.
    """
    if result is None or isinstance(result, Sensitivity):
        return result
    if not isinstance(result, Mapping) and hasattr(result, "to_dict"):
        as_dict = result.to_dict()
        if isinstance(as_dict, Mapping):
            result = as_dict
    tornado = []
    for rec in _records(result, "tornado_", "tornado"):
        out_lo = _f(_pick(rec, _TORNADO_NAMES["output_low"]))
        out_hi = _f(_pick(rec, _TORNADO_NAMES["output_high"]))
        if out_lo is None or out_hi is None:
            continue
        tornado.append(TornadoRow(
            parameter=str(_pick(rec, _TORNADO_NAMES["parameter"])),
            low_value=_f(_pick(rec, _TORNADO_NAMES["low_value"])),
            high_value=_f(_pick(rec, _TORNADO_NAMES["high_value"])),
            output_low=out_lo, output_high=out_hi,
        ))
    sobol = []
    for rec in _records(result, "sobol_", "sobol"):
        s1, st = _f(_pick(rec, _SOBOL_NAMES["s1"])), _f(_pick(rec, _SOBOL_NAMES["st"]))
        if s1 is None or st is None:
            continue
        members = str(rec.get("parameters") or "")
        sobol.append(SobolRow(
            parameter=str(_pick(rec, _SOBOL_NAMES["parameter"])), s1=s1,
            s1_conf=_f(_pick(rec, _SOBOL_NAMES["s1_conf"])), st=st,
            st_conf=_f(_pick(rec, _SOBOL_NAMES["st_conf"])),
            members=tuple(m for m in members.split(";") if m),
        ))
    baseline = _f(_attr(result, "baseline_total", "baseline", "central"))
    if baseline is None and tornado:
        baseline = (tornado[0].output_low + tornado[0].output_high) / 2
    if not tornado and not sobol:
        return None
    year = _attr(result, "year")
    target = _attr(result, "target", "output") or (
        f"national total {year}, all organs" if year is not None else "national total")
    notes = _attr(result, "note", "notes") or ""
    if isinstance(notes, list | tuple):
        notes = "; ".join(str(n) for n in notes)
    n_base = _attr(result, "sobol_base_samples", "n_base")
    if sobol and n_base:
        notes = f"Sobol indices from {int(n_base):,} base samples. {notes}".strip()
    return Sensitivity(
        target=str(target),
        unit=str(_attr(result, "unit") or "transplants/year"),
        baseline=baseline if baseline is not None else math.nan,
        tornado=tuple(tornado),
        sobol=tuple(sorted(sobol, key=lambda r: -r.st)),
        note=str(notes),
    )
