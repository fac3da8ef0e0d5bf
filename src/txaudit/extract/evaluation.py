"""Scoring the extractor against a labelled set: precision and recall per language.

A predicted claim matches a labelled one when indicator, organ, value, low, high
and qualifier all agree (values compared as Decimals); each labelled claim can be
matched once. Periods are scored separately (share of matched claims whose period
agrees), because a wrong period is a reviewer's fix, not a missed claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from txaudit.extract.claims import extract_claims

_KEYS = ("indicator", "organ", "value", "low", "high", "qualifier")


@dataclass
class Score:
    """Counts for one language; ``misses`` and ``extras`` list what went wrong."""

    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    period_agree: int = 0
    misses: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    extras: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positive + self.false_negative
        return self.true_positive / expected if expected else 1.0

    @property
    def period_accuracy(self) -> float:
        return self.period_agree / self.true_positive if self.true_positive else 1.0


#: where the labelled set ships, relative to the ``txaudit.extract`` package; tests and
#: the benchmark read it (``importlib.resources``), this module only scores records
LABELLED_RESOURCE = "labelled/sentences.jsonl"
#: sentences written after the rules, in other phrasing, to measure how they generalise:
#: ``heldout.jsonl`` was scored untuned, then used to find failure categories;
#: ``heldout2.jsonl`` was written afterwards, scored untuned, then also used;
#: ``heldout3.jsonl`` was written last and no rule was changed after scoring it
HELDOUT_RESOURCES = (
    "labelled/heldout.jsonl",
    "labelled/heldout2.jsonl",
    "labelled/heldout3.jsonl",
)


def _key(claim: Mapping[str, Any]) -> tuple[Any, ...]:
    def dec(value: Any) -> Decimal | None:
        return None if value is None else Decimal(str(value)).normalize()

    return (
        claim["indicator"],
        claim["organ"],
        dec(claim["value"]),
        dec(claim["low"]),
        dec(claim["high"]),
        claim["qualifier"],
    )


def score(records: Iterable[Mapping[str, Any]]) -> dict[str, Score]:
    """Run :func:`extract_claims` over each record and score it, per language."""
    scores: dict[str, Score] = {}
    for record in records:
        result = scores.setdefault(record["lang"], Score())
        options = record.get("options", {})
        # "context" is the text before the sentence on its page (e.g. the sentence
        # naming the transplant unit that "the center" refers to); only claims in
        # the sentence itself count
        context = record.get("context", "")
        offset = len(context) + 1 if context else 0
        text = f"{context}\n{record['text']}" if context else record["text"]
        predicted = [
            c.to_dict()
            for c in extract_claims(
                text,
                document_date=record.get("document_date"),
                include_hospital_beds=bool(options.get("include_hospital_beds", False)),
            )
            if c.span[0] >= offset
        ]
        expected = list(record["claims"])
        for claim in predicted:
            match = next((e for e in expected if _key(e) == _key(claim)), None)
            if match is None:
                result.false_positive += 1
                result.extras.append((record["id"], claim))
                continue
            expected.remove(match)
            result.true_positive += 1
            if match["period"] == claim["period"]:
                result.period_agree += 1
        for missed in expected:
            result.false_negative += 1
            result.misses.append((record["id"], dict(missed)))
    return scores
