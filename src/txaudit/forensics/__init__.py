"""Forensic tests of official transplant statistics (pure: no I/O).

Every test returns a :class:`Finding`; :func:`run_all` runs what applies. See
``docs/reference/forensics.md`` for the statistics, their calibration and wording.
"""

from __future__ import annotations

from txaudit.forensics.artefacts import (
    MAX_PER_DECEASED_DONOR,
    impossible_ratios,
    repeated_across_series,
    repeated_values,
    rounding_pattern,
)
from txaudit.forensics.conformance import formula_conformance, simulate_counts
from txaudit.forensics.consistency import compare_versions, cumulative_vs_annual, parts_vs_whole
from txaudit.forensics.counters import as_snapshots, counter_monitoring
from txaudit.forensics.digits import benford, terminal_digits
from txaudit.forensics.finding import Finding, SourceRef
from txaudit.forensics.fits import FORMS, FitResult, fit_all, fit_exponential, fit_linear_form
from txaudit.forensics.inputs import SeriesData, as_series, split_parts
from txaudit.forensics.panel import DEFAULT_PANEL_SERIES, PANEL_SERIES_FOR, ReferencePanel
from txaudit.forensics.panel_check import PanelCheck, panel_false_alarms
from txaudit.forensics.ratios import ratio_stability
from txaudit.forensics.runner import run_all

__all__ = [
    "DEFAULT_PANEL_SERIES",
    "FORMS",
    "MAX_PER_DECEASED_DONOR",
    "PANEL_SERIES_FOR",
    "FitResult",
    "Finding",
    "PanelCheck",
    "ReferencePanel",
    "SeriesData",
    "SourceRef",
    "as_series",
    "as_snapshots",
    "benford",
    "compare_versions",
    "counter_monitoring",
    "cumulative_vs_annual",
    "fit_all",
    "fit_exponential",
    "fit_linear_form",
    "formula_conformance",
    "impossible_ratios",
    "panel_false_alarms",
    "parts_vs_whole",
    "ratio_stability",
    "repeated_across_series",
    "repeated_values",
    "rounding_pattern",
    "run_all",
    "simulate_counts",
    "split_parts",
    "terminal_digits",
]
