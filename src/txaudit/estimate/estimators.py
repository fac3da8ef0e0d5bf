"""The estimators: each turns one kind of evidence into a hospital's yearly volume.

Each estimator is a small class with

* ``name`` and ``requires`` (the indicators it needs; ``optional`` ones it uses
  when reported, else a model parameter);
* ``formula(...)``: the point formula on plain numbers, with a hand-calculated
  example in its docstring (the tests check these examples);
* ``build(ctx)``: the same formula in log space for the Monte Carlo engine,
  returning an :class:`~txaudit.estimate.base.EstimatorRow` that remembers the
  observation ids and the assumption (parameter) keys it used, or ``None`` when
  the hospital lacks the evidence.

Evidence recorded for organ ``all`` is split by the ``organ_mix`` parameter when
the quantity is a count (beds, claims, revenue...), and used as is when it is a
rate (occupancy, length of stay, price).
"""

from __future__ import annotations

import math
from typing import Protocol

from txaudit.estimate.base import EstimatorRow, Reading

DAYS_PER_YEAR = 365.0


class Context(Protocol):
    """What an estimator may ask about one hospital, organ and year."""

    hospital_id: str
    organ: str
    year: int
    programme_start: int

    def reading(
        self, indicator: str, extensive: bool = True
    ) -> tuple[Reading, dict[str, float]] | None:
        """Nearest usable observation, and exponents to add (organ_mix for 'all')."""
        ...

    def param(self, name: str, indicator: str, observation_id: str | None) -> str:
        """Key of the model parameter ``name`` for this hospital (raises if missing)."""
        ...

    def log_sd(self, estimator: str) -> float:
        """Log-scale spread the model gives this estimator."""
        ...


def _row(
    ctx: Context,
    name: str,
    readings: list[Reading],
    exponents: dict[str, float],
    const: float = 0.0,
    spread: tuple[int, int, float, str] | None = None,
) -> EstimatorRow:
    log_var = ctx.log_sd(name) ** 2 + sum(r.log_var for r in readings)
    return EstimatorRow(
        hospital_id=ctx.hospital_id,
        organ=ctx.organ,
        year=ctx.year,
        estimator=name,
        log_const=const + sum(r.log_value for r in readings),
        exponents=exponents,
        log_var=log_var,
        observation_ids=tuple(r.observation_id for r in readings),
        spread=spread,
        assumptions=tuple(sorted(exponents)) + ((spread[3],) if spread else ()),
    )


def _merge(*parts: dict[str, float]) -> dict[str, float]:
    out: dict[str, float] = {}
    for part in parts:
        for key, power in part.items():
            out[key] = out.get(key, 0.0) + power
    return {k: v for k, v in out.items() if v != 0.0}


class BedThroughput:
    """Bed throughput: ``V = beds x occupancy x 365 / length_of_stay x transplant_share``.

    Example: 120 transplant beds at 105% occupancy with a 21-day stay and a ward
    used only for transplants: 120 x 1.05 x 365 / 21 x 1.0 = 2,190 a year.
    Occupancy and length of stay come from the hospital's own report when there
    is one, else from the model's ``bed_occupancy`` / ``length_of_stay`` priors.
    """

    name = "bed_throughput"
    requires = ("transplant_beds",)
    optional = ("bed_occupancy", "avg_length_of_stay")

    @staticmethod
    def formula(beds: float, occupancy: float, length_of_stay: float, share: float) -> float:
        return beds * occupancy * DAYS_PER_YEAR / length_of_stay * share

    def build(self, ctx: Context) -> EstimatorRow | None:
        found = ctx.reading("transplant_beds")
        if found is None:
            return None
        beds, mix = found
        readings, exps = [beds], [mix]
        occ = ctx.reading("bed_occupancy", extensive=False)
        if occ is not None:
            readings.append(occ[0])
        else:
            exps.append({ctx.param("bed_occupancy", "transplant_beds", beds.observation_id): 1.0})
        los = ctx.reading("avg_length_of_stay", extensive=False)
        if los is not None:
            readings.append(los[0])
            # a stay divides: flip the sign of its log
            los_r = los[0]
            readings[-1] = Reading(
                los_r.observation_id, los_r.indicator, los_r.value, -los_r.log_value,
                los_r.log_var, los_r.year, los_r.organ, los_r.distance,
            )
        else:
            exps.append({ctx.param("length_of_stay", "transplant_beds", beds.observation_id): -1.0})
        exps.append(
            {ctx.param("ward_transplant_share", "transplant_beds", beds.observation_id): 1.0}
        )
        return _row(ctx, self.name, readings, _merge(*exps), math.log(DAYS_PER_YEAR))


