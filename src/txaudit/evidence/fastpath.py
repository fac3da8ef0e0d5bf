"""A fast path for validating observation rows during large imports.

:func:`txaudit.evidence.validate.check_observation` handles every input shape and
explains every error; calling its helpers field by field costs most of an import's time.
The function made here checks a CSV record in one pass with local lookups, accepts only
the plain, valid case, and returns ``None`` for anything else — the importer then runs the
full check, which either accepts the row (same result) or raises the precise error. So the
fast path changes speed, never results (a property test holds it to that).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from txaudit import vocabulary as V
from txaudit.evidence.canonical import dec_text
from txaudit.evidence.validate import _DATE, _ID, _SHA, Context

_FREE = ("source_locator", "cited_url", "cited_locator", "original_text", "note",
         "supersedes", "reviewer", "claim_id")


def _dec(s: str) -> Decimal | None:
    try:
        d = Decimal(s)
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


#: a plain decimal in ASCII digits without leading zeros: its canonical text is found by
#: trimming the fraction, with no Decimal arithmetic (the slow part of ``dec_text``)
_PLAIN = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?\Z").match


def _num(s: str) -> tuple[Decimal, str] | None:
    """``(value, canonical text)`` of a decimal, the same text as ``dec_text``; else None."""
    if _PLAIN(s) is None:
        d = _dec(s)
        return None if d is None else (d, dec_text(d))
    t = s
    if "." in t:
        t = t.rstrip("0").removesuffix(".")
    if t == "-0":
        t = "0"
    return Decimal(s), t


def make_fast_observation(header: Sequence[str],
                          ctx: Context) -> Callable[[list[str]], dict[str, Any] | None]:
    """A checker for records laid out as ``header``; ``None`` means "use the full check"."""
    pos = {name: i for i, name in enumerate(header)}
    i_id, i_scope, i_hosp, i_region = (pos[c] for c in ("observation_id", "scope",
                                                         "hospital_id", "region"))
    i_ind, i_organ, i_year, i_since, i_asof = (pos[c] for c in ("indicator", "organ", "year",
                                                                "since_year", "as_of"))
    i_val, i_low, i_high, i_qual, i_unit, i_grade, i_sha = (pos[c] for c in (
        "value", "low", "high", "qualifier", "unit", "grade", "source_sha256"))
    free = [(name, pos.get(name)) for name in _FREE]
    indicators, organs, qualifiers, grades = V.INDICATORS, V.ORGANS, V.QUALIFIERS, V.GRADES
    hospitals, sources = ctx.hospitals, ctx.sources
    id_match, date_match, sha_match = _ID.match, _DATE.match, _SHA.match

    def year(s: str) -> int | None | bool:
        if not s:
            return None
        if s.isdigit() and s.isascii():
            y = int(s)
            if 1900 <= y <= 2100:
                return y
        return False

    def check(rec: list[str]) -> dict[str, Any] | None:
        oid = rec[i_id].strip()
        scope = rec[i_scope].strip()
        if not id_match(oid) or scope not in V.SCOPES:
            return None
        hosp = rec[i_hosp].strip() or None
        region = rec[i_region].strip() or None
        if hosp is not None and hosp not in hospitals:
            return None
        if (scope == "hospital" and hosp is None) or (scope != "hospital" and region is None):
            return None
        ind = indicators.get(rec[i_ind].strip())
        organ = rec[i_organ].strip()
        if ind is None or organ not in organs:
            return None
        y, since = year(rec[i_year].strip()), year(rec[i_since].strip())
        if y is False or since is False:
            return None
        as_of = rec[i_asof].strip() or None
        if as_of is not None and not date_match(as_of):
            return None
        num = _num(rec[i_val].strip())
        if num is None:
            return None
        value, value_text = num
        s_low, s_high = rec[i_low].strip(), rec[i_high].strip()
        low = high = low_text = high_text = None
        if s_low:
            num = _num(s_low)
            if num is None:
                return None
            low, low_text = num
        if s_high:
            num = _num(s_high)
            if num is None:
                return None
            high, high_text = num
        qualifier = rec[i_qual].strip() or "exact"
        if qualifier not in qualifiers:
            return None
        if qualifier == "range" and (low is None or high is None):
            return None
        lo_bound, hi_bound = ind.minimum, ind.maximum
        for d in (value, low, high):
            if d is not None and (d < lo_bound or (hi_bound is not None and d > hi_bound)):
                return None
        if low is not None and (value < low or (high is not None and low > high)):
            return None
        if high is not None and value > high:
            return None
        unit = rec[i_unit].strip() or ind.unit
        grade = rec[i_grade].strip()
        if unit != ind.unit or grade not in grades:
            return None
        sha = rec[i_sha].strip().lower() or None
        if sha is not None and (not sha_match(sha) or sha not in sources):
            return None
        out: dict[str, Any] = {
            "observation_id": oid, "scope": scope, "hospital_id": hosp, "region": region,
            "indicator": ind.name, "organ": organ, "year": y, "since_year": since,
            "as_of": as_of, "value": value_text, "low": low_text, "high": high_text,
            "qualifier": qualifier, "unit": unit, "grade": grade, "source_sha256": sha,
        }
        for name, i in free:
            out[name] = None if i is None else (rec[i].strip() or None)
        return out

    return check
