"""Parsers for raw value cells and period cells, exact (Decimal) throughout.

A value cell holds one number with an optional qualifier ("over 130%", "~150",
"nearly 1000", "70+", "60000-100000"), several numbers split by " / " (one per
indicator named in the cell's indicator text), or a dated series
("316 (2010); 393 (2012)", "13 (2004) -> 23 (Oct 2004)", "1998: 9; 1999: 24").
Anything that is not one of these forms raises ``ValueError``; the build then
reports the seed line instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}

_NUM = r"\d[\d,]*(?:\.\d+)?"
#: Prefix words and signs, longest first; each maps to a vocabulary qualifier.
_PREFIXES: tuple[tuple[str, str], ...] = (
    (">=", "at_least"),
    ("≥", "at_least"),
    ("at least ", "at_least"),
    ("more than ", "more_than"),
    ("over ", "more_than"),
    (">", "more_than"),
    ("less than ", "less_than"),
    ("under ", "less_than"),
    ("<", "less_than"),
    ("close to ", "nearly"),
    ("nearly ", "nearly"),
    ("almost ", "nearly"),
    ("about ", "approx"),
    ("approx. ", "approx"),
    ("around ", "approx"),
    ("~", "approx"),
)


@dataclass(frozen=True)
class Value:
    """One parsed number: central value, bounds for ranges, qualifier, and the text it came from.

    ``percent`` records that the text carried a ``%`` sign; callers turn it into a
    fraction where the indicator is a fraction (bed occupancy).
    """

    value: Decimal
    qualifier: str = "exact"
    low: Decimal | None = None
    high: Decimal | None = None
    percent: bool = False
    text: str = ""

    def scaled(self, factor: Decimal) -> Value:
        """The same value multiplied by ``factor`` (units, per-cent to fraction)."""
        return Value(
            self.value * factor,
            self.qualifier,
            None if self.low is None else self.low * factor,
            None if self.high is None else self.high * factor,
            self.percent,
            self.text,
        )


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def parse_number(text: str) -> Value:
    """Parse one qualified number or range.

    >>> parse_number("over 130%").value, parse_number("over 130%").qualifier
    (Decimal('130'), 'more_than')
    >>> parse_number("90%-131.1%").low, parse_number("90%-131.1%").high
    (Decimal('90'), Decimal('131.1'))
    """
    raw = text
    t = text.strip().lower()
    # A trailing comment in parentheses ("110 (2 wards)") is not part of the number.
    t = re.sub(r"\s*\((?!\d{4}\))[^()]*\)\s*$", "", t).strip()
    t = re.sub(r"\s+per year$", "", t)
    qualifier = "exact"
    for prefix, qual in _PREFIXES:
        if t.startswith(prefix):
            qualifier = qual
            t = t[len(prefix) :].strip()
            break
    percent = "%" in t
    t = t.replace("%", "").strip()
    if m := re.fullmatch(rf"({_NUM})\s*(?:-|–|to)\s*({_NUM})", t):
        low, high = _number(m.group(1)), _number(m.group(2))
        if low > high:
            raise ValueError(f"range low above high in {raw!r}")
        return Value((low + high) / 2, "range", low, high, percent, raw)
    if m := re.fullmatch(rf"({_NUM})\s*\+", t):
        return Value(_number(m.group(1)), "at_least", percent=percent, text=raw)
    if m := re.fullmatch(rf"({_NUM})-odd", t):
        return Value(_number(m.group(1)), "more_than", percent=percent, text=raw)
    if m := re.fullmatch(_NUM, t):
        return Value(_number(m.group(0)), qualifier, percent=percent, text=raw)
    raise ValueError(f"not a number: {raw!r}")


def split_parts(text: str) -> list[str]:
    """Split a "/"-separated cell ("31 / 10", "1/2/3") into parts, ignoring slashes in comments."""
    depth = 0
    parts: list[str] = []
    current = ""
    i = 0
    while i < len(text):
        ch = text[i]
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and ch == "/":
            parts.append(current.strip())
            current = ""
            i += 1
            continue
        current += ch
        i += 1
    parts.append(current.strip())
    return parts


@dataclass(frozen=True)
class Period:
    """When a value holds: a year, a since-year and an as-of date (reduced ISO 8601)."""

    year: int | None = None
    since_year: int | None = None
    as_of: str | None = None
    snapshot: bool = False  # the date is a web-snapshot date ("c.2015"), not a measured year
    text: str = ""


def parse_date(text: str) -> tuple[str, bool] | None:
    """A reduced-precision ISO date ("2015", "2004-10", "2006-04-28") from a date phrase.

    Returns the date and whether it was approximate ("c.2015"); ``None`` when the
    phrase is not a single date.
    """
    t = text.strip().lower().rstrip(".")
    approx = False
    if t.startswith("c."):
        approx = True
        t = t[2:].strip()
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t):
        return t, approx
    if m := re.fullmatch(r"(\d{4})-(\d{2})", t):
        return t, approx
    if m := re.fullmatch(r"(\d{4})", t):
        return t, approx
    if m := re.fullmatch(r"([a-z]+)\.? (\d{4})", t):
        month = MONTHS.get(m.group(1))
        if month is not None:
            return f"{m.group(2)}-{month:02d}", approx
    return None


def parse_period(text: str) -> Period:
    """Parse a year_or_period cell.

    Single years give ``year``; "c.2015" gives ``as_of`` with ``snapshot`` set;
    "by/to/as of <date>" gives ``as_of``; "1999-2015" or "2001-c.2015" gives
    ``since_year`` and ``as_of``; full dates give both ``year`` and ``as_of``.
    Unrecognised phrases give an empty period (the text stays in the note).
    """
    raw = text
    t = re.sub(r"\s*\([^()]*\)\s*$", "", text.strip())
    if not t:
        return Period(text=raw)
    date = parse_date(t)
    if date is not None:
        iso, approx = date
        if approx:
            return Period(as_of=iso, snapshot=True, text=raw)
        if len(iso) == 4:
            return Period(year=int(iso), text=raw)
        return Period(year=int(iso[:4]), as_of=iso, text=raw)
    lower = t.lower()
    if m := re.fullmatch(r"(?:by|to|as of|until|end of)\s+(.+)", lower):
        inner = parse_date(m.group(1))
        if inner is not None:
            return Period(as_of=inner[0], snapshot=inner[1], text=raw)
    for sep in (" to ", "-", "–"):
        if sep not in lower:
            continue
        for i in [m.start() for m in re.finditer(re.escape(sep), lower)]:
            first, second = parse_date(lower[:i]), parse_date(lower[i + len(sep) :])
            if first is not None and second is not None:
                return Period(
                    since_year=int(first[0][:4]), as_of=second[0], snapshot=second[1], text=raw
                )
    return Period(text=raw)


_SERIES_ITEM_YEAR_FIRST = re.compile(r"^(\d{4})\s*:\s*(.+)$")
_SERIES_ITEM_DATE_AFTER = re.compile(r"^(.+?)\s*\(([^()]+)\)$")


def is_series(text: str) -> bool:
    """True when a cell lists dated values ("316 (2010); 393 (2012)", "120 -> 500+")."""
    return "->" in text or ";" in text


def parse_series(text: str) -> list[tuple[Value, str | None, str]]:
    """Split a dated series into (value, date phrase or None, item text) triples."""
    items = [p.strip() for p in re.split(r";|->", text) if p.strip()]
    out: list[tuple[Value, str | None, str]] = []
    for item in items:
        if m := _SERIES_ITEM_YEAR_FIRST.match(item):
            out.append((parse_number(m.group(2)), m.group(1), item))
            continue
        body, date_text = item, None
        if m := _SERIES_ITEM_DATE_AFTER.match(item):
            body, date_text = m.group(1), m.group(2)
        if body.lower().endswith(" to date"):
            body, date_text = body[: -len(" to date")], date_text or "to date"
        out.append((parse_number(body), date_text, item))
    return out
