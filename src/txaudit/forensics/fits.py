"""Least-squares fits of simple formulas to a series (the descriptive half of formula
conformance).

Time is counted from the series' start: ``t = year - first_year + t0`` with ``t0 = 1``
by default, so the first reported year is year 1 of the programme. With ``t0 = 0`` the
one-parameter quadratic ``y = a t^2`` would predict zero for the first reported year,
which any non-zero first value contradicts by construction.

Goodness of fit follows statsmodels (and spreadsheet trend lines): for forms with an
intercept ``R^2 = 1 - SSR / sum (y - mean y)^2`` (centred); for the form without one,
``y = a t^2``, ``R^2 = 1 - SSR / sum y^2`` (uncentred), since a model that cannot shift
its level is judged against zero, not against the mean. Both are given
(``r_squared_centred`` is always the centred one). With either definition ``SSR`` is at
most the denominator, so ``1 - R^2`` lies in [0, 1] and grows when noise is added; the
calibrated test relies on that (see ``conformance``). The information
criteria use the Gaussian log-likelihood ``llf = -n/2 (log(2 pi) + log(SSR/n) + 1)``,
``AIC = -2 llf + 2k`` and ``BIC = -2 llf + k log n`` with ``k`` the number of
coefficients (statsmodels' convention, which leaves out the variance).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import OptimizeWarning, curve_fit

#: Forms whose coefficients enter linearly: name -> (formula, powers of t used).
LINEAR_FORMS: dict[str, tuple[str, tuple[int, ...]]] = {
    "linear": ("y = b0 + b1 t", (0, 1)),
    "quadratic": ("y = b0 + b1 t + b2 t^2", (0, 1, 2)),
    "quadratic1": ("y = a t^2", (2,)),
    "cubic": ("y = b0 + b1 t + b2 t^2 + b3 t^3", (0, 1, 2, 3)),
}
FORMS: tuple[str, ...] = ("linear", "quadratic", "quadratic1", "cubic", "exponential")


@dataclass
class FitResult:
    """One formula fitted to one series by least squares."""

    form: str
    formula: str
    coefficients: dict[str, float]
    n: int
    k: int
    r_squared: float
    r_squared_centred: float
    one_minus_r2: float
    residual_sd: float
    aic: float
    bic: float
    fitted: np.ndarray
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "formula": self.formula,
            "coefficients": dict(self.coefficients),
            "n": self.n,
            "k": self.k,
            "r_squared": self.r_squared,
            "r_squared_centred": self.r_squared_centred,
            "one_minus_r2": self.one_minus_r2,
            "residual_sd": self.residual_sd,
            "aic": self.aic,
            "bic": self.bic,
            "fitted": self.fitted.tolist(),
            "note": self.note,
        }


def time_index(years: np.ndarray, t0: int = 1) -> np.ndarray:
    """``t = year - first year + t0`` as floats (gaps in years keep their spacing)."""
    years = np.asarray(years, dtype=float)
    return years - years[0] + t0


def design(form: str, t: np.ndarray) -> np.ndarray:
    """The design matrix of a linear form at times ``t`` (one column per power of t)."""
    _, powers = LINEAR_FORMS[form]
    return np.column_stack([t**p for p in powers])


def _summary(
    form: str,
    formula: str,
    coef: dict[str, float],
    y: np.ndarray,
    fitted: np.ndarray,
    k: int,
    intercept: bool = True,
) -> FitResult:
    n = y.size
    resid = y - fitted
    ssr = float(resid @ resid)
    sst = float(((y - y.mean()) ** 2).sum())
    ss0 = float(y @ y)
    r2c = 1.0 - ssr / sst if sst > 0 else float("nan")
    denominator = sst if intercept else ss0
    r2 = 1.0 - ssr / denominator if denominator > 0 else float("nan")
    dof = n - k
    sd = math.sqrt(ssr / dof) if dof > 0 else float("nan")
    if ssr > 0:
        llf = -n / 2 * (math.log(2 * math.pi) + math.log(ssr / n) + 1)
        aic, bic = -2 * llf + 2 * k, -2 * llf + k * math.log(n)
    else:
        aic = bic = float("-inf")
    return FitResult(
        form=form,
        formula=formula,
        coefficients=coef,
        n=n,
        k=k,
        r_squared=r2,
        r_squared_centred=r2c,
        one_minus_r2=ssr / denominator if denominator > 0 else float("nan"),
        residual_sd=sd,
        aic=aic,
        bic=bic,
        fitted=fitted,
    )


def fit_linear_form(form: str, years: np.ndarray, y: np.ndarray, t0: int = 1) -> FitResult:
    """Ordinary least squares of a linear-in-coefficients form (see ``LINEAR_FORMS``)."""
    formula, powers = LINEAR_FORMS[form]
    t = time_index(years, t0)
    x = design(form, t)
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    names = ["a"] if form == "quadratic1" else [f"b{p}" for p in powers]
    coef = {name: float(b) for name, b in zip(names, beta, strict=True)}
    return _summary(form, formula, coef, y, x @ beta, len(powers), intercept=0 in powers)


def fit_exponential(years: np.ndarray, y: np.ndarray, t0: int = 1) -> FitResult | None:
    """``y = b exp(c t)`` by non-linear least squares on the original scale.

    Started from the log-linear fit of the positive values; ``None`` when fewer than
    three values are positive.
    """
    t = time_index(years, t0)
    positive = y > 0
    if positive.sum() < 3:
        return None
    c0, logb0 = np.polyfit(t[positive], np.log(y[positive]), 1)
    note = ""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OptimizeWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            params, _ = curve_fit(
                lambda tt, b, c: b * np.exp(c * tt),
                t,
                y,
                p0=(math.exp(logb0), c0),
                maxfev=5000,
            )
            b, c = float(params[0]), float(params[1])
        except RuntimeError:
            b, c = math.exp(logb0), float(c0)
            note = "non-linear fit did not converge; log-linear fit shown"
    result = _summary("exponential", "y = b exp(c t)", {"b": b, "c": c}, y, b * np.exp(c * t), 2)
    result.note = note
    return result


def fit_all(years: np.ndarray, y: np.ndarray, t0: int = 1) -> dict[str, FitResult]:
    """Every form that has at least one residual degree of freedom for ``len(y)`` points."""
    out: dict[str, FitResult] = {}
    n = y.size
    for form, (_, powers) in LINEAR_FORMS.items():
        if n > len(powers):
            out[form] = fit_linear_form(form, years, y, t0)
    if n > 2:
        exp_fit = fit_exponential(years, y, t0)
        if exp_fit is not None:
            out["exponential"] = exp_fit
    return out


def one_minus_r2_batch(x: np.ndarray, y: np.ndarray, centred: bool | None = None) -> np.ndarray:
    """``1 - R^2`` of the least-squares fit of design ``x`` to each row of ``y``.

    ``R^2`` is centred when ``x`` has a constant column (or ``centred=True``), else
    uncentred, as in :class:`FitResult`. All rows are fitted with one QR factorisation of
    ``x``: the fitted values are the projection ``Y Q Q^T``. Rows whose denominator is
    zero give ``inf`` (no fit can be judged).
    """
    if centred is None:
        centred = bool(np.any(np.all(x == x[:1], axis=0)))
    q, _ = np.linalg.qr(x)
    resid = y - (y @ q) @ q.T
    ssr = np.einsum("ij,ij->i", resid, resid)
    base = y - y.mean(axis=1, keepdims=True) if centred else y
    sst = np.einsum("ij,ij->i", base, base)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(sst > 0, ssr / np.where(sst > 0, sst, 1.0), np.inf)
    return out
