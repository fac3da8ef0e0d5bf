"""The observation fast path never changes a result: it either agrees with the full check
or defers to it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from txaudit.errors import InputError
from txaudit.evidence import validate as VAL
from txaudit.evidence.fastpath import make_fast_observation
from txaudit.evidence.importer import OBSERVATION_OPTIONAL, csv_columns

HEADER = list(csv_columns("observations")) + list(OBSERVATION_OPTIONAL)
SHA = "a" * 64
CTX = VAL.Context(hospitals={"h-1", "h-2"}, sources={SHA})

FIELD_VALUES = {
    "observation_id": ["obs-1", " obs-2 ", "", "bad id", "x:y.z"],
    "scope": ["hospital", "province", "nation", "", "ward"],
    "hospital_id": ["h-1", "h-2", "", "h-9", " h-1 "],
    "region": ["", "Henan", " 河南 "],
    "indicator": ["transplants_annual", "bed_occupancy", "hospital_beds", "beds", " hospital_beds"],
    "organ": ["kidney", "all", "", "kidneys"],
    "year": ["", "2015", "2015.0", "15", "２０１５", "1850"],
    "since_year": ["", "1999", "x"],
    "as_of": ["", "2012-06", "2012-13", "2012"],
    "value": ["1.30", "40", "316", "", "-1", "1e3", "1,000", "nan", " 0.850 ", "3_000"],
    "low": ["", "1", "100", "x"],
    "high": ["", "2", "400", "0.5"],
    "qualifier": ["", "exact", "range", "approx", "about"],
    "unit": ["", "count/year", "fraction", "beds", "count"],
    "grade": ["A", "B", "D", "", "E"],
    "source_sha256": ["", SHA, SHA.upper(), "b" * 64, "abc"],
    "source_locator": ["", " p. 3 "],
    "cited_url": ["https://example.org", ""],
    "cited_locator": ["", "para 2"],
    "original_text": ["", "约130%"],
    "note": ["", "SEEN"],
    "supersedes": ["", "obs-0"],
    "reviewer": ["", "ann"],
    "claim_id": ["", "clm-1"],
}

#: a plain valid row: the first value of every field
BASE = {k: v[0] for k, v in FIELD_VALUES.items()}


@st.composite
def records(draw: st.DrawFn) -> dict[str, str]:
    """The valid base row with up to three fields changed (valid or not)."""
    rec = dict(BASE)
    for name in draw(st.lists(st.sampled_from(sorted(FIELD_VALUES)), max_size=3)):
        rec[name] = draw(st.sampled_from(FIELD_VALUES[name]))
    return rec


@settings(max_examples=1000, deadline=None)
@given(rec=records())
def test_fast_path_agrees_with_the_full_check(rec: dict[str, str]) -> None:
    fast = make_fast_observation(HEADER, CTX)([rec[c] for c in HEADER])
    try:
        full = VAL.check_observation(rec, CTX)
    except InputError:
        assert fast is None
        return
    assert fast is None or fast == full


def test_fast_path_accepts_a_plain_row() -> None:
    rec = dict(BASE)
    fast = make_fast_observation(HEADER, CTX)([rec[c] for c in HEADER])
    assert fast is not None and fast == VAL.check_observation(rec, CTX)
