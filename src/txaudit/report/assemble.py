"""Build a :class:`ReportData` from the results of the other parts.

The inputs are objects and frames the caller already holds: the store's
frames (observations, hospitals, official and reference figures, sources), an
:class:`~txaudit.estimate.Estimate`, a sensitivity result and forensic
findings. Nothing here opens a database or a file.

The estimate and the findings are read through the attributes their parts
document (``Estimate.national_``, ``hospitals_``, ``parameters_``,
``warnings``; ``Finding.test``, ``inputs``, ``chart``...); the sensitivity
result through :func:`txaudit.report.adapters.sensitivity_from`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from txaudit.report.adapters import finding_rows, sensitivity_from
from txaudit.report.model import (
    LEVELS,
    Assumption,
    Coverage,
    CoverageRow,
    EvidenceRow,
    GroupRow,
    HospitalRow,
    Interval,
    NationalRow,
    ReportData,
    Stamp,
    WarningRow,
)
from txaudit.report.summary import build_summary, headline_rows
from txaudit.vocabulary import INDICATORS

_QUALIFIER_SIGN = {
    "more_than": "> ",
    "at_least": "≥ ",
    "less_than": "< ",
    "nearly": "nearly ",
    "approx": "≈ ",
}
_URL = re.compile(r"https?://[^\s,;)\]]+")
#: a parameter's citation is matched to at most this many reference figures
_MAX_CITED_ROWS = 10


def _missing(v: Any) -> bool:
    if v is None:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _s(v: Any) -> str:
    """Text of a frame cell; empty for None/NaN."""
    return "" if _missing(v) else str(v)


def _f(v: Any) -> float | None:
    if _missing(v):
        return None
    x = float(v)
    return x if math.isfinite(x) else None


def _ids(v: Any) -> list[str]:
    """A list of ids from a cell holding a list, a tuple, or ``;``-separated text."""
    if isinstance(v, list | tuple):
        return [str(i) for i in v if not _missing(i)]
    if hasattr(v, "tolist") and not isinstance(v, str):
        return [str(i) for i in v.tolist()]
    text = _s(v)
    return [i for i in re.split(r"[;\s]+", text) if i] if text else []


def _records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    """Rows of ``frame`` as dicts with string keys (none for None or empty)."""
    if frame is None or not len(frame):
        return []
    return [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]


def _num(x: float) -> str:
    return f"{x:,.6g}" if abs(x) < 1e15 else f"{x:.6g}"


def assemble_report(
    *,
    estimate: Any,
    observations: pd.DataFrame,
    hospitals: pd.DataFrame,
    official_figures: pd.DataFrame,
    stamp: Stamp,
    sources: pd.DataFrame | None = None,
    reference_figures: pd.DataFrame | None = None,
    sensitivity: Any = None,
    findings: Sequence[Any] = (),
    country: str | None = None,
    title: str | None = None,
    top_n: int = 20,
    warnings: Sequence[WarningRow] = (),
    timings: dict[str, float] | None = None,
    level: float = 0.05,
) -> ReportData:
    """Gather everything a report shows into one :class:`ReportData`.

    ``estimate`` is an :class:`~txaudit.estimate.Estimate`; ``findings`` are
    :class:`~txaudit.forensics.Finding` objects; ``sensitivity`` is the result
    of the estimation part's sensitivity analysis (or None). The frames are
    those of the store, with the columns of :mod:`txaudit.frames`.
    """
    country = country or _s(getattr(estimate, "country", "")) or "the country"
    warn: list[WarningRow] = list(warnings)
    obs = observations.copy()
    obs_by_id = {str(r["observation_id"]): r for r in _records(obs)}
    hosp_by_id = {str(r["hospital_id"]): r for r in _records(hospitals)}
    sources_by_sha = {str(r["sha256"]): r for r in _records(sources)}
    refs = reference_figures if reference_figures is not None else pd.DataFrame()

    national = _national_rows(estimate.national_)
    year = headline_rows(national)[0].year if national else None
    h = estimate.hospitals_
    h_year = h[h["year"] == year] if year is not None and len(h) else h

    # -- evidence: observations the estimate used -----------------------------------------
    used: list[str] = []
    for frame in (h, getattr(estimate, "estimators_", None)):
        if frame is not None and len(frame) and "observation_ids" in frame.columns:
            for cell in frame["observation_ids"]:
                used += _ids(cell)
    if len(h) and "bound_observation_id" in h.columns:
        used += [_s(v) for v in h["bound_observation_id"] if _s(v)]
    used = sorted(set(used))
    absent = [i for i in used if i not in obs_by_id]
    if absent:
        warn.append(WarningRow("report", f"{len(absent)} observation(s) used by the estimate "
                               f"are not current in the store and are left out of the appendix: "
                               f"{', '.join(absent[:10])}{' …' if len(absent) > 10 else ''}"))
    used = [i for i in used if i in obs_by_id]
    evidence: dict[str, EvidenceRow] = {}
    for oid in used:
        evidence[oid] = _observation_row(obs_by_id[oid], hosp_by_id, sources_by_sha)

    # -- official figures: the comparison and the forensic inputs ------------------------
    rows = list(findings)
    official_ids = [i for r in national for i in r.official_evidence_ids]
    for f in rows:
        for ref in getattr(f, "inputs", []) or []:
            official_ids += [str(i) for i in getattr(ref, "figure_ids", []) or []]
    # the official frame holds whole panels (GODT: ~23,000 rows); read only the rows cited
    wanted = set(official_ids)
    cited_rows = (official_figures[official_figures["figure_id"].astype(str).isin(wanted)]
                  if len(official_figures) else official_figures)
    official_by_id = {str(r["figure_id"]): r for r in _records(cited_rows)}
    for fid in dict.fromkeys(official_ids):
        if fid in official_by_id:
            evidence[fid] = _official_row(official_by_id[fid], sources_by_sha)
        else:
            warn.append(WarningRow("report", f"official figure {fid} is not in the store"))
    national = [_keep_ids(r, evidence) for r in national]

    # -- assumptions, with the reference figures their citations name --------------------
    scenario = _s(getattr(estimate, "scenario", None)) or stamp.scenario
    assumptions = _assumptions(getattr(estimate, "parameters_", pd.DataFrame()), scenario, refs,
                               sources_by_sha, evidence)

    # -- the rest ------------------------------------------------------------------------
    top = _top_hospitals(h_year, hosp_by_id, evidence, top_n)
    by_category = _groups(h_year, "category", year)
    by_province = _groups(h_year, "province", year)
    coverage = _coverage(obs, hospitals, h_year)
    sens = sensitivity_from(sensitivity)
    finding_list, finding_warnings = finding_rows(rows, official_by_id, evidence)
    warn += finding_warnings
    for note in getattr(estimate, "warnings", []) or []:
        warn.append(WarningRow("estimate", _note_text(note), _s(getattr(note, "code", ""))))

    listed = h_year[~h_year["hospital_id"].astype(str).str.startswith("unlisted:")] \
        if len(h_year) else h_year
    n_hosp = int(listed["hospital_id"].nunique()) if len(listed) else 0
    with_evidence = int(listed.loc[~listed["imputed"].astype(bool), "hospital_id"].nunique()) \
        if len(listed) else 0
    summary = build_summary(
        country=country,
        scenario=scenario,
        national=national,
        observation_ids=used,
        n_hospitals=n_hosp,
        n_hospitals_with_evidence=with_evidence,
        n_imputed=n_hosp - with_evidence,
        sensitivity=sens,
        assumptions=assumptions,
        findings=finding_list,
        level=level,
    )
    ordered = sorted(evidence.values(), key=lambda e: (_KIND_ORDER.get(e.kind, 9),
                                                       e.evidence_id))
    return ReportData(
        title=title or f"Transplant volume audit: {country}",
        country=country,
        summary=summary,
        national=tuple(national),
        by_category=tuple(by_category),
        by_province=tuple(by_province),
        top_hospitals=tuple(top),
        coverage=coverage,
        sensitivity=sens,
        findings=tuple(finding_list),
        assumptions=tuple(assumptions),
        evidence=tuple(ordered),
        warnings=tuple(warn),
        stamp=stamp,
        timings=dict(timings or {}),
    )


_KIND_ORDER = {"observation": 0, "official": 1, "reference": 2}


def _note_text(note: Any) -> str:
    msg = _s(getattr(note, "message", note))
    where = [f"{k} {v}" for k in ("hospital_id", "indicator", "observation_id", "year")
             if (v := _s(getattr(note, k, None)))]
    return f"{msg} ({', '.join(where)})" if where else msg


def _national_rows(frame: pd.DataFrame) -> list[NationalRow]:
    rows = []
    for r in _records(frame):
        mean, median = _f(r.get("mean")), _f(r.get("median"))
        if mean is None or median is None:
            continue
        intervals = {}
        for lv in LEVELS:
            lo, hi = _f(r.get(f"low{lv}")), _f(r.get(f"high{lv}"))
            intervals[lv] = Interval(lo if lo is not None else math.nan,
                                     hi if hi is not None else math.nan)
        official = _f(r.get("official"))
        ratio = None
        if _f(r.get("ratio_low95")) is not None and _f(r.get("ratio_high95")) is not None:
            ratio = Interval(float(r["ratio_low95"]), float(r["ratio_high95"]))
        fid = _s(r.get("official_figure_id"))
        rows.append(NationalRow(
            year=int(r["year"]), organ=str(r["organ"]), mean=mean, median=median,
            intervals=intervals, official=official,
            official_evidence_ids=(fid,) if fid and official is not None else (),
            ratio_median=_f(r.get("ratio_median")), ratio_interval=ratio,
            p_above_official=_f(r.get("p_above_official")),
        ))
    return rows


def _keep_ids(row: NationalRow, evidence: dict[str, EvidenceRow]) -> NationalRow:
    kept = tuple(i for i in row.official_evidence_ids if i in evidence)
    if kept == row.official_evidence_ids:
        return row
    from dataclasses import replace

    return replace(row, official_evidence_ids=kept)


def _period(r: dict[str, Any]) -> str:
    year, since, as_of = _s(r.get("year")), _s(r.get("since_year")), _s(r.get("as_of"))
    year = year.removesuffix(".0")
    since = since.removesuffix(".0")
    if since or as_of:
        return f"since {since or '?'}, as of {as_of or '?'}"
    return year


def _value_text(r: dict[str, Any]) -> str:
    value, low, high = _f(r.get("value")), _f(r.get("low")), _f(r.get("high"))
    qual = _s(r.get("qualifier"))
    if qual == "range" and low is not None and high is not None:
        return f"{_num(low)}–{_num(high)}"
    if value is None:
        return ""
    return _QUALIFIER_SIGN.get(qual, "") + _num(value)


def _archive(sha: str, sources_by_sha: dict[str, dict[str, Any]]) -> str:
    return _s(sources_by_sha.get(sha, {}).get("archive_url"))


def _observation_row(r: dict[str, Any], hosp_by_id: dict[str, dict[str, Any]],
                     sources_by_sha: dict[str, dict[str, Any]]) -> EvidenceRow:
    hid = _s(r.get("hospital_id"))
    subject = _s(hosp_by_id.get(hid, {}).get("name_en")) or hid or _s(r.get("region"))
    sha = _s(r.get("source_sha256"))
    locator = "; ".join(x for x in (_s(r.get("cited_locator")), _s(r.get("source_locator")))
                        if x)
    return EvidenceRow(
        evidence_id=str(r["observation_id"]), kind="observation", subject=subject,
        indicator=_s(r.get("indicator")), organ=_s(r.get("organ")), period=_period(r),
        value=_value_text(r), unit=_s(r.get("unit")), grade=_s(r.get("grade")),
        source_url=_s(r.get("cited_url")) or _s(sources_by_sha.get(sha, {}).get("url")),
        archive_url=_archive(sha, sources_by_sha), sha256=sha, locator=locator,
        original_text=_s(r.get("original_text")),
    )


def _official_row(r: dict[str, Any], sources_by_sha: dict[str, dict[str, Any]]) -> EvidenceRow:
    sha = _s(r.get("source_sha256"))
    where = _s(r.get("region")) or _s(r.get("country"))
    locator = "; ".join(x for x in (_s(r.get("cited_locator")), _s(r.get("source_locator")))
                        if x)
    return EvidenceRow(
        evidence_id=str(r["figure_id"]), kind="official",
        subject=f"{_s(r.get('series'))} ({_s(r.get('publisher'))}, {where})",
        indicator=_s(r.get("indicator")), organ=_s(r.get("organ")),
        period=_s(r.get("year")).removesuffix(".0"), value=_value_text(r), unit=_s(r.get("unit")),
        grade="A", source_url=_s(r.get("cited_url")) or _s(sources_by_sha.get(sha, {}).get("url")),
        archive_url=_archive(sha, sources_by_sha), sha256=sha, locator=locator,
    )


def _reference_row(r: dict[str, Any], sources_by_sha: dict[str, dict[str, Any]]) -> EvidenceRow:
    sha = _s(r.get("source_sha256"))
    locator = "; ".join(x for x in (_s(r.get("cited_locator")), _s(r.get("source_locator")))
                        if x)
    return EvidenceRow(
        evidence_id=str(r["figure_id"]), kind="reference",
        subject=f"{_s(r.get('entity'))}: {_s(r.get('description'))}".strip(": "),
        indicator=_s(r.get("indicator")) or _s(r.get("topic")), organ=_s(r.get("organ")),
        period=_s(r.get("period")), value=_value_text(r), unit=_s(r.get("unit")),
        grade=_s(r.get("grade")),
        source_url=_s(r.get("cited_url")) or _s(sources_by_sha.get(sha, {}).get("url")),
        archive_url=_archive(sha, sources_by_sha), sha256=sha, locator=locator,
        original_text=_s(r.get("original_text")),
    )


def _assumptions(table: pd.DataFrame, scenario: str, refs: pd.DataFrame,
                 sources_by_sha: dict[str, dict[str, Any]],
                 evidence: dict[str, EvidenceRow]) -> list[Assumption]:
    by_url: dict[str, list[dict[str, Any]]] = {}
    if len(refs) and "cited_url" in refs.columns:
        for r in _records(refs):
            if _s(r.get("cited_url")):
                by_url.setdefault(_s(r["cited_url"]).rstrip("/"), []).append(r)
    out = []
    for r in _records(table):
        source = _s(r.get("source"))
        urls = [u.rstrip(".") for u in _URL.findall(source)]
        cited: list[str] = []
        for url in urls:
            for ref in by_url.get(url.rstrip("/"), [])[:_MAX_CITED_ROWS]:
                fid = str(ref["figure_id"])
                evidence.setdefault(fid, _reference_row(ref, sources_by_sha))
                cited.append(fid)
        applies = ", ".join(f"{k} {v}".replace(".0", "") for k in ("organ", "category", "year")
                            if (v := _s(r.get(k)))) or "all"
        unit = _s(r.get("unit"))
        name = _s(r.get("key")) or _s(r.get("name"))
        description = _s(r.get("note"))
        if unit:
            description = f"[{unit}] {description}".strip()
        out.append(Assumption(
            name=name, description=description, distribution=_s(r.get("distribution")),
            scenario=scenario, applies_to=applies, citation=source,
            citation_url=urls[0] if urls else "", evidence_ids=tuple(dict.fromkeys(cited)),
        ))
    return out


def _interval95(r: dict[str, Any]) -> Interval | None:
    lo, hi = _f(r.get("low95")), _f(r.get("high95"))
    return None if lo is None or hi is None else Interval(lo, hi)


def _top_hospitals(h: pd.DataFrame, hosp_by_id: dict[str, dict[str, Any]],
                   evidence: dict[str, EvidenceRow], top_n: int) -> list[HospitalRow]:
    if not len(h):
        return []
    listed = h[~h["hospital_id"].astype(str).str.startswith("unlisted:")]
    ranked = sorted(_records(listed), key=lambda r: (-(_f(r.get("mean")) or 0.0),
                                                              str(r["hospital_id"]),
                                                              str(r["organ"])))
    out = []
    for r in ranked[:top_n]:
        hid = str(r["hospital_id"])
        info = hosp_by_id.get(hid, {})
        out.append(HospitalRow(
            hospital_id=hid, name_en=_s(info.get("name_en")) or _s(r.get("name")) or hid,
            name_zh=_s(info.get("name_zh")), province=_s(r.get("province")),
            category=_s(r.get("category")), year=int(r["year"]), organ=str(r["organ"]),
            mean=_f(r.get("mean")) or 0.0, interval95=_interval95(r),
            share=_f(r.get("contribution")) or 0.0, imputed=bool(r.get("imputed")),
            evidence_ids=tuple(i for i in _ids(r.get("observation_ids")) if i in evidence),
            methods=tuple(m for m in _s(r.get("estimators")).split(";") if m),
        ))
    return out


def _groups(h: pd.DataFrame, column: str, year: int | None) -> list[GroupRow]:
    if not len(h) or year is None:
        return []
    # hospitals of the universe that the store does not list are one row per group;
    # they are shown as their own group, never mixed into a named category or province
    unlisted = h["hospital_id"].astype(str).str.startswith("unlisted:")
    labels = [(_s(n) or "unlisted hospitals") if u else (_s(v) or "unknown")
              for v, n, u in zip(h[column], h["name"], unlisted, strict=True)]
    frame = h.assign(_group=labels, _mean=[_f(v) or 0.0 for v in h["mean"]])
    out = []
    for group, part in frame.groupby("_group", sort=True):
        listed = part[~part["hospital_id"].astype(str).str.startswith("unlisted:")]
        imputed = (list(listed.groupby("hospital_id")["imputed"].all())
                   if len(listed) else [])
        out.append(GroupRow(
            group=str(group), year=year, organ="all", mean=float(part["_mean"].sum()),
            interval95=None, n_hospitals=int(listed["hospital_id"].nunique()),
            n_imputed=int(sum(bool(v) for v in imputed)),
        ))
    return sorted(out, key=lambda g: -g.mean)


def _coverage(obs: pd.DataFrame, hospitals: pd.DataFrame, h: pd.DataFrame) -> Coverage:
    hosp_obs = obs[obs["hospital_id"].notna()] if len(obs) else obs
    present = set(hosp_obs["indicator"].astype(str)) if len(hosp_obs) else set()
    indicators = tuple([i for i in INDICATORS if i in present]
                       + sorted(present - set(INDICATORS)))
    counts: dict[str, dict[str, int]] = {}
    for hid, ind in zip(hosp_obs.get("hospital_id", []), hosp_obs.get("indicator", []),
                        strict=False):
        counts.setdefault(str(hid), {}).setdefault(str(ind), 0)
        counts[str(hid)][str(ind)] += 1
    imputed: dict[str, list[str]] = {}
    if len(h):
        for r in _records(h):
            if bool(r.get("imputed")) and not str(r["hospital_id"]).startswith("unlisted:"):
                imputed.setdefault(str(r["hospital_id"]), []).append(str(r["organ"]))
    names = {str(r["hospital_id"]): _s(r.get("name_en")) or str(r["hospital_id"])
             for r in _records(hospitals)}
    ids: Iterable[str] = sorted(set(counts) | set(imputed), key=lambda i: (names.get(i, i), i))
    rows = tuple(CoverageRow(i, names.get(i, i), counts.get(i, {}),
                             tuple(sorted(set(imputed.get(i, []))))) for i in ids)
    return Coverage(indicators, rows)
