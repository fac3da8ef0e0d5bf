"""Failure categories found on held-out text, each pinned by a sentence of its own.

The sentences here are not in any labelled set: each checks that a rule covers its
category, not one remembered sentence.
"""

from __future__ import annotations

import pytest

from txaudit.extract import extract_claims


def _claims(text: str) -> list[tuple[str, str, str, str]]:
    return [
        (c.indicator, c.organ, str(c.value), c.qualifier)
        for c in extract_claims(text, document_date="2016-03-15")
    ]


@pytest.mark.parametrize(
    "text",
    [
        # a day of a month without its year, ages and fractions count nothing
        "The kidney transplant clinic reopens on June 12 after 3 weeks of works.",
        "She received a liver transplant at age 12.",
        "患者李某，45岁，去年接受了肾移植。",
        "肝移植患者中男性约占四分之三。",
        # the subject named in the first clause owns a clause without one
        "本院始建于1950年，现有职工3200人，肾移植为重点专科。",
        "The orthopaedic ward, beside the transplant unit, has 70 beds.",
        # currencies other than yuan, grants for other purposes, adverts
        "肾移植费用约新台币八十万元。",
        "A provincial grant of 2 million yuan built the hospital's new eye clinic, "
        "near the transplant centre.",
        "The kidney transplant unit is hiring 3 surgeons.",
        # one typical operation is not a count
        "一例肾移植手术一般需要4小时左右。",
    ],
)
def test_hard_negatives_give_no_claim(text: str) -> None:
    assert _claims(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Between 2008 and 2012, surgeons there did 640 liver transplants.",
            [("transplants_cumulative", "liver", "640", "exact")],
        ),
        (
            "On one single day the unit completed five kidney transplants.",
            [("transplants_peak_day", "kidney", "5", "exact")],
        ),
        (
            "Two simultaneous liver transplants were carried out on May 8.",
            [("concurrent_operations", "liver", "2", "exact")],
        ),
        (
            "A heart transplant costs between RMB 300,000 and 400,000.",
            [("transplant_price", "heart", "350000", "range")],
        ),
        (
            "About 900 kidney and nearly 300 liver transplants were done here.",
            [
                ("transplants_cumulative", "kidney", "900", "approx"),
                ("transplants_cumulative", "liver", "300", "nearly"),
            ],
        ),
        (
            "Recipients are kept on the ward for 20 days on average after a lung transplant.",
            [("avg_length_of_stay", "lung", "20", "exact")],
        ),
        (
            "Every year the unit treats 700 transplant patients.",
            [("admissions", "all", "700", "exact")],
        ),
        (
            "The centre's 9 surgeons perform liver transplants only.",
            [("transplant_surgeons", "liver", "9", "exact")],
        ),
        (
            "肺移植手術費用約需人民幣三十萬元。",
            [("transplant_price", "lung", "300000", "approx")],
        ),
        (
            "2012年度，该院共计完成肝移植88例。",
            [("transplants_annual", "liver", "88", "exact")],
        ),
        (
            "Bed occupancy on the kidney transplant ward was 110 per cent last year.",
            [("bed_occupancy", "kidney", "1.1", "exact")],
        ),
    ],
)
def test_generalised_rules_read_new_phrasing(
    text: str, expected: list[tuple[str, str, str, str]]
) -> None:
    assert _claims(text) == expected
