"""``run_all``: every forensic test that applies to one series (and an optional second)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from txaudit.errors import InputError
from txaudit.forensics.artefacts import (
    impossible_ratios,
    repeated_across_series,
    repeated_values,
    rounding_pattern,
)
from txaudit.forensics.conformance import formula_conformance
from txaudit.forensics.consistency import compare_versions, parts_vs_whole
from txaudit.forensics.digits import benford, terminal_digits
from txaudit.forensics.finding import Finding
from txaudit.forensics.inputs import (
    SeriesData,
    as_series,
    check_kind,
    has_several,
    split_parts,
)
from txaudit.forensics.panel import ReferencePanel
from txaudit.forensics.ratios import ratio_stability

RELATIONS: tuple[str, ...] = ("auto", "versions", "ratio", "parts")


def as_panel(panel: ReferencePanel | pd.DataFrame | None) -> ReferencePanel | None:
    """A :class:`ReferencePanel` from OfficialFigure rows (or the panel itself, or None)."""
    if panel is None or isinstance(panel, ReferencePanel):
        return panel
    return ReferencePanel.from_frame(panel)


def infer_relation(a: SeriesData, b: SeriesData) -> str:
    """``versions`` when both series measure the same thing, else ``ratio``.

    Same indicator, organ and region means two versions of one series. Without that
    metadata, series whose values differ by less than 20% in the median shared year
    are taken as versions.
    """
    if a.indicator and b.indicator:
        same = (a.indicator, a.organ, a.region, a.country) == (
            b.indicator, b.organ, b.region, b.country
        )
        return "versions" if same else "ratio"
    _, ia, ib = np.intersect1d(a.years, b.years, return_indices=True)
    if ia.size == 0:
        return "ratio"
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.nanmedian(np.abs(a.values[ia] / b.values[ib] - 1))
    return "versions" if gap < 0.2 else "ratio"


def _decreases(series: SeriesData, alpha: float) -> Finding:
    drops = {int(y): float(d) for y, d in zip(series.years[1:], np.diff(series.values),
                                              strict=True) if d < 0}
    return Finding(
        test="cumulative_decreases",
        inputs=[series.source()],
        statistic=float(len(drops)),
        statistic_name="years in which the cumulative total falls",
        alpha=alpha,
        flagged=bool(drops),
        verdict=(
            "The cumulative total falls in "
            + ", ".join(f"{y} ({d:+,.0f})" for y, d in drops.items()) + "."
            if drops else "The cumulative total never falls."
        ),
        explanation="A running total can only fall if earlier figures were revised.",
        warnings=list(series.warnings),
        details={"decreases": drops},
    )


def _parts(
    series: Any, whole: Any, kind: str, alpha: float, whole_name: str | None
) -> list[Finding]:
    parts = split_parts(series)
    total = as_series(whole, name=whole_name, kind=kind)
    findings = [parts_vs_whole(parts, total, alpha=alpha)]
    findings.append(repeated_across_series(parts, alpha=alpha))
    return findings


def run_all(
    series: Any,
    against: Any = None,
    *,
    kind: str = "annual",
    panel: ReferencePanel | pd.DataFrame | None = None,
    alpha: float = 0.05,
    replicates: int = 2000,
    seed: int | None = 0,
    relation: str = "auto",
    name: str | None = None,
    against_name: str | None = None,
) -> list[Finding]:
    """Run every test that applies and return the findings (skipped ones say why).

    ``series`` (and ``against``) may be a list, a pandas Series indexed by year, or
    OfficialFigure rows. ``panel`` is the reference panel (a :class:`ReferencePanel`
    or OfficialFigure rows of the GODT panel); without it the panel calibrations are
    left out and say so. With ``against``, two versions of one series are compared
    year by year; two different quantities get the ratio tests. ``relation`` forces
    one reading (``versions`` or ``ratio``). OfficialFigure rows of several regions
    (provinces) with ``against`` (the nation) are read as parts and their whole
    (``parts_vs_whole`` and ``repeated_across_series``).
    """
    check_kind(kind)
    if relation not in RELATIONS:
        raise InputError(f"unknown relation {relation!r}", field="relation",
                         hint="use auto, versions or ratio")
    if not 0 < alpha < 1:
        raise InputError(f"alpha must lie between 0 and 1, not {alpha}", field="alpha")
    if replicates < 1:
        raise InputError("replicates must be at least 1", field="replicates")
    if has_several(series, "region") and against is not None:
        # provincial rows against a national series: parts and their whole
        if relation not in ("auto", "parts"):
            raise InputError(
                "the series has several regions; only relation 'parts' applies",
                field="region",
            )
        return _parts(series, against, kind, alpha, against_name)
    if relation == "parts":
        raise InputError(
            "relation 'parts' needs OfficialFigure rows of several regions as the series",
            field="relation",
        )
    s = as_series(series, name=name, kind=kind)
    if s.n == 0:
        raise InputError("the series has no values", field="value")
    ref = as_panel(panel)
    rng = np.random.default_rng(seed)
    findings: list[Finding] = []
    if kind == "cumulative":
        findings.append(_decreases(s, alpha))
    for cumulative in (False, True):
        findings.append(
            formula_conformance(
                s, kind=kind, cumulative=cumulative, panel=ref, alpha=alpha,
                replicates=replicates, seed=seed, rng=rng,
            )
        )
    findings.append(repeated_values(s, alpha=alpha))
    findings.append(rounding_pattern(s, alpha=alpha))
    annual = s.values if kind == "annual" else np.diff(s.values, prepend=0.0)
    findings.append(terminal_digits(annual, [s.source()], alpha=alpha, seed=seed))
    findings.append(benford(annual, [s.source()], alpha=alpha, seed=seed))
    if against is not None:
        b = as_series(against, name=against_name, kind=kind)
        chosen = infer_relation(s, b) if relation == "auto" else relation
        if chosen == "versions":
            findings.append(compare_versions(s, b, alpha=alpha))
        else:
            findings.extend(ratio_stability(s, b, panel=ref, alpha=alpha))
            if b.indicator == "deceased_donors" and s.indicator == "transplants_annual":
                findings.append(impossible_ratios(s, b, alpha=alpha))
        findings.append(repeated_across_series([s, b], alpha=alpha))
    return findings