class WardCensus:
    """Ward census: ``V = census x 365 / length_of_stay x transplant_share``.

    Example: 70 patients usually in the ward, a 14-day stay, half of the ward's
    bed-days transplant patients: 70 x 365 / 14 x 0.5 = 912.5 a year.
    """

    name = "ward_census"
    requires = ("ward_census",)
    optional = ("avg_length_of_stay",)

    @staticmethod
    def formula(census: float, length_of_stay: float, share: float) -> float:
        return census * DAYS_PER_YEAR / length_of_stay * share

    def build(self, ctx: Context) -> EstimatorRow | None:
        found = ctx.reading("ward_census")
        if found is None:
            return None
        census, mix = found
        readings, exps = [census], [mix]
        los = ctx.reading("avg_length_of_stay", extensive=False)
        if los is not None:
            r = los[0]
            readings.append(
                Reading(r.observation_id, r.indicator, r.value, -r.log_value, r.log_var,
                        r.year, r.organ, r.distance)
            )
        else:
            exps.append({ctx.param("length_of_stay", "ward_census", census.observation_id): -1.0})
        exps.append({ctx.param("ward_transplant_share", "ward_census", census.observation_id): 1.0})
        return _row(ctx, self.name, readings, _merge(*exps), math.log(DAYS_PER_YEAR))


class Admissions:
    """Admissions: ``V = admissions per year x share of admissions that are transplants``.

    Example: Soochow's 130 admissions a month (1,560 a year) with a share of 0.4:
    1,560 x 0.4 = 624 a year.
    """

    name = "admissions"
    requires = ("admissions",)
    optional = ()

    @staticmethod
    def formula(admissions: float, share: float) -> float:
        return admissions * share

    def build(self, ctx: Context) -> EstimatorRow | None:
        found = ctx.reading("admissions")
        if found is None:
            return None
        adm, mix = found
        share = ctx.param("admission_transplant_share", "admissions", adm.observation_id)
        return _row(ctx, self.name, [adm], _merge(mix, {share: 1.0}))


class ClaimedAnnual:
    """Claimed annual volume: ``V = claim / claim_inflation``.

    ``claim_inflation`` is claimed ÷ actual (1 = claims are accurate on average).
    Example: a claim of 2,000 a year with inflation 1.25: 2,000 / 1.25 = 1,600.
    """

    name = "claimed_annual"
    requires = ("transplants_annual",)
    optional = ()

    @staticmethod
    def formula(claim: float, inflation: float) -> float:
        return claim / inflation

    def build(self, ctx: Context) -> EstimatorRow | None:
        found = ctx.reading("transplants_annual")
        if found is None:
            return None
        claim, mix = found
        infl = ctx.param("claim_inflation", "transplants_annual", claim.observation_id)
        return _row(ctx, self.name, [claim], _merge(mix, {infl: -1.0}))


class ClaimedCumulative:
    """Claimed cumulative volume spread over the years it covers.

    ``V_Y = claim / inflation / S``, ``S = sum_t f_t (1 + g)^(t - Y)`` over the
    years ``t`` from ``max(since_year, programme_start)`` to the as-of year, where
    ``f_t`` is 1 for whole years and the elapsed fraction for the as-of year, and
    ``g`` is the ``cumulative_growth`` assumption (the growth profile).
    Example: 3,000 transplants 2010 to end-2014 (five whole years), no growth,
    no inflation: 3,000 / 5 = 600 a year in any of those years.
    """

    name = "claimed_cumulative"
    requires = ("transplants_cumulative",)
    optional = ()

    @staticmethod
    def formula(
        claim: float, inflation: float, first: int, last: int, last_fraction: float,
        year: int, growth: float,
    ) -> float:
        from txaudit.estimate.base import spread_sum

        return claim / inflation / spread_sum(first, last, last_fraction, year, growth)

    def build(self, ctx: Context) -> EstimatorRow | None:
        found = ctx.reading("transplants_cumulative")
        if found is None:
            return None
        claim, mix = found
        span = getattr(ctx, "spans", {}).get(claim.observation_id)
        if span is None:
            return None
        first, last, frac = span
        infl = ctx.param("claim_inflation", "transplants_cumulative", claim.observation_id)
        growth = ctx.param("cumulative_growth", "transplants_cumulative", claim.observation_id)
        return _row(
            ctx, self.name, [claim], _merge(mix, {infl: -1.0}), spread=(first, last, frac, growth)
        )


