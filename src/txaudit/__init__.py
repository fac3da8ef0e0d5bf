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
}

__all__ = sorted([*_LAZY, "__version__"])


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'txaudit' has no attribute {name!r}")
    return getattr(import_module(module), name)
