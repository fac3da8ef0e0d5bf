"""The plain-language summary, written from the numbers.

Sentences are built from templates, never typed by hand, so the summary
always says what the tables say. The wording is neutral: it states what the
evidence and the assumptions imply and how sure that is ("between 48,000 and
91,000, most likely about 65,000"), and it never asserts intent. A forensic
flag is described as a difference from how real counts usually look, not as
proof of anything.

Every number in a sentence is a :class:`~txaudit.report.model.Figure` that
carries the ids of the evidence rows behind it.
"""

from __future__ import annotations

from collections.abc import Sequence

from txaudit.report.model import (
    Assumption,
    Figure,
    FindingRow,
    NationalRow,
    Sensitivity,
    Summary,
)
from txaudit.report.numbers import (
    fmt_estimate,
    fmt_int,
    fmt_p,
    fmt_plain,
    fmt_ratio,
    plural,
)

Part = str | dict[str, str]

_ORGAN_PHRASE = {"all": "all organs"}


def headline_rows(national: Sequence[NationalRow]) -> list[NationalRow]:
    """The rows the summary speaks about.

    The latest year that has an official figure (else the latest year), for
    organ ``all`` when the estimate has it, else for each organ of that year.
    """
    if not national:
        return []
    with_official = [r for r in national if r.official is not None]
    year = max(r.year for r in (with_official or national))
    rows = [r for r in national if r.year == year]
    total = [r for r in rows if r.organ == "all"]
    return total or sorted(rows, key=lambda r: r.organ)


class _Writer:
    """Collects figures while sentences are written."""

    def __init__(self) -> None:
        self.figures: list[Figure] = []

    def fig(
        self,
        key: str,
        label: str,
        value: float,
        text: str,
        unit: str,
        evidence: Sequence[str],
        note: str = "",
    ) -> dict[str, str]:
        ids = tuple(dict.fromkeys(evidence))  # keep order, drop repeats
        self.figures.append(Figure(key, label, float(value), text, unit, ids, note))
        return {"figure": key}


def build_summary(
    *,
    country: str,
    scenario: str,
    national: Sequence[NationalRow],
    observation_ids: Sequence[str],
    n_hospitals: int,
    n_hospitals_with_evidence: int,
    n_imputed: int,
    sensitivity: Sensitivity | None = None,
    assumptions: Sequence[Assumption] = (),
    findings: Sequence[FindingRow] = (),
    level: float = 0.05,
) -> Summary:
    """Write the summary paragraphs for a report.

    ``observation_ids`` are the appendix ids of every observation the estimate
    used; the estimated totals cite them all, because every one of them can
    move the total. Official figures cite their own rows; sensitivity figures
    cite the observations and the evidence of the parameter; forensic p-values
    cite the official figures tested.
    """
    w = _Writer()
    paragraphs: list[tuple[Part, ...]] = []
    obs = tuple(observation_ids)
    obs_note = ("the observation the estimate used" if len(obs) == 1
                else f"the {len(obs):,} observations the estimate used")

    for row in headline_rows(national):
        k = f"{row.organ}-{row.year}"
        organ = _ORGAN_PHRASE.get(row.organ, row.organ)
        i95, i50 = row.intervals["95"], row.intervals["50"]
        p: list[Part] = [
            f"For {row.year}, the evidence and the assumptions of the '{scenario}' scenario "
            f"imply that between ",
            w.fig(f"{k}-low95", "95% interval, low end", i95.low, fmt_plain(i95.low),
                  "transplants/year", obs, obs_note),
            " and ",
            w.fig(f"{k}-high95", "95% interval, high end", i95.high, fmt_plain(i95.high),
                  "transplants/year", obs, obs_note),
            f" transplants ({organ}) were performed in {country} (95% interval), "
            "most likely about ",
            w.fig(f"{k}-median", "median", row.median, fmt_plain(row.median),
                  "transplants/year", obs, obs_note),
            ". Half of the simulated outcomes lie between ",
            w.fig(f"{k}-low50", "50% interval, low end", i50.low, fmt_plain(i50.low),
                  "transplants/year", obs, obs_note),
            " and ",
            w.fig(f"{k}-high50", "50% interval, high end", i50.high, fmt_plain(i50.high),
                  "transplants/year", obs, obs_note),
            ".",
        ]
        paragraphs.append(tuple(p))
        paragraphs.append(tuple(_official_sentences(w, row, k, obs, obs_note)))

    drivers = _driver_sentence(w, sensitivity, assumptions, obs)
    if drivers:
        paragraphs.append(tuple(drivers))
    forensic = _forensic_sentence(w, findings, level)
    if forensic:
        paragraphs.append(tuple(forensic))

    base: list[Part] = [
        "The estimate rests on ",
        w.fig("n-observations", "observations used", len(obs), f"{len(obs):,}", "observations",
              obs, obs_note),
        f" {'observation' if len(obs) == 1 else 'observations'} about "
        f"{plural(n_hospitals_with_evidence, 'hospital')}. Of the "
        f"{plural(n_hospitals, 'hospital')} listed in the estimate, {n_imputed:,} "
        f"{'has' if n_imputed == 1 else 'have'} no usable evidence and "
        f"{'was' if n_imputed == 1 else 'were'} imputed from their peer group; their share "
        "of the total is as uncertain as the peer assumptions are.",
    ]
    paragraphs.append(tuple(base))
    return Summary(tuple(paragraphs), tuple(w.figures))


