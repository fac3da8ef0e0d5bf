"""Chinese hospital names say whether a seed source carries them."""

from __future__ import annotations

import csv
from importlib import resources

NOTE = "name_zh supplied by the maintainers"


def _read(name: str) -> list[dict[str, str]]:
    path = resources.files("txaudit") / "data" / name
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_chinese_names_not_in_any_seed_are_marked_for_verification() -> None:
    seen: set[str] = set()
    for seed in ("hospital-observations.csv", "hospital-observations-2.csv",
                 "approved-hospitals.csv"):
        for row in _read(f"seed/{seed}"):
            seen.update(v for k, v in row.items() if k in ("hospital_zh", "name_zh") and v)
    hospitals = _read("bundled/hospitals.csv")
    with_zh = [h for h in hospitals if h["name_zh"]]
    assert with_zh, "the bundled hospitals should carry Chinese names"
    for h in with_zh:
        marked = NOTE in (h["note"] or "")
        assert marked == (h["name_zh"] not in seen), h["hospital_id"]
    # both kinds occur, so the check above is not vacuous
    assert any(NOTE in (h["note"] or "") for h in with_zh)
    assert any(NOTE not in (h["note"] or "") for h in with_zh)
