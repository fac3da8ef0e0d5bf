"""Shared by the labelled-set tests: load a labelled JSON Lines resource, score and print it."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from txaudit.extract.evaluation import score


def load_records(resource: str) -> list[dict[str, Any]]:
    """The records of a labelled set shipped inside ``txaudit.extract``."""
    path = resources.files("txaudit.extract").joinpath(resource)
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def report_score(name: str, records: list[dict[str, Any]], lang: str) -> Any:
    """Score ``records`` of one language and print precision, recall and every miss/extra."""
    result = score(r for r in records if r["lang"] == lang)[lang]
    print(
        f"\n{name} {lang}: precision {result.precision:.3f}, recall {result.recall:.3f} "
        f"(tp {result.true_positive}, fp {result.false_positive}, "
        f"fn {result.false_negative}); periods agree on {result.period_accuracy:.3f}"
    )
    for record_id, claim in result.misses:
        print(f"  missed {record_id}: {claim['indicator']} {claim['organ']} {claim['value']}")
    for record_id, claim in result.extras:
        print(f"  extra  {record_id}: {claim['indicator']} {claim['organ']} {claim['value']}")
    return result