def _official_sentences(
    w: _Writer, row: NationalRow, k: str, obs: tuple[str, ...], obs_note: str
) -> list[Part]:
    if row.official is None:
        return [f"No official figure for {row.year} ({row.organ}) is in the store to compare with."]
    off_ids = row.official_evidence_ids
    parts: list[Part] = [
        f"The official figure for {row.year} is ",
        w.fig(f"{k}-official", "official figure", row.official, fmt_int(row.official),
              "transplants/year", off_ids, "the official figure as published"),
        ". ",
    ]
    i95 = row.intervals["95"]
    if i95.low <= row.official <= i95.high:
        parts.append("It lies inside the 95% interval: the evidence and assumptions are "
                     "consistent with it.")
    elif row.official < i95.low:
        parts.append("It lies below the 95% interval.")
    else:
        parts.append("It lies above the 95% interval.")
    if row.ratio_interval is not None:
        ri = row.ratio_interval
        parts += [
            " The estimate is between ",
            w.fig(f"{k}-ratio-low", "ratio to official, 95% low", ri.low, fmt_ratio(ri.low),
                  "ratio", (*off_ids, *obs), "the official figure and " + obs_note),
            " and ",
            w.fig(f"{k}-ratio-high", "ratio to official, 95% high", ri.high, fmt_ratio(ri.high),
                  "ratio", (*off_ids, *obs), "the official figure and " + obs_note),
            " the official figure (95% interval).",
        ]
    if row.p_above_official is not None:
        parts += [
            " Under these assumptions, the probability that the actual number exceeds the "
            "official figure is ",
            w.fig(f"{k}-p-above", "P(actual > official)", row.p_above_official,
                  fmt_p(row.p_above_official), "probability", (*off_ids, *obs),
                  "the official figure and " + obs_note),
            ".",
        ]
    return parts


def _driver_sentence(
    w: _Writer,
    sens: Sensitivity | None,
    assumptions: Sequence[Assumption],
    obs: tuple[str, ...],
) -> list[Part]:
    if sens is None or not sens.tornado:
        return []
    cited = {a.name: a.evidence_ids for a in assumptions}
    top = sorted(sens.tornado, key=lambda r: r.swing, reverse=True)[:3]
    parts: list[Part] = [
        f"The assumptions that move the {sens.target} most, each taken alone from its low "
        "to its high value with the others at their central values, are "
    ]
    for i, row in enumerate(top):
        lo, hi = sorted((row.output_low, row.output_high))
        ids = (*cited.get(row.parameter, ()), *obs)
        key = f"driver-{i + 1}"
        if i:
            parts.append("; " if i < len(top) - 1 else "; and ")
        parts += [
            f"{row.parameter} (from ",
            w.fig(f"{key}-low", f"{row.parameter}, output at low end", lo, fmt_estimate(lo),
                  sens.unit, ids, "the parameter's sources and the observations used"),
            " to ",
            w.fig(f"{key}-high", f"{row.parameter}, output at high end", hi, fmt_estimate(hi),
                  sens.unit, ids, "the parameter's sources and the observations used"),
            ")",
        ]
    parts.append(".")
    unseen = [row.parameter for row in top if _not_seen(row.parameter, assumptions)]
    if unseen:
        names = ", ".join(unseen)
        parts.append(
            f" No published source gives a value for {names} (the model's notes say NOT SEEN), "
            "so the result depends on priors chosen for "
            f"{'it' if len(unseen) == 1 else 'them'}: read the sensitivity and assumptions "
            "sections before quoting a single number."
        )
    return parts


#: the marker the model's notes use for a value no published source gives
_NOT_SEEN = "NOT SEEN"


def _not_seen(parameter: str, assumptions: Sequence[Assumption]) -> bool:
    """Whether ``parameter``'s own note says no source gives its value."""
    return any(a.name == parameter and _NOT_SEEN in a.description for a in assumptions)


def _forensic_sentence(w: _Writer, findings: Sequence[FindingRow], level: float) -> list[Part]:
    findings = [f for f in findings if f.ran]
    if not findings:
        return []
    flagged = [f for f in findings if f.flagged]
    all_ids = tuple(i for f in findings for i in f.evidence_ids)
    parts: list[Part] = [
        w.fig("forensic-tests", "forensic tests run", len(findings), str(len(findings)),
              "tests", all_ids, "the official figures tested"),
        " forensic tests were run on the official series; ",
    ]
    if not flagged:
        parts.append(f"none flagged a pattern at the {level:g} level.")
        return parts
    parts += [
        w.fig("forensic-flagged", "forensic tests flagged", len(flagged), str(len(flagged)),
              "tests", tuple(i for f in flagged for i in f.evidence_ids),
              "the official figures tested"),
        f" flagged a pattern at the {level:g} level: ",
    ]
    by_subject: dict[str, list[FindingRow]] = {}
    for f in flagged:
        by_subject.setdefault(f.subject, []).append(f)
    for i, (subject, group) in enumerate(by_subject.items()):
        parts.append(f"{'; ' if i else ''}{subject}: ")
        for j, f in enumerate(group):
            parts.append(", " if j else "")
            if f.p_value is None:
                parts.append(f.test)
                continue
            # the figure's text keeps its sign ("<0.001"), so the list of sources says it too
            text = fmt_p(f.p_value)
            parts += [
                f"{f.test} (p {'' if text[0] in '<>' else '= '}",
                w.fig(f"forensic-{f.key}-p", f"p-value of {f.test} on {subject}", f.p_value,
                      text, "p-value", f.evidence_ids, "the official figures tested"),
                ")",
            ]
    parts.append(
        ". A flag means the series differs from what real counts usually look like; "
        "it does not say why."
    )
    return parts
