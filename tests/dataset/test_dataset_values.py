"""Unit tests of the build's value, period and name parsers (scripts/dataset/)."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from dataset.godt import repair_mojibake  # noqa: E402
from dataset.grades import observation_grade, reference_grade, seed_status  # noqa: E402
from dataset.hospitals import approval_year, parse_organs  # noqa: E402
from dataset.values import (  # noqa: E402
    parse_number,
    parse_period,
    parse_series,
    split_parts,
)


def test_over_130_percent_is_more_than_130_with_the_percent_sign_kept():
    v = parse_number(">130%")
    assert (v.value, v.qualifier, v.percent) == (Decimal(130), "more_than", True)
    assert parse_number("over 130%").qualifier == "more_than"


@pytest.mark.parametrize(
    ("text", "qualifier", "value"),
    [
        ("~150", "approx", "150"),
        ("about 13000", "approx", "13000"),
        ("nearly 1000", "nearly", "1000"),
        ("almost 3000", "nearly", "3000"),
        ("close to 1300", "nearly", "1300"),
        ("70+", "at_least", "70"),
        (">=4023", "at_least", "4023"),
        ("40-odd", "more_than", "40"),
        ("1,400", "exact", "1400"),
        ("110 (2 wards)", "exact", "110"),
        (">200 per year", "more_than", "200"),
    ],
)
def test_qualifier_words_and_signs_map_to_the_vocabulary(text, qualifier, value):
    v = parse_number(text)
    assert (v.qualifier, v.value) == (qualifier, Decimal(value))


def test_a_range_gives_low_high_and_the_exact_midpoint():
    v = parse_number("90%-131.1%")
    # midpoint by hand: (90 + 131.1) / 2 = 110.55
    assert (v.qualifier, v.low, v.high, v.value) == (
        "range",
        Decimal("90"),
        Decimal("131.1"),
        Decimal("110.55"),
    )


def test_a_reversed_range_and_words_are_rejected():
    with pytest.raises(ValueError):
        parse_number("100-60")
    with pytest.raises(ValueError):
        parse_number("a few hundred")


def test_a_dated_series_splits_into_values_with_their_dates():
    items = parse_series("316 (2010); 393 (2012)")
    assert [(v.value, d) for v, d, _ in items] == [(Decimal(316), "2010"), (Decimal(393), "2012")]
    arrows = parse_series("13 (2004) -> 23 (Oct 2004) -> 90 (Jun 2007)")
    assert [d for _, d, _ in arrows] == ["2004", "Oct 2004", "Jun 2007"]
    year_first = parse_series("1998: 9; 1999: 24")
    assert [(v.value, d) for v, d, _ in year_first] == [(Decimal(9), "1998"), (Decimal(24), "1999")]


def test_parts_split_on_slashes_but_not_inside_a_comment():
    assert split_parts("31 / 10") == ["31", "10"]
    assert split_parts("1/2/3") == ["1", "2", "3"]
    assert split_parts("47 / 11 (2 chief / 3 assoc)") == ["47", "11 (2 chief / 3 assoc)"]


def test_c2015_is_a_snapshot_date_not_a_measured_year():
    p = parse_period("c.2015")
    assert (p.year, p.as_of, p.snapshot) == (None, "2015", True)


@pytest.mark.parametrize(
    ("text", "year", "since", "as_of"),
    [
        ("2006", 2006, None, None),
        ("2006-04-03", 2006, None, "2006-04-03"),
        ("by Nov 2002", None, None, "2002-11"),
        ("as of April 2015", None, None, "2015-04"),
        ("1999-2015", None, 1999, "2015"),
        ("1997-06 to 2002-06", None, 1997, "2002-06"),
        ("Apr 2005-Feb 2014", None, 2005, "2014-02"),
        ("pre-2020", None, None, None),
    ],
)
def test_periods_become_year_since_year_and_as_of(text, year, since, as_of):
    p = parse_period(text)
    assert (p.year, p.since_year, p.as_of) == (year, since, as_of)


def test_mojibake_country_names_are_repaired_and_clean_names_untouched():
    assert repair_mojibake("CÃ´te dâ€™Ivoire") == "Côte d’Ivoire"
    assert repair_mojibake("CuraÃ§ao") == "Curaçao"
    for clean in ("Spain", "Côte d’Ivoire", "Türkiye", "China"):
        assert repair_mojibake(clean) == clean


def test_approved_organ_cells_map_to_vocabulary_organs():
    assert parse_organs("liver/kidney/heart/lung (+pancreas, intestine)") == [
        "kidney",
        "liver",
        "heart",
        "lung",
        "pancreas",
        "intestine",
    ]
    assert parse_organs("liver (no kidney permit)") == ["liver"]
    assert parse_organs("not liver (kidney/heart not stated)") == []
    assert parse_organs("not stated") == []


def test_approval_year_ignores_web_snapshot_dates():
    assert approval_year("2013 (NHFPC list of 165)") == 2013
    assert approval_year("first MoH group (2007) per ETAC profile") == 2007
    assert approval_year("c.2015 (per ETAC profile)") is None


def test_grades_follow_the_documented_rule():
    etac = "https://www.chinaorganharvest.org/hospitals/x/"
    own_site = "http://www.zs-hospital.sh.cn/zsyy/n15/n21/u1ai14.html"
    assert observation_grade(etac, "SEEN") == "C"
    assert observation_grade(own_site, "") == "B"
    assert observation_grade(etac, "SEEN", "kidney transplants in 2005 (doctor by phone)") == "D"
    assert observation_grade(etac, "SEEN", derived=True) == "D"
    assert observation_grade(etac, "INFERRED; from a ratio") == "D"
    # a SEEN value with a derived remark beside it stays C
    assert observation_grade(etac, "SEEN; so 2014 ~250, INFERRED") == "C"
    assert reference_grade("https://www.gov.cn/x", "SEEN") == "A"
    assert reference_grade("https://pmc.ncbi.nlm.nih.gov/articles/PMC1", "SEEN") == "A"
    assert reference_grade("https://dafoh.org/x", "SEEN") == "B"
    assert reference_grade("https://example.blogspot.com/x", "SEEN") == "C"
    assert reference_grade("https://www.gov.cn/x", "INFERRED") == "D"
    assert seed_status("SEEN (secondary, rounded)") == "SEEN"
