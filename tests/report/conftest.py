"""Fixtures of the report tests."""

from __future__ import annotations

import pytest
from report_fixtures import make_report

from txaudit.report.model import ReportData


@pytest.fixture
def report_data() -> ReportData:
    return make_report()
