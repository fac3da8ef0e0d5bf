"""The bundled dataset (built by scripts/build_dataset.py) loads through ``init``."""

from __future__ import annotations

from pathlib import Path

import pytest

from txaudit.evidence import init_store
from txaudit.evidence.store import bundled_package

pytestmark = pytest.mark.skipif(not bundled_package().is_file(),
                                reason="bundled dataset not built (src/txaudit/data/bundled)")


@pytest.mark.slow
def test_init_loads_the_bundled_dataset_and_it_verifies(tmp_path: Path) -> None:
    store = init_store(tmp_path / "bundled.db")
    summary = store.summary()
    assert summary["hospitals"] >= 90
    assert summary["observations"] >= 250
    assert summary["official_figures"] > 0
    assert summary["every_observation_has_cited_url"]
    assert store.verify().ok
    imports = store.ledger().query("action == 'import'")
    assert len(imports) == 1 and '"bundled":true' in imports.iloc[0]["detail"]
    store.close()
