"""The evidence package exports exactly its documented public names."""

from __future__ import annotations

import txaudit.evidence as evidence


def test_evidence_all_is_sorted_and_complete() -> None:
    assert evidence.__all__ == sorted(evidence.__all__)
    assert {"Store", "open_store", "init_store", "ImportReport", "VerifyReport",
            "Problem"} == set(evidence.__all__)
    for name in evidence.__all__:
        assert getattr(evidence, name) is not None
