"""Counter monitoring on hand-made snapshot series."""

from __future__ import annotations

import pandas as pd
import pytest

from txaudit.errors import InputError
from txaudit.forensics import counter_monitoring


def _snapshots() -> pd.DataFrame:
    dates = pd.date_range("2024-01-01", periods=12, freq="7D")
    values = [100_000 + 703 * i + (i % 3) * 11 for i in range(12)]
    return pd.DataFrame({"date": dates, "value": values})


def test_a_regular_counter_raises_no_flag() -> None:
    findings = {f.test: f for f in counter_monitoring(_snapshots())}
    assert not any(f.flagged for f in findings.values())
    assert findings["counter_cadence"].statistic == pytest.approx(1.0)


def test_an_exact_25000_jump_in_a_day_is_flagged() -> None:
    snaps = _snapshots()
    extra = pd.DataFrame({"date": [snaps["date"].iloc[-1] + pd.Timedelta(days=1)],
                          "value": [snaps["value"].iloc[-1] + 25_000]})
    findings = {f.test: f for f in counter_monitoring(pd.concat([snaps, extra]))}
    assert findings["counter_round_jumps"].flagged
    assert "+25,000" in findings["counter_round_jumps"].verdict
    assert findings["counter_rate_jumps"].flagged


def test_decreases_and_long_gaps_are_flagged() -> None:
    snaps = _snapshots()
    snaps.loc[5, "value"] = snaps.loc[4, "value"] - 50
    snaps.loc[11, "date"] = snaps.loc[10, "date"] + pd.Timedelta(days=60)
    findings = {f.test: f for f in counter_monitoring(snaps)}
    assert findings["counter_decreases"].flagged
    assert findings["counter_cadence"].flagged


def test_bad_snapshot_dates_are_input_errors() -> None:
    with pytest.raises(InputError, match="not a valid date"):
        counter_monitoring([("2024-01-01", 1), ("yesterday", 2), ("2024-01-09", 3)])
    with pytest.raises(InputError, match="two different values"):
        counter_monitoring([("2024-01-01", 1), ("2024-01-01", 2), ("2024-01-09", 3)])


def test_too_few_snapshots_skip_each_check() -> None:
    findings = counter_monitoring([("2024-01-01", 1), ("2024-01-02", 2)])
    assert all(f.skipped for f in findings) and len(findings) == 4
