"""The result object every forensic test returns."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class SourceRef:
    """Where one input series came from: its name and the provenance of its values."""

    series: str
    figure_ids: list[str] = field(default_factory=list)
    cited_urls: list[str] = field(default_factory=list)
    publisher: str | None = None
    country: str | None = None
    region: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "series": self.series,
            "figure_ids": list(self.figure_ids),
            "cited_urls": list(self.cited_urls),
            "publisher": self.publisher,
            "country": self.country,
            "region": self.region,
        }


@dataclass
class Finding:
    """The outcome of one forensic test on one or two series.

    ``statistic`` is the test statistic (named by ``statistic_name``); ``p_value`` is
    ``None`` where no probability applies (descriptive checks such as two publishers'
    disagreement). ``flagged`` is ``p_value <= alpha`` for calibrated tests and "the
    check found something to look at" for descriptive ones. ``skipped`` holds the
    reason when the test could not run (too short a series, no reference panel);
    such findings carry no statistic. The ``verdict`` is neutral: it measures how
    unusual the series is and never presumes why.
    """

    test: str
    inputs: list[SourceRef]
    statistic: float | None = None
    statistic_name: str = ""
    p_value: float | None = None
    effect_size: float | None = None
    effect_size_name: str = ""
    alpha: float = 0.05
    flagged: bool = False
    verdict: str = ""
    explanation: str = ""
    caveats: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    chart: dict[str, list[Any]] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    skipped: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (numpy scalars and NaN/inf turned into plain values/None)."""
        return {
            "test": self.test,
            "inputs": [s.to_dict() for s in self.inputs],
            "statistic": _plain(self.statistic),
            "statistic_name": self.statistic_name,
            "p_value": _plain(self.p_value),
            "effect_size": _plain(self.effect_size),
            "effect_size_name": self.effect_size_name,
            "alpha": self.alpha,
            "flagged": bool(self.flagged),
            "verdict": self.verdict,
            "explanation": self.explanation,
            "caveats": list(self.caveats),
            "warnings": list(self.warnings),
            "chart": _plain(self.chart),
            "details": _plain(self.details),
            "skipped": self.skipped,
        }


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def skipped(test: str, inputs: list[SourceRef], reason: str, alpha: float = 0.05) -> Finding:
    """A finding for a test that could not run, saying why."""
    return Finding(
        test=test,
        inputs=inputs,
        alpha=alpha,
        verdict=f"not run: {reason}",
        explanation=reason,
        skipped=reason,
    )
