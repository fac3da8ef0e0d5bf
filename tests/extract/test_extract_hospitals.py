"""HospitalMatcher: names and aliases in Chinese and English, exact and fuzzy."""

from __future__ import annotations

import pandas as pd
import pytest

from txaudit.errors import InputError
from txaudit.extract import HospitalMatcher, extract_claims, normalise_name


@pytest.fixture()
def matcher() -> HospitalMatcher:
    hospitals = pd.DataFrame(
        {
            "hospital_id": ["h-zzu1", "h-sysu1", "h-tj1", "h-renji"],
            "name_en": [
                "First Affiliated Hospital of Zhengzhou University",
                "The First Affiliated Hospital, Sun Yat-sen University",
                "Tianjin First Central Hospital",
                "Renji Hospital",
            ],
            "name_zh": [
                "郑州大学第一附属医院", "中山大学附属第一医院", "天津市第一中心医院", "仁济医院",
            ],  # fmt: skip
        }
    )
    aliases = pd.DataFrame(
        {"hospital_id": ["h-zzu1", "h-tj1"], "alias": ["郑大一附院", "东方器官移植中心"],
         "lang": ["zh", "zh"]}
    )  # fmt: skip
    return HospitalMatcher(hospitals, aliases)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("第一附属医院", "附属第一医院"),
        ("第一附属医院", "附一院"),
        ("第一附属医院", "一附院"),
        ("第二附属医院", "附二院"),
        ("附属第三医院", "第三附院"),
        ("中山大學附屬第一醫院", "中山大学附属第一医院"),
        ("The First Affiliated Hospital of X University", "first affiliated hospital, x univ."),
        ("No. 1 People's Hospital", "First Peoples Hospital"),
    ],
)
def test_normalise_name_brings_common_variants_together(a: str, b: str) -> None:
    assert normalise_name(a) == normalise_name(b)


def test_normalise_name_keeps_different_ordinals_apart() -> None:
    assert normalise_name("第一附属医院") != normalise_name("第二附属医院")


@pytest.mark.parametrize(
    ("text", "hospital_id"),
    [
        ("郑州大学第一附属医院肝移植中心", "h-zzu1"),
        ("郑州大学附属第一医院", "h-zzu1"),
        ("郑州大学附一院", "h-zzu1"),
        ("据郑大一附院消息", "h-zzu1"),  # an alias from the aliases frame
        ("中山大学第一附属医院器官移植中心", "h-sysu1"),
        ("中山大學附屬第一醫院", "h-sysu1"),
        ("天津第一中心医院", "h-tj1"),  # fuzzy: 市 dropped
        ("东方器官移植中心", "h-tj1"),
        ("Zhengzhou University First Affiliated Hospital", "h-zzu1"),  # word order differs
        ("The First Affiliated Hospital of Sun Yat-sen Univ.", "h-sysu1"),
        ("Tianjin First Centre Hospital performed", "h-tj1"),  # fuzzy spelling
    ],
)
def test_matcher_finds_hospitals_by_name_alias_and_variant(
    matcher: HospitalMatcher, text: str, hospital_id: str
) -> None:
    assert [m.hospital_id for m in matcher.find(text)] == [hospital_id]


@pytest.mark.parametrize(
    "text",
    ["广州医科大学附属第一医院", "First Affiliated Hospital of Anhui Medical University",
     "我院肾移植中心", "Peking Union Medical College Hospital"],
)  # fmt: skip
def test_matcher_does_not_match_other_hospitals(matcher: HospitalMatcher, text: str) -> None:
    assert matcher.find(text) == []


def test_matcher_refuses_a_frame_without_the_needed_columns() -> None:
    with pytest.raises(InputError, match="name_zh"):
        HospitalMatcher(pd.DataFrame({"hospital_id": ["x"], "name_en": ["X Hospital"]}))


def test_a_name_shared_by_two_hospitals_matches_neither() -> None:
    hospitals = pd.DataFrame(
        {"hospital_id": ["a", "b"], "name_en": ["People's Hospital", "People's Hospital"],
         "name_zh": ["甲医院", "乙医院"]}
    )  # fmt: skip
    assert HospitalMatcher(hospitals).find("People's Hospital") == []


def test_claims_take_the_hospital_named_in_their_sentence(matcher: HospitalMatcher) -> None:
    text = "郑州大学第一附属医院2005年完成肝移植126例。中山大学附一院去年完成肝移植300例。"
    claims = extract_claims(text, matcher=matcher, document_date="2015-06-30")
    assert [c.hospital for c in claims] == ["h-zzu1", "h-sysu1"]


def test_claims_take_the_nearest_hospital_before_them(matcher: HospitalMatcher) -> None:
    text = "郑州大学第一附属医院完成肝移植126例，仁济医院完成肝移植300例。"
    claims = extract_claims(text, matcher=matcher)
    assert [(c.hospital, int(c.value)) for c in claims] == [("h-zzu1", 126), ("h-renji", 300)]


def test_page_hospital_applies_when_a_sentence_names_none(matcher: HospitalMatcher) -> None:
    text = "我院累计完成肾移植3000例。仁济医院累计完成肝移植500例。"
    claims = extract_claims(text, matcher=matcher, page_hospital_id="h-tj1")
    assert [c.hospital for c in claims] == ["h-tj1", "h-renji"]


def test_our_hospital_refers_back_to_the_last_named_one(matcher: HospitalMatcher) -> None:
    text = "郑州大学第一附属医院肝移植中心简介。该院累计完成肝移植1000例。"
    claims = extract_claims(text, matcher=matcher)
    assert [c.hospital for c in claims] == ["h-zzu1"]


def test_without_a_name_or_page_hospital_the_claim_has_no_hospital() -> None:
    assert extract_claims("某医院累计完成肾移植3000例。")[0].hospital is None
