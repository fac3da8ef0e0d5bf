"""The plain-language summary: what it says follows from the numbers, and cites them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from txaudit.report.model import Interval, NationalRow
from txaudit.report.numbers import fmt_int, fmt_plain
from txaudit.report.summary import build_summary, headline_rows


def _row(year: int, organ: str, lo: float, med: float, hi: float,
         official: float | None = None) -> NationalRow:
    iv = {"50": Interval(lo + (med - lo) / 2, med + (hi - med) / 2),
          "80": Interval(lo + (med - lo) / 4, hi - (hi - med) / 4), "95": Interval(lo, hi)}
    return NationalRow(year, organ, med, med, iv, official,
                       ("off-1",) if official is not None else ())


def _text(summary) -> str:  # type: ignore[no-untyped-def]
    figs = {f.key: f.text for f in summary.figures}
    return "".join(p if isinstance(p, str) else figs[p["figure"]]
                   for para in summary.paragraphs for p in para)


def test_headline_is_the_latest_year_with_an_official_figure_for_all_organs() -> None:
    rows = [_row(2015, "all", 1, 2, 3, 10), _row(2016, "all", 1, 2, 3, 10),
            _row(2017, "all", 1, 2, 3), _row(2016, "kidney", 1, 2, 3)]
    assert [(r.year, r.organ) for r in headline_rows(rows)] == [(2016, "all")]
    # without an "all" row, every organ of that year is spoken about
    rows = [_row(2016, "liver", 1, 2, 3, 5), _row(2016, "kidney", 1, 2, 3)]
    assert [r.organ for r in headline_rows(rows)] == ["kidney", "liver"]
    assert headline_rows([]) == []


@settings(max_examples=60, deadline=None)
@given(
    lo=st.floats(min_value=1, max_value=1e5),
    spread=st.floats(min_value=1.01, max_value=20),
    official=st.one_of(st.none(), st.floats(min_value=1, max_value=1e6)),
)
def test_summary_states_its_numbers_and_places_the_official_figure_correctly(
    lo: float, spread: float, official: float | None
) -> None:
    hi = lo * spread
    med = (lo * hi) ** 0.5
    row = _row(2020, "all", lo, med, hi, official)
    summary = build_summary(country="X", scenario="central", national=[row],
                            observation_ids=["o1", "o2"], n_hospitals=3,
                            n_hospitals_with_evidence=2, n_imputed=1)
    text = _text(summary)
    assert f"between {fmt_plain(lo)} and {fmt_plain(hi)} transplants" in text
    assert f"most likely about {fmt_plain(med)}" in text
    if official is None:
        assert "No official figure for 2020" in text
    else:
        assert f"official figure for 2020 is {fmt_int(official)}" in text
        where = ("inside" if lo <= official <= hi else "below" if official < lo else "above")
        assert f"It lies {where} the 95% interval" in text
    for fig in summary.figures:
        assert set(fig.evidence_ids) <= {"o1", "o2", "off-1"}
        assert fig.evidence_ids


def test_counts_are_written_in_the_singular_and_plural() -> None:
    row = _row(2020, "all", 1, 2, 3)
    one = _text(build_summary(country="X", scenario="s", national=[row],
                              observation_ids=["o1"], n_hospitals=1,
                              n_hospitals_with_evidence=1, n_imputed=1))
    assert "rests on 1 observation about 1 hospital." in one
    assert "1 has no usable evidence and was imputed" in one
    many = _text(build_summary(country="X", scenario="s", national=[row],
                               observation_ids=["o1", "o2"], n_hospitals=3,
                               n_hospitals_with_evidence=2, n_imputed=2))
    assert "rests on 2 observations about 2 hospitals." in many
    assert "2 have no usable evidence and were imputed" in many


def test_a_p_value_below_a_thousandth_keeps_its_sign_wherever_it_is_shown() -> None:
    from txaudit.report.model import FindingRow

    finding = FindingRow("q", "formula conformance", "s", 0.9, "R²", 0.0001, True, "close",
                         "", ("off-1",))
    summary = build_summary(country="X", scenario="s", national=[_row(2020, "all", 1, 2, 3)],
                            observation_ids=["o1"], n_hospitals=1,
                            n_hospitals_with_evidence=1, n_imputed=0, findings=[finding])
    assert "formula conformance (p <0.001)" in _text(summary)
    assert summary.figure("forensic-q-p").text == "<0.001"
