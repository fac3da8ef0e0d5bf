"""The summary says when a leading driver of the total rests on no published value."""

from __future__ import annotations

from txaudit.report.model import Assumption, Interval, NationalRow, Sensitivity, TornadoRow
from txaudit.report.summary import build_summary

SENTENCE = "No published source gives a value for"


def _summary_text(note: str) -> str:
    national = (
        NationalRow(2015, "all", 50000.0, 48000.0,
                    {"50": Interval(40000, 60000), "80": Interval(30000, 70000),
                     "95": Interval(20000, 90000)}),
    )
    sens = Sensitivity(
        target="national total 2015", unit="transplants/year", baseline=48000.0,
        tornado=(
            TornadoRow("universe_count[category=unapproved]", 0.0, 543.0, 30000.0, 90000.0),
            TornadoRow("bed_occupancy", 0.8, 1.3, 45000.0, 52000.0),
        ),
    )
    assumptions = (
        Assumption("universe_count[category=unapproved]", note, "uniform(0, 543)", "central",
                   "category unapproved", "WOIPFG 2016", ""),
        Assumption("bed_occupancy", "SEEN: China health statistics 2006", "pert(0.6, 0.8, 1.3)",
                   "central", "all", "China health statistics 2006", ""),
    )
    summary = build_summary(
        country="China", scenario="central", national=national, observation_ids=["obs-1"],
        n_hospitals=2, n_hospitals_with_evidence=1, n_imputed=1, sensitivity=sens,
        assumptions=assumptions, findings=(),
    )
    return " ".join(str(getattr(p, "text", p)) for para in summary.paragraphs for p in para)


def test_summary_names_a_leading_driver_whose_note_says_not_seen() -> None:
    text = _summary_text("INFERRED: 712 - 169. Whether they transplant is NOT SEEN.")
    assert SENTENCE + " universe_count[category=unapproved]" in text
    assert "bed_occupancy (the model" not in text


def test_summary_is_silent_when_every_driver_has_a_source() -> None:
    assert SENTENCE not in _summary_text("SEEN: 405 large non-approved hospitals (KMG ch.6)")
