"""Building blocks shared by the estimators: readings, estimator rows, warnings."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from txaudit.errors import TxauditWarning


class EstimationWarning(TxauditWarning):
    """A doubt about the input that does not stop estimation (also kept on the result)."""


@dataclass(frozen=True)
class Note:
    """One recorded warning: a code, a message and where it applies."""

    code: str
    message: str
    hospital_id: str | None = None
    indicator: str | None = None
    observation_id: str | None = None
    year: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "hospital_id": self.hospital_id,
            "indicator": self.indicator,
            "observation_id": self.observation_id,
            "year": self.year,
        }


@dataclass(frozen=True)
class Reading:
    """An observed value read in log space: ``log_value`` plus extra log variance.

    Qualifiers move and widen a value (``more_than`` shifts it up a little); a
    ``range`` uses the midpoint of the logs of low and high, with the variance of
    a uniform distribution over that log interval.
    """

    observation_id: str
    indicator: str
    value: float
    log_value: float
    log_var: float
    year: int | None
    organ: str
    distance: int = 0  # years between the observation and the estimated year


@dataclass
class EstimatorRow:
    """One estimator's answer for one hospital, organ and year, in log space.

    ``log V = log_const + sum(exponent * log(param))  [ - log S(growth) ]``,
    with log-scale variance ``log_var`` around the true volume. ``exponents``
    maps parameter keys to their power (+1 multiplies, -1 divides); ``spread``
    holds ``(first_year, as_of_year, as_of_fraction, growth_key)`` for a
    cumulative claim spread over years.
    """

    hospital_id: str
    organ: str
    year: int
    estimator: str
    log_const: float
    exponents: dict[str, float]
    log_var: float
    observation_ids: tuple[str, ...]
    spread: tuple[int, int, float, str] | None = None
    assumptions: tuple[str, ...] = field(default=())

    def central(self, values: dict[str, float]) -> float:
        """The estimate (volume per year) with parameters fixed at ``values``."""
        log_v = self.log_const + sum(
            power * math.log(values[key]) for key, power in self.exponents.items()
        )
        if self.spread is not None:
            first, last, frac, growth = self.spread
            log_v -= math.log(spread_sum(first, last, frac, self.year, values[growth]))
        return math.exp(log_v)


def spread_sum(first: int, last: int, last_fraction: float, year: int, growth: float) -> float:
    """Sum of relative yearly volumes over a cumulative window.

    With volume in year ``t`` proportional to ``(1 + growth) ** (t - year)``, the
    cumulative count over ``first``..``last`` (the last year counted for
    ``last_fraction`` of a year) equals the volume of ``year`` times this sum.
    Example: 2010-2012 whole, no growth: 3.0; 2010-2012 with 2012 half-counted: 2.5.
    """
    total = 0.0
    for t in range(first, last + 1):
        share = last_fraction if t == last else 1.0
        total += share * (1.0 + growth) ** (t - year)
    return total
