"""The controlled vocabulary: indicators, units, organs, qualifiers and grades.

This is the one place the vocabulary is defined. Every other module (the store's
validation, the importers, the extractor, the estimators) reads it from here, so
that a new indicator is added deliberately, once, with its unit and a sanity range.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Indicator:
    """One kind of measurement an observation can hold.

    ``unit`` is the canonical unit values are stored in. ``minimum`` and
    ``maximum`` bound plausible values; importers reject values outside them and
    ``hint`` tells the user the likely mistake (e.g. a percentage given as 40
    instead of 0.40).
    """

    name: str
    unit: str
    description: str
    minimum: Decimal = Decimal(0)
    maximum: Decimal | None = None
    hint: str = ""
    #: cumulative indicators need a since-year and an as-of date instead of a year
    cumulative: bool = False


_PERCENT_HINT = "fractions are stored as 1.30 for 130%; divide a percentage by 100"

INDICATORS: dict[str, Indicator] = {
    i.name: i
    for i in [
        Indicator("transplants_annual", "count/year", "transplants performed in one year"),
        Indicator(
            "transplants_cumulative",
            "count",
            "transplants performed since a year, as of a date",
            cumulative=True,
        ),
        Indicator("transplants_peak_day", "count/day", "most transplants done in one day or night"),
        Indicator("transplant_beds", "beds", "beds in a transplant ward or department"),
        Indicator("hospital_beds", "beds", "beds in the whole hospital"),
        Indicator(
            "department_beds",
            "beds",
            "beds of the department that performs transplants (urology, hepatobiliary...), "
            "shared with non-transplant patients",
        ),
        Indicator(
            "bed_occupancy",
            "fraction",
            "bed occupancy (utilisation) as a fraction, 1.3 = 130%",
            maximum=Decimal(5),
            hint=_PERCENT_HINT,
        ),
        Indicator(
            "avg_length_of_stay",
            "days",
            "mean length of stay per admission",
            maximum=Decimal(365),
        ),
        Indicator("ward_census", "patients", "patients usually in the ward at one time"),
        Indicator("admissions", "count/year", "admissions to the ward in one year"),
        Indicator("transplant_surgeons", "persons", "surgeons who perform transplants"),
        Indicator("transplant_staff", "persons", "staff of the transplant department"),
        Indicator("operating_rooms", "rooms", "operating rooms available for transplants"),
        Indicator("waiting_time", "days", "advertised or reported waiting time for an organ"),
        Indicator("transplant_price", "CNY", "price or fee charged per transplant"),
        Indicator("transplant_revenue", "CNY/year", "revenue from transplants in one year"),
        Indicator("state_funding", "CNY", "state funding granted"),
        Indicator("deceased_donors", "count/year", "deceased organ donors in one year"),
        Indicator("registered_donors", "count", "people registered as willing donors"),
        Indicator(
            "concurrent_operations",
            "count",
            "transplant operations run at the same time (a capacity feat, upper bound only)",
        ),
        Indicator("population", "persons", "resident population of a country or province"),
        Indicator(
            "approved_hospitals",
            "count",
            "hospitals approved to perform transplants",
        ),
    ]
}

ORGANS: tuple[str, ...] = ("kidney", "liver", "heart", "lung", "pancreas", "intestine", "all")

QUALIFIERS: tuple[str, ...] = (
    "exact",
    "approx",
    "more_than",
    "at_least",
    "less_than",
    "nearly",
    "range",
)

#: Reliability grades of an observation; docs/reference/evidence-grades.md explains each.
GRADES: dict[str, str] = {
    "A": "official statistic or audited figure published by the body that produced it",
    "B": "the hospital's or surgeon's own statement, read in the original document",
    "C": "the hospital's own claim relayed by a secondary source (report, advocacy group, press)",
    "D": "a figure derived by arithmetic or reading while compiling (INFERRED), or hedged/oral",
}

#: Observation statuses. Observations are never updated or deleted: a revision
#: marks its predecessor ``superseded``; a retraction marks it ``retracted``.
STATUSES: tuple[str, ...] = ("current", "superseded", "retracted")

#: Scope of an observation: one hospital, a province, or a whole country.
SCOPES: tuple[str, ...] = ("hospital", "province", "nation")


def unit_of(indicator: str) -> str:
    """Canonical unit of ``indicator``; raises ``KeyError`` for unknown names."""
    return INDICATORS[indicator].unit
