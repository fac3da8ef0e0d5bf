"""txaudit: audit transplant volumes when official figures are disputed.

The public Python API, for notebooks and scripts. Heavy parts are imported on
first use, so ``import txaudit`` stays quick.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("txaudit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

# public name -> module that defines it
_LAZY: dict[str, str] = {
    "open_store": "txaudit.evidence",
    "init_store": "txaudit.evidence",
    "Store": "txaudit.evidence",
    "estimate": "txaudit.estimate",
    "load_model": "txaudit.estimate",
    "Estimate": "txaudit.estimate",
    "Finding": "txaudit.forensics",
    "run_forensics": "txaudit.forensics",
    "extract_claims": "txaudit.extract",
    "parse_number": "txaudit.extract",
    "Claim": "txaudit.extract",
    "HospitalMatcher": "txaudit.extract",
    "sensitivity": "txaudit.estimate.engine",
    "calibrate": "txaudit.estimate.calibration",
    "build_report": "txaudit.report",
    "run_audit": "txaudit.audit",
}
# names whose attribute in the defining module differs from the public name
_RENAMED: dict[str, str] = {"run_forensics": "run_all"}

__all__ = sorted([*_LAZY, "__version__"])


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'txaudit' has no attribute {name!r}")
    return getattr(import_module(module), _RENAMED.get(name, name))
