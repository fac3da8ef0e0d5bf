"""The report as data: the same content as the HTML, for other tools.

Intervals are written as ``[low, high]`` lists keyed by level, as in the
estimate's own JSON. Stage timings are included only when the report is not
reproducible, because they change from run to run.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from txaudit.report.model import Interval, ReportData

#: Version of the JSON layout; bump when a key changes meaning or disappears.
FORMAT_VERSION = 1


def _plain(obj: Any) -> Any:
    if isinstance(obj, Interval):
        return [obj.low, obj.high]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    return obj


def report_to_dict(data: ReportData) -> dict[str, Any]:
    """The report's content as plain JSON-ready values."""
    out: dict[str, Any] = {"format_version": FORMAT_VERSION}
    out.update(_plain(data))
    if data.stamp.generated_at is None:
        out.pop("timings", None)
    return out


def render_json(data: ReportData) -> str:
    """The report's content as indented JSON text (keys in a fixed order, UTF-8 kept)."""
    return json.dumps(report_to_dict(data), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
