"""Charset detection for Chinese pages, boilerplate removal, and the byte-level prefilter."""

from __future__ import annotations

import codecs

import pytest
from collect_support import BIG5_PAGE, BIG5_TEXT, GBK_PAGE, GBK_TEXT
from hypothesis import given, settings
from hypothesis import strategies as st

from txaudit.collect import Prefilter, decode_bytes
from txaudit.collect.charset import meta_charset, normalise_charset
from txaudit.collect.derive import guess_lang
from txaudit.collect.htmltext import html_to_text, nesting_depth, strip_tags, title_of
from txaudit.collect.prefilter import parse_terms


def test_gb2312_declared_but_gbk_bytes_decode_as_gb18030() -> None:
    with pytest.raises(UnicodeDecodeError):
        GBK_PAGE.decode("gb2312")
    decoded = decode_bytes(GBK_PAGE)
    assert decoded.charset == "gb18030" and decoded.how == "meta"
    assert GBK_TEXT in decoded.text


def test_big5_pages_are_read_through_big5_hkscs() -> None:
    decoded = decode_bytes(BIG5_PAGE)
    assert decoded.charset == "big5hkscs" and BIG5_TEXT in decoded.text


def test_a_byte_order_mark_beats_a_wrong_declaration() -> None:
    data = codecs.BOM_UTF8 + "<meta charset='gbk'><p>肝移植</p>".encode()
    decoded = decode_bytes(data, "gb2312")
    assert decoded.how == "bom" and "肝移植" in decoded.text and not decoded.text.startswith(
        "\ufeff")


def test_the_http_header_wins_over_meta_when_it_decodes_and_is_skipped_when_it_does_not() -> None:
    page = "<meta charset='utf-8'><p>肾移植中心</p>"
    as_gbk = page.encode("gbk")
    # header says GBK, bytes are GBK, meta lies: the header wins
    assert decode_bytes(as_gbk, "gbk").how == "http"
    # header says UTF-8 but the bytes are GBK: strict UTF-8 fails, detection takes over
    decoded = decode_bytes(("<p>" + "本院肾移植中心累计完成肾移植手术三千余例。" * 20 + "</p>")
                           .encode("gbk"), "utf-8")
    assert decoded.charset == "gb18030" and "肾移植中心" in decoded.text


def test_utf8_without_any_declaration_is_recognised() -> None:
    decoded = decode_bytes("<p>心脏移植</p>".encode())
    assert decoded.charset == "utf-8" and decoded.how == "utf-8"


def test_charset_names_are_widened_to_their_supersets() -> None:
    assert normalise_charset("GB2312") == "gb18030"
    assert normalise_charset("x-gbk") is None or normalise_charset("gbk") == "gb18030"
    assert normalise_charset("ISO-8859-1") == "cp1252"
    assert normalise_charset("no-such-charset") is None
    assert meta_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=GBK">') \
        == "GBK"


def test_boilerplate_is_removed_but_the_figures_kept() -> None:
    nav = "".join(f"<li><a href='/{i}'>栏目{i}</a></li>" for i in range(40))
    html = (f"<html><head><title>移植中心 - 某医院</title></head><body><ul>{nav}</ul>"
            "<div class='content'><p>本院肾移植中心成立于1998年，至今已完成肾移植手术3000余例，"
            "移植病区现有床位60张，年均肾移植200余例。</p></div>"
            "<div class='footer'>版权所有 电话：0371-12345678</div></body></html>")
    text, method = html_to_text(html)
    assert "3000余例" in text and "床位60张" in text
    # the footer (with its phone number, a false-positive trap for extraction) is gone
    assert method == "trafilatura" and "0371-12345678" not in text
    assert title_of(html) == "移植中心 - 某医院"


def test_the_tag_stripper_keeps_table_cells_apart_and_drops_scripts() -> None:
    html = ("<script>var x='移植 999';</script><table><tr><td>2004</td><td>肝移植</td>"
            "<td>120</td></tr></table><p>a&amp;b</p>")
    text = strip_tags(html)
    assert "999" not in text and "2004 肝移植 120" in text and "a&b" in text


def test_nesting_depth_counts_containers_only() -> None:
    assert nesting_depth(b"<div><div><span>x</span></div></div>", 10) == 3
    assert nesting_depth(b"<p>a<p>b<p>c<br><img src=x>", 10) == 0
    assert nesting_depth(b"<div>" * 50, 10) == 11  # stops counting past the limit


def test_language_is_guessed_from_the_script() -> None:
    assert guess_lang("本院肾移植中心 2005 report") == "zh"
    assert guess_lang("The hospital performed 2,000 kidney transplants.") == "en"
    assert guess_lang("2005 - 2006") is None


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("肾移植中心".encode(), True),
        ("肾移植中心".encode("gbk"), True),
        ("腎臟移植".encode("big5"), True),
        ("器官捐献".encode("gb18030"), True),
        (b"Kidney TRANSPLANT programme", True),
        (b"Transplantation", True),
        (b"Organ donation week", True),
        (b"&#31227;&#26893;", True),  # 移植 as HTML character references
        (b"\\u79fb\\u690d", False),  # JavaScript escapes are not searched (documented)
        ("口腔科门诊时间".encode(), False),
        ("口腔科门诊时间".encode("gbk"), False),
        (b"dental clinic opening hours", False),
    ],
)
def test_the_prefilter_finds_terms_in_every_encoding(data: bytes, expected: bool) -> None:
    assert Prefilter.from_terms().matches(data) is expected


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.lists(
        st.sampled_from(
            [b"", b"x", b"\xe7", b"\xa7", b"\xd2\xc6", b"rans", b"plant", b"&#312",
             b"27;&#26893;", "肾移植".encode(), "移".encode("gbk"), "植".encode("gbk"),
             "器官".encode("big5"), b"ORGAN", b" DON", b"Transplant"]
        ),
        max_size=12,
    )
)
def test_the_prefilter_automaton_agrees_with_plain_substring_search(parts: list[bytes]) -> None:
    """The automaton (leftmost-first, for speed) answers exactly "does any pattern occur".

    Haystacks are glued from pattern fragments so that matches straddle the joins;
    the reference is Python's own ``in`` over every pattern. Overlapping custom terms
    (one a prefix or suffix of another) are included.
    """
    data = b"".join(parts)
    for prefilter in (Prefilter.from_terms(), Prefilter.from_terms(["移植", "肾移植", "植"])):
        assert prefilter.matches(data) is any(p in data for p in prefilter.patterns)


def test_prefilter_terms_are_configurable_and_can_be_switched_off() -> None:
    custom = parse_terms(["dialysis,透析"])
    assert custom.matches("血液透析中心".encode("gbk"))
    assert not custom.matches(b"kidney transplant")
    off = parse_terms(["-"])
    assert not off.enabled and off.matches(b"anything")
    assert parse_terms(None) == Prefilter.from_terms()
