"""The false-alarm check: how often formula conformance flags real national series."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from txaudit.forensics.conformance import formula_conformance
from txaudit.forensics.inputs import SeriesData
from txaudit.forensics.panel import ReferencePanel


@dataclass
class PanelCheck:
    """Share of the panel's own series that formula conformance flags at ``alpha``."""

    alpha: float
    cumulative: bool
    n_series: int
    n_flagged: int
    share_flagged: float
    share_by_calibration: dict[str, float]
    flagged_series: list[str] = field(default_factory=list)
    skipped: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "alpha": self.alpha,
            "values": "cumulative" if self.cumulative else "annual",
            "n_series": self.n_series,
            "n_flagged": self.n_flagged,
            "share_flagged": self.share_flagged,
            "share_by_calibration": dict(self.share_by_calibration),
            "flagged_series": list(self.flagged_series),
            "skipped": self.skipped,
        }


def panel_false_alarms(
    panel: ReferencePanel,
    *,
    alpha: float = 0.05,
    replicates: int = 999,
    seed: int = 0,
    cumulative: bool = False,
) -> PanelCheck:
    """Run formula conformance on every run of the panel (each against the others).

    Each run (one series, one country, 9 or more consecutive years) is tested whole;
    its own country is left out of the panel comparison. Real series are not
    manufactured to a formula, so the flagged share estimates the false-alarm rate.
    ``share_by_calibration`` gives the share each calibration alone would flag.
    """
    flagged: list[str] = []
    tested = skipped_count = 0
    alone: dict[str, int] = {"poisson": 0, "negative_binomial": 0, "panel": 0}
    rng = np.random.default_rng(seed)
    for run in panel.runs:
        series = SeriesData(
            name=run.series, years=run.years, values=run.values, country=run.country
        )
        finding = formula_conformance(
            series, panel=panel, alpha=alpha, replicates=replicates, cumulative=cumulative,
            rng=rng, seed=seed,
        )
        if finding.skipped:
            skipped_count += 1
            continue
        tested += 1
        for key, p in finding.details["p_values"].items():
            if p is not None and p <= alpha:
                alone[key] += 1
        if finding.flagged:
            flagged.append(f"{run.series} {run.country} {run.years[0]}-{run.years[-1]}")
    share = len(flagged) / tested if tested else float("nan")
    return PanelCheck(
        alpha=alpha,
        cumulative=cumulative,
        n_series=tested,
        n_flagged=len(flagged),
        share_flagged=share,
        share_by_calibration={k: v / tested if tested else float("nan") for k, v in alone.items()},
        flagged_series=flagged,
        skipped=skipped_count,
    )
