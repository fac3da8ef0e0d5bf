"""extract_claims: indicators, qualifiers, units, periods, organs, spans and negatives."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from extract_numerals import to_chinese
from hypothesis import given
from hypothesis import strategies as st

from txaudit.errors import InputError
from txaudit.extract import Claim, extract_claims, parse_number
from txaudit.extract.text import normalise, split_sentences
from txaudit.vocabulary import INDICATORS, ORGANS, QUALIFIERS

DOC = date(2015, 6, 30)


def one(text: str, **kwargs: object) -> Claim:
    claims = extract_claims(text, document_date=DOC, **kwargs)  # type: ignore[arg-type]
    assert len(claims) == 1, [c.to_dict() for c in claims]
    return claims[0]


# --- output shape --------------------------------------------------------------------


def test_claim_to_dict_has_exactly_the_documented_keys() -> None:
    claim = one("我院累计完成肾移植3000余例。", source_sha256="ab" * 32)
    record = claim.to_dict()
    assert list(record) == [
        "indicator", "organ", "value", "low", "high", "qualifier", "unit", "period",
        "hospital", "lang", "text", "span", "source",
    ]  # fmt: skip
    assert record["value"] == "3000" and isinstance(record["value"], str)
    assert record["period"] == {"year": None, "since": None, "as_of": "2015-06-30"}
    assert record["source"] == "ab" * 32
    assert record["unit"] == INDICATORS["transplants_cumulative"].unit


def test_claim_values_serialise_without_float_error() -> None:
    claim = one("移植病房床位使用率达到百分之一百三十。")
    assert claim.value == Decimal("1.3")
    assert claim.to_dict()["value"] == "1.3"
    big = one("2012年移植中心实现业务收入1.2亿元。")
    assert big.to_dict()["value"] == "120000000"


def test_claim_span_points_at_the_quantity_in_the_given_text() -> None:
    text = "医院简介。\n\n2005年，我院共完成肝移植126例，居全省首位。"
    claim = one(text)
    assert text[claim.span[0] : claim.span[1]] == "126例"
    assert claim.text == "2005年，我院共完成肝移植126例，居全省首位。"


def test_claim_span_includes_a_written_qualifier() -> None:
    text = "The center has performed more than 1,200 liver transplants since 1999."
    claim = one(text)
    assert text[claim.span[0] : claim.span[1]] == "more than 1,200 liver transplants"


def test_claim_text_and_span_keep_the_original_script() -> None:
    text = "本院腎臟移植中心至今已完成腎移植兩千餘例。"
    claim = one(text)
    assert claim.text == text
    assert text[claim.span[0] : claim.span[1]] == "兩千餘例"


def test_every_claim_uses_the_controlled_vocabulary() -> None:
    text = (
        "我院肾移植中心成立于1978年，至今已完成肾移植手术3000余例。肾移植病房开放床位46张，"
        "常年收治患者70余名，床位使用率超过130%。肝移植的费用约为人民币30万元。"
        "The department has 12 transplant surgeons and 40 nurses."
    )
    claims = extract_claims(text, document_date=DOC)
    assert len(claims) == 7
    for claim in claims:
        assert claim.indicator in INDICATORS
        assert claim.organ in ORGANS
        assert claim.qualifier in QUALIFIERS
        assert claim.unit == INDICATORS[claim.indicator].unit


# --- indicators ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "indicator", "value"),
    [
        ("2005年，我院共完成肝移植126例。", "transplants_annual", "126"),
        ("该中心自1998年以来累计开展肝脏移植一千二百余例。", "transplants_cumulative", "1200"),
        ("单日最多完成肾移植16例。", "transplants_peak_day", "16"),
        ("移植中心可同时开展5台移植手术。", "concurrent_operations", "5"),
        ("本院肝移植病房床位数为51张。", "transplant_beds", "51"),
        ("心脏移植患者平均住院日为21天。", "avg_length_of_stay", "21"),
        ("器官移植科每天约有60名住院病人。", "ward_census", "60"),
        ("The renal transplant unit admits about 800 patients every year.", "admissions", "800"),
        ("目前我院有肾移植主刀医师5名。", "transplant_surgeons", "5"),
        ("移植病房共有护理人员28名。", "transplant_staff", "28"),
        ("The transplant center has three dedicated operating rooms.", "operating_rooms", "3"),
        ("等待肝源的时间一般为2周左右。", "waiting_time", "14"),
        ("A kidney transplant at the center costs RMB 150,000.", "transplant_price", "150000"),
        ("Its revenue from transplants was 350 million yuan in 2014.", "transplant_revenue",
         "350000000"),
        ("省卫生厅拨款500万元支持我院器官移植重点学科建设。", "state_funding", "5000000"),
        ("Bed occupancy in the transplant department is about 110 percent.", "bed_occupancy",
         "1.1"),
    ],
)  # fmt: skip
def test_extract_claims_recognises_each_indicator(text: str, indicator: str, value: str) -> None:
    claim = one(text)
    assert (claim.indicator, claim.to_dict()["value"]) == (indicator, value)


def test_hospital_beds_are_reported_only_when_asked() -> None:
    text = "医院编制床位3000张，实际开放床位3500张。"
    assert extract_claims(text) == []
    claims = extract_claims(text, include_hospital_beds=True)
    assert [(c.indicator, c.value) for c in claims] == [
        ("hospital_beds", Decimal(3000)),
        ("hospital_beds", Decimal(3500)),
    ]


def test_beds_of_another_department_are_not_hospital_beds_even_when_asked() -> None:
    assert extract_claims("心内科床位120张，CCU床位20张。", include_hospital_beds=True) == []


@pytest.mark.parametrize(
    "text",
    [
        "联系电话：0371-66295110，地址：郑州市建设东路1号。",
        "For appointments, call +86 371 6629 5110.",
        "医院始建于1952年，是一所集医疗、教学、科研为一体的三级甲等医院。",
        "The hospital was founded in 1952 and is located at 1 Jianshe Road.",
        "医院年门诊量达120万人次，年出院病人5万余人次。",
        "Outpatient visits to the transplant clinic exceeded 20,000 last year.",
        "全院现有职工2800余人，开放床位2000张。",
        "The hospital employs over 3,000 staff and has 2,000 beds.",
        "我院泌尿外科有床位60张，年手术量3000余台。",
        "肾移植术后一年人/肾存活率分别达到98%和95%。",
        "我院于2015年3月12日成功完成首例小肠移植。",
        "眼科年完成角膜移植手术500余例。",
        "The bone marrow transplant ward has 30 beds.",
        "A lung transplant there costs about US$60,000.",
        "The kidney transplant center is located on the 12th floor of the surgical building.",
        "Each liver transplant takes about eight hours on average.",
        "医院地址：广州市天河区中山大道西183号，邮编510630。",
    ],
)
def test_extract_claims_ignores_what_is_not_a_transplant_claim(text: str) -> None:
    assert extract_claims(text, document_date=DOC) == []


def test_whole_hospital_staff_are_ignored_but_transplant_staff_kept() -> None:
    claim = one("我院共有职工3200人，其中器官移植中心医护人员65人。")
    assert (claim.indicator, claim.value) == ("transplant_staff", Decimal(65))


# --- qualifiers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("我院累计完成肾移植3000余例。", "more_than"),
        ("我院累计完成肾移植3000多例。", "more_than"),
        ("我院肾移植总数已逾4000例。", "more_than"),
        ("我院累计完成肾移植超过3000例。", "more_than"),
        ("截至2014年底，我院共完成肺移植近百例。", "nearly"),
        ("我院年肝移植量约为一百五十例。", "approx"),
        ("我院年肝移植量为一百五十例左右。", "approx"),
        ("我院肝移植年手术量已达200例以上。", "at_least"),
        ("我院肝移植年手术量至少200例。", "at_least"),
        ("我院今年肝移植不到200例。", "less_than"),
        ("To date, the center has completed nearly 1,000 lung transplants.", "nearly"),
        ("The center has completed almost 1,000 lung transplants.", "nearly"),
        ("The center has completed over 1,000 lung transplants.", "more_than"),
        ("The center has completed about 1,000 lung transplants.", "approx"),
        ("The center has completed approximately 1,000 lung transplants.", "approx"),
        ("The center has completed at least 12 intestinal transplants.", "at_least"),
        ("The center has completed fewer than 12 intestinal transplants.", "less_than"),
        ("The center has completed 1,000 lung transplants.", "exact"),
    ],
)
def test_extract_claims_reads_qualifiers(text: str, qualifier: str) -> None:
    assert one(text).qualifier == qualifier


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("病人一般只需等待1至2周即可找到合适的肾源。", "7", "14"),
        ("Patients usually wait only one to two weeks for a suitable kidney.", "7", "14"),
        ("Patients usually wait only 1-2 weeks for a suitable kidney.", "7", "14"),
        ("肾移植等待时间通常为3～6个月。", "90", "180"),
        ("肝移植手术费用在20万至30万元之间。", "200000", "300000"),
        ("Kidney transplantation costs between 80,000 and 100,000 yuan.", "80000", "100000"),
        ("我院每年完成肾移植数百例。", "200", "900"),
    ],
)
def test_extract_claims_reads_ranges_in_canonical_units(text: str, low: str, high: str) -> None:
    record = one(text).to_dict()
    assert (record["qualifier"], record["low"], record["high"]) == ("range", low, high)


# --- units ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("等待肝源的时间一般为10天。", Decimal(10)),
        ("等待肝源的时间一般为10日。", Decimal(10)),
        ("等待肝源的时间一般为2周。", Decimal(14)),
        ("等待肝源的时间一般为2星期。", Decimal(14)),
        ("等待肝源的时间一般为2个月。", Decimal(60)),
        ("等待肝源的时间一般为1年。", Decimal(365)),
        ("The wait for a liver is typically three weeks.", Decimal(21)),
        ("The wait for a liver is typically a month.", Decimal(30)),
    ],
)
def test_durations_are_converted_to_days(text: str, days: Decimal) -> None:
    claim = one(text)
    assert (claim.indicator, claim.value, claim.unit) == ("waiting_time", days, "days")


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("肝移植的费用为人民币300000元。", Decimal(300000)),
        ("肝移植的费用为30万元。", Decimal(300000)),
        ("肝移植的费用为0.3亿元。", Decimal(30000000)),
        ("A liver transplant costs 300,000 yuan.", Decimal(300000)),
        ("A liver transplant costs RMB 300,000.", Decimal(300000)),
        ("A liver transplant costs ¥300,000.", Decimal(300000)),
    ],
)
def test_money_is_converted_to_yuan(text: str, yuan: Decimal) -> None:
    claim = one(text)
    assert (claim.indicator, claim.value, claim.unit) == ("transplant_price", yuan, "CNY")


@pytest.mark.parametrize("unit", ["例", "台", "例次", "台次"])
def test_operation_counters_all_count_transplants(unit: str) -> None:
    claim = one(f"2011年我院完成肝移植108{unit}。")
    assert (claim.indicator, claim.value) == ("transplants_annual", Decimal(108))


# --- periods -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("去年我院共实施肾移植268例。", 2014),
        ("前年我院心脏移植达到12例。", 2013),
        ("今年我院心脏移植达到12例。", 2015),
        ("Last year our center performed 268 kidney transplants.", 2014),
        ("The center carried out 12 heart transplants the year before last.", 2013),
        ("In 2005, the hospital carried out 126 liver transplants.", 2005),
        ("2005年，我院共完成肝移植126例。", 2005),
    ],
)
def test_years_and_relative_years_resolve_against_the_document_date(text: str, year: int) -> None:
    claim = one(text)
    assert claim.indicator == "transplants_annual"
    assert claim.period.year == year


def test_relative_years_stay_unknown_without_a_document_date() -> None:
    claims = extract_claims("去年我院共实施肾移植268例。")
    assert claims[0].period.year is None


@pytest.mark.parametrize(
    ("text", "since", "as_of"),
    [
        ("该中心自1998年以来累计开展肝脏移植一千二百余例。", 1998, "2015-06-30"),
        ("2003年至今，中心累计完成心脏移植130余例。", 2003, "2015-06-30"),
        ("自一九九九年以來，本院累計完成肝移植逾千例。", 1999, "2015-06-30"),
        ("Since 1998, the center has performed more than 3,000 kidney transplants.", 1998,
         "2015-06-30"),
        ("截至2014年底，我院共完成肺移植近百例。", None, "2014-12-31"),
        ("截至2015年5月，全院已累计完成各类器官移植5000余例。", None, "2015-05-31"),
        ("By the end of 2014, the hospital had performed 100 pancreas transplants.", None,
         "2014-12-31"),
        ("More than 5,000 organ transplants have been done here as of May 2015.", None,
         "2015-05-31"),
        ("该院2009年至2013年共完成肝移植1020例。", 2009, "2013-12-31"),
        ("To date, the center has completed nearly 1,000 lung transplants.", None, "2015-06-30"),
    ],
)  # fmt: skip
def test_cumulative_counts_carry_since_and_as_of(text: str, since: int | None, as_of: str) -> None:
    claim = one(text)
    assert claim.indicator == "transplants_cumulative"
    assert (claim.period.year, claim.period.since, claim.period.as_of) == (None, since, as_of)


def test_a_founding_year_is_not_the_year_of_a_claim() -> None:
    claim = one("Established in 1999, the liver transplant center now has 108 beds.")
    assert claim.period.year is None


def test_document_date_must_be_a_date() -> None:
    with pytest.raises(InputError, match="document_date"):
        extract_claims("我院累计完成肾移植3000余例。", document_date="June 2015")


# --- organs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "organ"),
    [
        ("我院累计完成肾移植3000例。", "kidney"),
        ("我院累计完成肾脏移植3000例。", "kidney"),
        ("我院累計完成腎臟移植3000例。", "kidney"),
        ("The center has performed 3,000 renal transplants so far.", "kidney"),
        ("我院累计完成肝移植3000例。", "liver"),
        ("我院累計完成肝臟移植3000例。", "liver"),
        ("The center has performed 300 hepatic transplants so far.", "liver"),
        ("我院累计完成心脏移植30例。", "heart"),
        ("The center has performed 30 cardiac transplants so far.", "heart"),
        ("我院累计完成肺移植30例。", "lung"),
        ("The center has performed 30 lung transplants so far.", "lung"),
        ("我院累计完成胰腺移植30例。", "pancreas"),
        ("The center has performed 30 pancreas transplants so far.", "pancreas"),
        ("小肠移植我院已完成5例。", "intestine"),
        ("The center has performed 5 intestinal transplants so far.", "intestine"),
        ("我院已累计完成各类器官移植两万余例。", "all"),
        ("截至目前，我院已累计完成肝、肾移植5000余例。", "all"),
    ],
)
def test_extract_claims_names_the_organ(text: str, organ: str) -> None:
    assert one(text).organ == organ


@pytest.mark.parametrize(
    ("text", "organs"),
    [
        ("该院肝肾联合移植已累计完成20例。", ["liver", "kidney"]),
        ("胰肾联合移植手术我院已开展十余例。", ["pancreas", "kidney"]),
        ("Combined liver-kidney transplants have been performed in 20 patients so far.",
         ["liver", "kidney"]),
    ],
)  # fmt: skip
def test_combined_transplants_give_one_claim_per_organ_with_the_same_span(
    text: str, organs: list[str]
) -> None:
    claims = extract_claims(text, document_date=DOC)
    assert [c.organ for c in claims] == organs
    assert len({(c.span, c.value, c.indicator) for c in claims}) == 1


def test_each_number_takes_the_organ_written_nearest_before_it() -> None:
    claims = extract_claims("2011年，我院完成肝移植108例、肾移植215例。")
    assert [(c.organ, c.value) for c in claims] == [
        ("liver", Decimal(108)),
        ("kidney", Decimal(215)),
    ]


def test_an_elided_unit_is_shared_between_two_organs() -> None:
    claims = extract_claims("In 2013 the center performed 306 kidney and 142 liver transplants.")
    assert [(c.organ, c.value, c.period.year) for c in claims] == [
        ("kidney", Decimal(306), 2013),
        ("liver", Decimal(142), 2013),
    ]


# --- scripts, languages, sentences ---------------------------------------------------


def test_traditional_and_simplified_script_give_the_same_claims() -> None:
    simplified = "该中心去年完成肝脏移植近两百例，肾移植病房有床位四十张。"
    traditional = "該中心去年完成肝臟移植近兩百例，腎移植病房有床位四十張。"
    strip = [{k: v for k, v in c.to_dict().items() if k != "text"}
             for c in extract_claims(simplified, document_date=DOC)]  # fmt: skip
    assert strip == [{k: v for k, v in c.to_dict().items() if k != "text"}
                     for c in extract_claims(traditional, document_date=DOC)]  # fmt: skip
    assert len(strip) == 2


def test_full_width_digits_read_like_ascii_digits() -> None:
    claim = one("我院累计完成肾移植３０００余例。")
    assert claim.value == Decimal(3000)


def test_language_is_detected_per_sentence_unless_given() -> None:
    text = "我院累计完成肾移植3000例。The center has 46 transplant beds."
    assert [c.lang for c in extract_claims(text)] == ["zh", "en"]
    assert [c.lang for c in extract_claims(text, lang="zh")] == ["zh", "zh"]
    with pytest.raises(InputError, match="language"):
        extract_claims(text, lang="fr")


def test_sentences_split_on_chinese_and_english_ends_but_not_abbreviations() -> None:
    text = "第一句。第二句！Third one. Dr. Li works at No. 1 Hospital. 最后；尾"
    expected = [
        "第一句。", "第二句！", "Third one.", "Dr. Li works at No. 1 Hospital.", "最后；", "尾",
    ]  # fmt: skip
    sentences = list(split_sentences(text))
    assert [s.text for s in sentences] == expected
    assert [text[s.start : s.end] for s in sentences] == expected
    # the normalised text splits at the same places
    assert [(s.start, s.end) for s in split_sentences(normalise(text))] == [
        (s.start, s.end) for s in sentences
    ]


def test_a_sentence_about_the_center_continues_the_previous_transplant_subject() -> None:
    text = (
        "The Liver Transplant Department is a national key specialty. The department has 42 beds."
    )
    claim = one(text)
    assert (claim.indicator, claim.organ, claim.value) == ("transplant_beds", "liver", Decimal(42))
    assert extract_claims("The department has 42 beds.") == []


def test_pages_without_transplant_terms_yield_nothing() -> None:
    page = "医院简介：本院开放床位2000张，年门诊量120万人次。" * 50
    assert extract_claims(page) == []


# --- properties ----------------------------------------------------------------------


@given(
    n=st.integers(min_value=1, max_value=10**7),
    form=st.sampled_from(["plain", "comma", "chinese"]),
    organ=st.sampled_from([("肾", "kidney"), ("肝", "liver"), ("肺", "lung"), ("心脏", "heart")]),
)
def test_a_cumulative_count_reads_back_whatever_numeral_form(
    n: int, form: str, organ: tuple[str, str]
) -> None:
    written = {"plain": str(n), "comma": f"{n:,}", "chinese": to_chinese(n)}[form]
    text = f"截至目前，我院已累计完成{organ[0]}移植{written}例。"
    claim = one(text)
    assert (claim.indicator, claim.organ, claim.value) == ("transplants_cumulative", organ[1], n)
    assert text[claim.span[0] : claim.span[1]] == f"{written}例"


@given(
    n=st.integers(min_value=1, max_value=10**6),
    year=st.integers(min_value=1980, max_value=2030),
    organ=st.sampled_from(["kidney", "liver", "lung", "heart"]),
)
def test_an_annual_count_in_english_keeps_value_organ_and_year(
    n: int, year: int, organ: str
) -> None:
    claim = one(f"In {year}, the hospital carried out {n:,} {organ} transplants.")
    assert (claim.indicator, claim.organ, claim.value, claim.period.year) == (
        "transplants_annual", organ, n, year,
    )  # fmt: skip


@given(st.text(alphabet="的是医院科室床位门诊患者电话年月日号 abcdefghij,.0123456789", max_size=99))
def test_text_without_transplant_or_organ_words_never_yields_claims(text: str) -> None:
    assert extract_claims(text) == []


_HOSTILE = (
    "0123456789,.%-~ 一二两三千万亿百十余多约近超逾例台张天周月年元名人间移植肾肝床位使用率等待费用"
    "transplantkidney bed"
)


@given(st.text(alphabet=_HOSTILE, max_size=120))
def test_extract_claims_never_fails_on_arbitrary_text(text: str) -> None:
    for claim in extract_claims(text, document_date=DOC, include_hospital_beds=True):
        assert claim.indicator in INDICATORS
        assert 0 <= claim.span[0] < claim.span[1] <= len(text)
        assert claim.text in text


def test_a_long_text_without_punctuation_is_cut_into_bounded_sentences() -> None:
    text = "我院累计完成肾移植3000例，" * 400  # 6,000 characters, no full stop
    sentences = list(split_sentences(text))
    assert all(s.end - s.start <= 2000 for s in sentences)
    assert "".join(s.text for s in sentences) == text
    assert len(extract_claims(text)) == 400


def test_a_runaway_digit_string_is_not_a_quantity() -> None:
    assert extract_claims("肾移植" + "1" * 5000 + "例。") == []
    with pytest.raises(InputError, match="digits"):
        parse_number("1" * 40)
    with pytest.raises(InputError, match="too large"):
        parse_number("9亿亿亿亿亿")


# --- whole pages -------------------------------------------------------------------

PAGE_EN = """Example City First Hospital - Organ Transplant Center
Home | About | Contact | Tel: 022-2362 6600
The Organ Transplant Center was founded in 1994 and moved into a new 17-storey building in 2006.
It is the largest transplant center in the region, with 500 beds and more than 30 operating rooms.
In 2005 alone the center performed 647 liver transplants and 1,150 kidney transplants.
Since 1998 it has completed over 5,000 liver transplants.
Average waiting time for a liver is two weeks.
A liver transplant costs about US$ 60,000 for foreign patients and 250,000 yuan for others.
The hospital has 2,000 employees, 1,500 beds and 2 million outpatient visits per year.
Address: 24 Example Road, Tianjin 300192.
"""
PAGE_ZH = """示例市第一医院器官移植中心
器官移植中心成立于1994年，2006年迁入新建的17层移植大楼。
中心拥有床位500张，手术室30余间，是本地区规模最大的器官移植中心。
仅2005年一年，中心就完成肝移植647例、肾移植1150例。
自1998年以来，中心已累计完成肝移植5000余例。
肝移植患者平均等待时间为两周。
国内患者肝移植费用约25万元人民币，外国患者约6万美元。
医院为三级甲等医院，职工2000人，床位1500张，年门诊量200万人次。
地址：示例市复康路24号，邮编300192，电话：022-23626600。
"""
PAGE_CLAIMS = [
    ("transplant_beds", "all", "500", None),
    ("operating_rooms", "all", "30", None),
    ("transplants_annual", "liver", "647", 2005),
    ("transplants_annual", "kidney", "1150", 2005),
    ("transplants_cumulative", "liver", "5000", None),
    ("waiting_time", "liver", "14", None),
    ("transplant_price", "liver", "250000", None),
]


@pytest.mark.parametrize("page", [PAGE_EN, PAGE_ZH], ids=["en", "zh"])
def test_a_whole_page_gives_its_transplant_claims_and_nothing_else(page: str) -> None:
    claims = [c.to_dict() for c in extract_claims(page, document_date="2006-08-01")]
    assert [(c["indicator"], c["organ"], c["value"], c["period"]["year"]) for c in claims] == (
        PAGE_CLAIMS
    )
    cumulative = claims[4]
    assert cumulative["period"] == {"year": None, "since": 1998, "as_of": "2006-08-01"}


def test_a_founding_year_does_not_make_a_count_annual() -> None:
    claim = one("我院成立于1978年，已完成肾移植3000例。")
    assert claim.indicator == "transplants_cumulative"
    assert (claim.period.since, claim.period.as_of) == (1978, "2015-06-30")


def test_an_annual_word_next_to_the_number_wins_over_a_cumulative_sentence() -> None:
    claims = extract_claims("2010年至2014年，我院共开展各类器官移植2800余例，年均560例。")
    assert [(c.indicator, int(c.value)) for c in claims] == [
        ("transplants_cumulative", 2800),
        ("transplants_annual", 560),
    ]


def test_the_record_shown_in_the_reference_docs_is_what_the_code_gives() -> None:
    import json
    import re
    from pathlib import Path

    doc = Path(__file__).parents[2] / "docs" / "reference" / "extract.md"
    if not doc.is_file():
        pytest.skip("docs not present in this installation")
    shown = json.loads(re.search(r"```json\n(.*?)\n```", doc.read_text("utf-8"), re.S).group(1))
    text = "我院肾移植中心成立于1978年，至今已完成肾移植手术3000余例。"
    assert extract_claims(text, document_date="2015-06-30")[0].to_dict() == shown


def test_a_table_line_continues_the_transplant_unit_of_the_page() -> None:
    claims = extract_claims("器官移植中心简介\n床位数：60张（其中监护床位8张）")
    assert [(c.indicator, int(c.value)) for c in claims] == [
        ("transplant_beds", 60),
        ("transplant_beds", 8),
    ]
    assert extract_claims("床位数：60张") == []


def test_an_as_of_date_is_not_the_day_of_a_feat() -> None:
    claim = one("As of December 31, 2013, the hospital had performed 1,856 liver transplants.")
    assert claim.indicator == "transplants_cumulative"
    assert claim.period.as_of == "2013-12-31"
    claim = one("截止2013年12月31日，我院累计实施肝移植手术1856例。")
    assert (claim.indicator, claim.period.as_of) == ("transplants_cumulative", "2013-12-31")


def test_funding_without_a_public_body_is_not_state_funding() -> None:
    assert extract_claims("我院每年投入移植科研经费逾千万元。") == []
    claim = one("2008年该院移植中心获国家科技部资助经费800万元。")
    assert (claim.indicator, claim.value) == ("state_funding", Decimal(8000000))


def test_a_noun_right_after_the_count_says_who_is_counted() -> None:
    claims = extract_claims("移植中心团队由30名医生和50名护士组成。")
    assert [(c.indicator, int(c.value)) for c in claims] == [
        ("transplant_surgeons", 30),
        ("transplant_staff", 50),
    ]
