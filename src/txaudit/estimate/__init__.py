"""Estimation: per-hospital and national transplant volumes with honest uncertainty.

Pure computation (numpy, scipy, pandas, SALib): frames and a model in, result
objects out. :func:`load_model` is the one function that reads a file (a model
file, or the packaged default model).
"""

from __future__ import annotations

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
