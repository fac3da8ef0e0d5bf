"""The content of an audit report, as plain dataclasses.

``ReportData`` is everything a report shows, already computed and already
linked to its evidence. The renderers (HTML, Markdown, PDF, JSON) only lay it
out; :mod:`txaudit.report.assemble` builds it from the results of the other
parts. Keeping the content separate from the layout means every format says
the same thing, and tests can build a report by hand.

Evidence ids are the ids of rows in the evidence appendix (observations,
official figures, reference figures). Every number the summary states carries
the ids of the rows behind it, and a test checks that each id exists in the
appendix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Interval levels shown everywhere, as strings because they are JSON keys.
LEVELS: tuple[str, ...] = ("50", "80", "95")


@dataclass(frozen=True)
class Interval:
    """A central interval of a Monte Carlo distribution, ``low`` to ``high``."""

    low: float
    high: float


@dataclass(frozen=True)
class Figure:
    """One number stated in the summary, with the evidence behind it.

    ``key`` is a stable anchor (``fig-<key>`` in HTML); ``text`` is the number as
    printed; ``evidence_ids`` name appendix rows; ``note`` says what the evidence
    is when the ids alone would not (e.g. "all 412 observations used").
    """

    key: str
    label: str
    value: float
    text: str
    unit: str
    evidence_ids: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Summary:
    """The plain-language summary: sentences and the figures they quote.

    Each paragraph is a list of parts: plain strings, or the ``key`` of a
    :class:`Figure` wrapped as ``{"figure": key}``, so that renderers can link
    every number to its evidence without parsing text.
    """

    paragraphs: tuple[tuple[str | dict[str, str], ...], ...]
    figures: tuple[Figure, ...]

    def figure(self, key: str) -> Figure:
        """The figure named ``key``; raises ``KeyError`` when absent."""
        for fig in self.figures:
            if fig.key == key:
                return fig
        raise KeyError(key)


@dataclass(frozen=True)
class NationalRow:
    """National total for one organ and year, beside the official figure."""

    year: int
    organ: str
    mean: float
    median: float
    intervals: dict[str, Interval]
    official: float | None = None
    official_evidence_ids: tuple[str, ...] = ()
    ratio_median: float | None = None
    ratio_interval: Interval | None = None
    p_above_official: float | None = None


@dataclass(frozen=True)
class GroupRow:
    """Estimated total for a group of hospitals (a category or a province).

    The mean of a sum is the sum of the means, so ``mean`` is exact. An interval
    needs the joint draws of the group's hospitals; ``interval95`` is None when
    the estimate does not provide them.
    """

    group: str
    year: int
    organ: str
    mean: float
    interval95: Interval | None
    n_hospitals: int
    n_imputed: int


@dataclass(frozen=True)
class HospitalRow:
    """One hospital's estimated volume and its share of the national total."""

    hospital_id: str
    name_en: str
    name_zh: str
    province: str
    category: str
    year: int
    organ: str
    mean: float
    interval95: Interval | None
    share: float
    imputed: bool
    evidence_ids: tuple[str, ...]
    methods: tuple[str, ...] = ()


@dataclass(frozen=True)
class CoverageRow:
    """Which indicators one hospital has evidence for, and the organs it was imputed for."""

    hospital_id: str
    name: str
    counts: dict[str, int]
    imputed_organs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Coverage:
    """Hospital × indicator matrix of observation counts."""

    indicators: tuple[str, ...]
    rows: tuple[CoverageRow, ...]


@dataclass(frozen=True)
class TornadoRow:
    """Output of the model with one parameter set to its low and high value."""

    parameter: str
    low_value: float | None
    high_value: float | None
    output_low: float
    output_high: float

    @property
    def swing(self) -> float:
        """Width of the bar: how far this parameter alone moves the output."""
        return abs(self.output_high - self.output_low)