class SurgeonCapacity:
    """Surgeon capacity: ``V = transplant surgeons x operations per surgeon-year``.

    Example: 8 surgeons at 40 operations a year each: 8 x 40 = 320 a year.
    """

    name = "surgeon_capacity"
    requires = ("transplant_surgeons",)
    optional = ()

    @staticmethod
    def formula(surgeons: float, ops_per_surgeon_year: float) -> float:
        return surgeons * ops_per_surgeon_year

    def build(self, ctx: Context) -> EstimatorRow | None:
        found = ctx.reading("transplant_surgeons")
        if found is None:
            return None
        surgeons, mix = found
        ops = ctx.param("ops_per_surgeon_year", "transplant_surgeons", surgeons.observation_id)
        return _row(ctx, self.name, [surgeons], _merge(mix, {ops: 1.0}))


class Revenue:
    """Revenue ÷ price: ``V = transplant revenue per year / price per transplant``.

    Example (methodology notes E6): 230 M RMB / 300,000 RMB = 766.7 a year.
    The price is the hospital's own ``transplant_price`` when reported, else the
    model's ``transplant_price`` prior for the organ.
    """

    name = "revenue"
    requires = ("transplant_revenue",)
    optional = ("transplant_price",)

    @staticmethod
    def formula(revenue: float, price: float) -> float:
        return revenue / price

    def build(self, ctx: Context) -> EstimatorRow | None:
        found = ctx.reading("transplant_revenue")
        if found is None:
            return None
        revenue, mix = found
        readings, exps = [revenue], [mix]
        price = ctx.reading("transplant_price", extensive=False)
        if price is not None:
            r = price[0]
            readings.append(
                Reading(r.observation_id, r.indicator, r.value, -r.log_value, r.log_var,
                        r.year, r.organ, r.distance)
            )
        else:
            exps.append(
                {ctx.param("transplant_price", "transplant_revenue", revenue.observation_id): -1.0}
            )
        return _row(ctx, self.name, readings, _merge(*exps))


class MinCapacity:
    """Minimum capacity per approved centre: ``V = min_capacity x organ_mix``.

    Applies to hospitals in the model's ``approved`` universe group only.
    Example: 430 a year per centre, kidney share 0.628: 430 x 0.628 = 270.04.
    """

    name = "min_capacity"
    requires = ()
    optional = ()

    @staticmethod
    def formula(min_capacity: float, organ_share: float) -> float:
        return min_capacity * organ_share

    def build(self, ctx: Context) -> EstimatorRow | None:
        if not getattr(ctx, "approved", False):
            return None
        cap = ctx.param("min_capacity", "approved_hospitals", None)
        mix = ctx.param("organ_mix", "approved_hospitals", None)
        return _row(ctx, self.name, [], {cap: 1.0, mix: 1.0})


#: All estimators in the order they are tried.
ESTIMATORS: tuple[
    BedThroughput | WardCensus | Admissions | ClaimedAnnual | ClaimedCumulative
    | SurgeonCapacity | Revenue | MinCapacity, ...
] = (
    BedThroughput(),
    WardCensus(),
    Admissions(),
    ClaimedAnnual(),
    ClaimedCumulative(),
    SurgeonCapacity(),
    Revenue(),
    MinCapacity(),
)


def peak_day_bound(peak_per_day: float, days_per_year: float) -> float:
    """Upper bound from a peak-day feat: ``peak per day x days per year``.

    Example: 12 kidney transplants in one night, every day of a 365-day year:
    12 x 365 = 4,380 a year at most. A bound only, never an estimate.
    """
    return peak_per_day * days_per_year
