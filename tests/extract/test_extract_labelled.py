"""Precision and recall on the shipped labelled sentences, per language.

The set (``txaudit/extract/labelled/sentences.jsonl``) holds hospital-website style
sentences written for txaudit, Chinese (simplified and traditional) and English,
with the claims a careful reader would record, and hard negatives (phone numbers,
founding years, outpatient visits, whole-hospital staff, other departments' beds,
survival rates, non-organ transplants, foreign-currency prices). A claim matches
when indicator, organ, value, low, high and qualifier agree.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from importlib import resources
from typing import Any

import pytest
from extract_scoring import report_score

from txaudit.extract.evaluation import LABELLED_RESOURCE
from txaudit.vocabulary import INDICATORS, ORGANS, QUALIFIERS


def _load() -> list[dict[str, Any]]:
    path = resources.files("txaudit.extract").joinpath(LABELLED_RESOURCE)
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


RECORDS = _load()


def test_labelled_set_is_large_enough_and_balanced() -> None:
    langs = Counter(r["lang"] for r in RECORDS)
    assert len(RECORDS) >= 150
    assert langs["zh"] >= 75 and langs["en"] >= 75
    negatives = Counter(r["lang"] for r in RECORDS if not r["claims"])
    assert negatives["zh"] >= 20 and negatives["en"] >= 20
    marks = "[腎臟萬億兩餘醫該張週個實現計積總來數約術療費]"
    traditional = [r for r in RECORDS if re.search(marks, r["text"])]
    assert len(traditional) >= 10


def test_labelled_claims_use_the_vocabulary_and_canonical_units() -> None:
    ids = [r["id"] for r in RECORDS]
    assert len(ids) == len(set(ids))
    for record in RECORDS:
        for claim in record["claims"]:
            assert claim["indicator"] in INDICATORS, record["id"]
            assert claim["organ"] in ORGANS, record["id"]
            assert claim["qualifier"] in QUALIFIERS, record["id"]
            assert claim["unit"] == INDICATORS[claim["indicator"]].unit, record["id"]
            assert (claim["low"] is None) == (claim["qualifier"] != "range"), record["id"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_extractor_precision_and_recall_hold_on_the_labelled_set(lang: str) -> None:
    result = report_score("labelled", RECORDS, lang)
    assert result.precision >= 0.90
    assert result.recall >= 0.85
