"""Precision and recall on held-out sentences, written after the rules were fitted.

``labelled/heldout.jsonl`` (133 sentences: 69 Chinese, 16 of them in traditional script;
64 English; 44 hard negatives) was written in phrasing unlike the shipped set (hospital
pages, news, biographies, annual summaries, recruitment ads, price lists) and scored
before any rule changed. Untuned: Chinese P 0.855 / R 0.914, English P 0.745 / R 0.788.
The rules were then generalised by failure category (dates without a year, ages,
fractions, whole-hospital subjects in an earlier clause, foreign currencies, census and
admission wording, year ranges, shared units with two qualifiers ...), not per sentence.

``labelled/heldout2.jsonl`` (46 sentences, 16 negatives) was written after that work;
its first, untuned score is the generalisation estimate: Chinese P 0.947 / R 0.947,
English P 0.923 / R 0.750. A few categories found there were fixed afterwards, so its
current score is no longer an estimate; the floor asserted on it stays loose.

``labelled/heldout3.jsonl`` (40 sentences, 14 negatives) was written last and no rule
was changed after it was scored: Chinese P 0.923 / R 0.857, English P 0.812 / R 0.812.
Its floor is loose too; expect figures like these on phrasing the rules have not met.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from extract_scoring import load_records, report_score

from txaudit.extract.evaluation import HELDOUT_RESOURCES, LABELLED_RESOURCE
from txaudit.vocabulary import INDICATORS, ORGANS, QUALIFIERS

HELDOUT, HELDOUT2, HELDOUT3 = (load_records(resource) for resource in HELDOUT_RESOURCES)
SHIPPED = load_records(LABELLED_RESOURCE)
TRADITIONAL = re.compile("[腎臟萬億兩餘醫該張週個實現計積總來數約術療費歲於擁設際積]")


def test_heldout_sets_are_large_balanced_and_hard() -> None:
    langs = Counter(r["lang"] for r in HELDOUT)
    assert langs["zh"] >= 60 and langs["en"] >= 60
    assert sum(1 for r in HELDOUT if r["lang"] == "zh" and TRADITIONAL.search(r["text"])) >= 10
    assert sum(1 for r in HELDOUT if not r["claims"]) >= 0.25 * len(HELDOUT)
    for later in (HELDOUT2, HELDOUT3):
        assert len(later) >= 40
        assert sum(1 for r in later if not r["claims"]) >= 0.25 * len(later)


def test_heldout_sentences_are_new_and_use_the_vocabulary() -> None:
    shipped = {r["text"] for r in SHIPPED}
    seen: set[str] = set()
    for record in HELDOUT + HELDOUT2 + HELDOUT3:
        assert record["text"] not in shipped, record["id"]
        assert record["id"] not in seen
        seen.add(record["id"])
        for claim in record["claims"]:
            assert claim["indicator"] in INDICATORS, record["id"]
            assert claim["organ"] in ORGANS, record["id"]
            assert claim["qualifier"] in QUALIFIERS, record["id"]
            assert claim["unit"] == INDICATORS[claim["indicator"]].unit, record["id"]
            assert (claim["low"] is None) == (claim["qualifier"] != "range"), record["id"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_extractor_holds_its_floor_on_the_first_heldout_set(lang: str) -> None:
    # after tuning on failure categories (untuned: zh 0.855 / 0.914, en 0.745 / 0.788)
    result = report_score("heldout", HELDOUT, lang)
    assert result.precision >= 0.95
    assert result.recall >= 0.95


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_extractor_keeps_a_loose_floor_on_the_second_heldout_set(lang: str) -> None:
    # untuned estimate: zh 0.947 / 0.947, en 0.923 / 0.750; the floor is deliberately loose
    result = report_score("heldout2", HELDOUT2, lang)
    assert result.precision >= 0.75
    assert result.recall >= 0.75


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_extractor_keeps_a_loose_floor_on_the_untouched_third_set(lang: str) -> None:
    # no rule was changed after this set was scored: zh 0.923 / 0.857, en 0.812 / 0.812
    result = report_score("heldout3", HELDOUT3, lang)
    assert result.precision >= 0.75
    assert result.recall >= 0.75