@dataclass(frozen=True)
class SobolRow:
    """First-order and total Sobol indices of one parameter (or group)."""

    parameter: str
    s1: float
    s1_conf: float | None
    st: float
    st_conf: float | None
    #: the parameters sampled together as this factor (a group), if any
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sensitivity:
    """Sensitivity analysis: what the output is, its baseline, tornado and Sobol."""

    target: str
    unit: str
    baseline: float
    tornado: tuple[TornadoRow, ...]
    sobol: tuple[SobolRow, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class ChartSeries:
    """Data of a forensic chart: observed values and what the test compares them with.

    ``kind`` is ``line`` (``x`` are years: observed points, fitted curve) or
    ``bars`` (``x`` are categories such as digits: observed counts as bars,
    expected counts as markers).
    """

    x: tuple[float | str, ...]
    observed: tuple[float, ...]
    fitted: tuple[float, ...] = ()
    fitted_label: str = "fitted"
    unit: str = "count"
    x_label: str = "Year"
    kind: str = "line"


@dataclass(frozen=True)
class FindingRow:
    """One forensic test result on an official series."""

    key: str
    test: str
    subject: str
    statistic: float | None
    statistic_name: str
    p_value: float | None
    flagged: bool
    verdict: str
    explanation: str
    evidence_ids: tuple[str, ...]
    chart: ChartSeries | None = None
    caveats: tuple[str, ...] = ()
    #: False when the test could not run (too short a series, no panel); verdict says why
    ran: bool = True


@dataclass(frozen=True)
class Assumption:
    """One model parameter: its distribution, scenario and the source it cites."""

    name: str
    description: str
    distribution: str
    scenario: str
    applies_to: str
    citation: str
    citation_url: str
    evidence_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvidenceRow:
    """One row of the evidence appendix (an observation, official or reference figure)."""

    evidence_id: str
    kind: str  # observation | official | reference
    subject: str  # hospital name, region or series
    indicator: str
    organ: str
    period: str
    value: str
    unit: str
    grade: str
    source_url: str
    archive_url: str
    sha256: str
    locator: str
    original_text: str = ""


@dataclass(frozen=True)
class WarningRow:
    """A warning raised anywhere in the run, with the part that raised it."""

    origin: str
    message: str
    #: short machine-readable kind (e.g. the estimate's note code), when the origin gives one
    code: str = ""


@dataclass(frozen=True)
class Stamp:
    """What it takes to regenerate the same report, byte for byte.

    ``store_hash`` is the ledger head: it commits to every event that built the
    store, including when each happened. ``content_digest`` covers the current
    rows only, so a store rebuilt from the same data has the same digest.
    ``generated_at`` is None when the report is built with ``--reproducible``;
    otherwise it is shown in a separate footer, apart from the stamp proper.
    """

    txaudit_version: str
    model_hash: str
    store_hash: str
    scenario: str
    seed: int
    draws: int
    command: str
    generated_at: str | None = None
    #: digest of the current rows alone (same for a store rebuilt from an export)
    content_digest: str = ""


@dataclass(frozen=True)
class ReportData:
    """Everything an audit report shows. Built by :func:`assemble_report` or by hand."""

    title: str
    country: str
    summary: Summary
    national: tuple[NationalRow, ...]
    by_category: tuple[GroupRow, ...]
    by_province: tuple[GroupRow, ...]
    top_hospitals: tuple[HospitalRow, ...]
    coverage: Coverage
    sensitivity: Sensitivity | None
    findings: tuple[FindingRow, ...]
    assumptions: tuple[Assumption, ...]
    evidence: tuple[EvidenceRow, ...]
    warnings: tuple[WarningRow, ...]
    stamp: Stamp
    #: seconds spent per stage of the run; never rendered in reproducible output
    timings: dict[str, float] = field(default_factory=dict)

    def evidence_ids(self) -> set[str]:
        """Ids of every row in the evidence appendix."""
        return {row.evidence_id for row in self.evidence}
