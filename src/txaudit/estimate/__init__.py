"""Estimation: per-hospital and national transplant volumes with honest uncertainty.

Pure computation (numpy, scipy, pandas, SALib): frames and a model in, result
objects out. :func:`load_model` is the one function that reads a file (a model
file, or the packaged default model).
"""

from __future__ import annotations

import sys as _sys
import types as _types
from typing import Any as _Any

from txaudit.estimate.base import EstimationWarning, EstimatorRow, Note
from txaudit.estimate.distributions import Distribution
from txaudit.estimate.engine import estimate, estimate_frames
from txaudit.estimate.estimators import ESTIMATORS
from txaudit.estimate.model import Model, Parameter, load_model, parse_model, parse_model_text
from txaudit.estimate.result import Estimate

__all__ = [
    "ESTIMATORS",
    "Distribution",
    "Estimate",
    "EstimationWarning",
    "EstimatorRow",
    "Model",
    "Note",
    "Parameter",
    "estimate",
    "estimate_frames",
    "load_model",
    "parse_model",
    "parse_model_text",
]


class _CallableModule(_types.ModuleType):
    """Lets ``txaudit.estimate(store, model)`` work although ``estimate`` is a package."""

    def __call__(self, store: _Any, model: Model | None = None, **kwargs: _Any) -> Estimate:
        return estimate(store, model, **kwargs)


_sys.modules[__name__].__class__ = _CallableModule
