"""parse_number: every written form the extractor meets, compared as exact Decimals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from extract_numerals import to_chinese
from hypothesis import given
from hypothesis import strategies as st

from txaudit.errors import InputError
from txaudit.extract import parse_number

D = Decimal


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("三千", D(3000), "exact"),
        ("两万余", D(20000), "more_than"),
        ("兩萬餘", D(20000), "more_than"),
        ("1.2万", D(12000), "exact"),
        ("1.2萬", D(12000), "exact"),
        ("一千二百", D(1200), "exact"),
        ("一千二", D(1200), "exact"),  # spoken short form: the digit after 千 means hundreds
        ("两万五", D(25000), "exact"),
        ("三千零五", D(3005), "exact"),
        ("一百零五", D(105), "exact"),
        ("十五", D(15), "exact"),
        ("十余", D(10), "more_than"),
        ("十余万", D(100000), "more_than"),
        ("二十多万", D(200000), "more_than"),
        ("上千", D(1000), "more_than"),
        ("近千", D(1000), "nearly"),
        ("130%", D("1.3"), "exact"),
        ("百分之一百三十", D("1.3"), "exact"),
        ("百分之九十五", D("0.95"), "exact"),
        ("95.5%", D("0.955"), "exact"),
        ("1,200", D(1200), "exact"),
        ("12 154", D(12154), "exact"),
        (">200", D(200), "more_than"),
        ("≥200", D(200), "at_least"),
        ("<5", D(5), "less_than"),
        ("３０００", D(3000), "exact"),
        ("〇", D(0), "exact"),
        ("零", D(0), "exact"),
        ("二〇〇五", D(2005), "exact"),
        ("廿", D(20), "exact"),
        ("卅五", D(35), "exact"),
        ("一亿两千万", D(120000000), "exact"),
        ("3.5亿", D(350000000), "exact"),
        ("壹仟贰佰", D(1200), "exact"),
        ("约300", D(300), "approx"),
        ("300左右", D(300), "approx"),
        ("大约三百", D(300), "approx"),
        ("至少12", D(12), "at_least"),
        ("不到一百", D(100), "less_than"),
        ("不足50", D(50), "less_than"),
        ("超过3000", D(3000), "more_than"),
        ("逾千", D(1000), "more_than"),
        ("3000多", D(3000), "more_than"),
        ("200以上", D(200), "at_least"),
        ("two hundred", D(200), "exact"),
        ("a dozen", D(12), "exact"),
        ("twenty-five", D(25), "exact"),
        ("two hundred and fifty", D(250), "exact"),
        ("one thousand two hundred", D(1200), "exact"),
        ("1.5 million", D(1500000), "exact"),
        ("120 million", D(120000000), "exact"),
        ("more than 3,000", D(3000), "more_than"),
        ("over 300", D(300), "more_than"),
        ("nearly 1,000", D(1000), "nearly"),
        ("almost 500", D(500), "nearly"),
        ("about 80", D(80), "approx"),
        ("approximately 80", D(80), "approx"),
        ("some 40", D(40), "approx"),
        ("at least 12", D(12), "at_least"),
        ("less than 30", D(30), "less_than"),
        ("130 percent", D("1.3"), "exact"),
        ("120%以上", D("1.2"), "at_least"),
    ],
)
def test_parse_number_reads_each_written_form_exactly(
    text: str, value: Decimal, qualifier: str
) -> None:
    parsed = parse_number(text)
    assert parsed.value == value
    assert parsed.qualifier == qualifier
    assert parsed.low is None and parsed.high is None


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("1至2", D(1), D(2)),
        ("1-2", D(1), D(2)),
        ("1～2", D(1), D(2)),
        ("1~2", D(1), D(2)),
        ("one to two", D(1), D(2)),
        ("three to six", D(3), D(6)),
        ("20万至30万", D(200000), D(300000)),
        ("1-2万", D(10000), D(20000)),  # the multiplier written once applies to both ends
        ("between 80,000 and 100,000", D(80000), D(100000)),
        ("两三", D(2), D(3)),
        ("30%-40%", D("0.3"), D("0.4")),
    ],
)
def test_parse_number_reads_ranges_with_midpoint_value(
    text: str, low: Decimal, high: Decimal
) -> None:
    parsed = parse_number(text)
    assert (parsed.low, parsed.high, parsed.qualifier) == (low, high, "range")
    assert parsed.value == (low + high) / 2


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("数百", D(200), D(900)),
        ("几百", D(200), D(900)),
        ("数十", D(20), D(90)),
        ("数千", D(2000), D(9000)),
        ("數萬", D(20000), D(90000)),
        ("several hundred", D(200), D(900)),
        ("hundreds of", D(200), D(900)),
        ("thousands of", D(2000), D(9000)),
    ],
)
def test_parse_number_reads_several_as_two_to_nine_of_the_unit(
    text: str, low: Decimal, high: Decimal
) -> None:
    parsed = parse_number(text)
    assert (parsed.low, parsed.high, parsed.qualifier) == (low, high, "range")


def test_parse_number_marks_percentages_and_returns_fractions() -> None:
    assert parse_number("130%").percent is True
    assert parse_number("130").percent is False
    assert parse_number("百分之一百三十") == parse_number("130%")


def test_parse_number_refuses_text_without_a_number() -> None:
    with pytest.raises(InputError, match="cannot read"):
        parse_number("transplant")
    with pytest.raises(InputError):
        parse_number("   ")


def test_parse_number_refuses_a_backwards_range() -> None:
    with pytest.raises(InputError, match="backwards"):
        parse_number("5-2")


# --- properties ---------------------------------------------------------------------

@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_parse_number_reads_back_chinese_numerals_rendered_independently(n: int) -> None:
    assert parse_number(to_chinese(n)).value == n


@given(st.integers(min_value=0, max_value=10**12))
def test_parse_number_reads_back_comma_grouped_integers(n: int) -> None:
    assert parse_number(f"{n:,}").value == n


@given(st.integers(min_value=1000, max_value=10**9))
def test_parse_number_reads_back_space_grouped_integers(n: int) -> None:
    assert parse_number(f"{n:,}".replace(",", " ")).value == n


@given(st.integers(min_value=0, max_value=10**7))
def test_parse_number_reads_back_full_width_digits(n: int) -> None:
    full_width = str(n).translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    assert parse_number(full_width).value == n


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False))
def test_parse_number_reads_decimals_with_wan_exactly(d: Decimal) -> None:
    assert parse_number(f"{d}万").value == d * 10000
