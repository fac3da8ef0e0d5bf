"""Row validation against the controlled vocabulary, shared by import and the write API.

Each ``check_<table>`` takes one raw row (CSV text or Python values) and returns the
values to store: text stripped (empty -> ``None``), integers as ``int``, decimals as
normalised text, booleans as ``bool``. A bad value raises :class:`InputError` naming the
field; the importer adds the file and line.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from txaudit import vocabulary as V
from txaudit.errors import InputError
from txaudit.evidence.canonical import dec_text, parse_decimal

CATEGORIES: tuple[str, ...] = ("military", "civilian", "regional", "unapproved", "unknown")
CLAIM_STATUSES: tuple[str, ...] = ("proposed", "accepted", "rejected", "edited")

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


class IdSet(Protocol):
    """What validation needs of a set of ids (a ``set``, or a view that asks the store)."""

    def __contains__(self, value: object, /) -> bool: ...

    def add(self, value: str, /) -> None: ...


@dataclass
class Context:
    """Ids a row may refer to: those in the store plus those earlier in the same import."""

    hospitals: IdSet = field(default_factory=lambda: set[str]())
    sources: IdSet = field(default_factory=lambda: set[str]())


Row = Mapping[str, Any]


def _bad(field_name: str, message: str, hint: str | None = None) -> InputError:
    return InputError(message, field=field_name, hint=hint)


def text(row: Row, name: str, *, required: bool = False) -> str | None:
    """The stripped text of ``row[name]``; ``None`` when empty."""
    value = row.get(name)
    if value is None:
        out = None
    else:
        out = (value if type(value) is str else str(value)).strip() or None
    if required and out is None:
        raise _bad(name, "is required but empty")
    return out


def integer(row: Row, name: str, *, required: bool = False, lo: int | None = None,
            hi: int | None = None) -> int | None:
    """An integer field (``"2015"``, ``2015`` or ``2015.0``)."""
    raw = row.get(name)
    if type(raw) is str and raw.isdigit() and raw.isascii():
        value_fast = int(raw)
        if (lo is None or value_fast >= lo) and (hi is None or value_fast <= hi):
            return value_fast
    if isinstance(raw, bool):
        raise _bad(name, f"{raw!r} is not a whole number")
    if isinstance(raw, int):
        value: int | None = raw
    else:
        s = text(row, name, required=required)
        if s is None:
            return None
        try:
            d = parse_decimal(s)
        except ValueError:
            raise _bad(name, f"{s!r} is not a whole number") from None
        if d != d.to_integral_value():
            raise _bad(name, f"{s!r} is not a whole number")
        value = int(d)
    if value is not None:
        if lo is not None and value < lo:
            raise _bad(name, f"{value} is below {lo}")
        if hi is not None and value > hi:
            raise _bad(name, f"{value} is above {hi}")
    return value


def decimal(row: Row, name: str, *, required: bool = False) -> Decimal | None:
    """A decimal field; floats go through ``repr`` so 0.4 stays 0.4."""
    raw = row.get(name)
    if isinstance(raw, bool):
        raise _bad(name, f"{raw!r} is not a number")
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise _bad(name, f"{raw} is not a finite number")
        return raw
    if isinstance(raw, int | float):
        raw = repr(raw)
    s = text({name: raw}, name, required=required)
    if s is None:
        return None
    try:
        return parse_decimal(s)
    except ValueError:
        hint = None
        if s.endswith("%"):
            hint = "write a fraction without %, e.g. 130% as 1.3"
        elif "," in s:
            hint = "write numbers without thousands separators"
        raise _bad(name, f"{s!r} is not a number", hint) from None


def choice(row: Row, name: str, options: Any, *, required: bool = False,
           default: str | None = None) -> str | None:
    """A value from the vocabulary; suggests the nearest name when unknown."""
    raw = row.get(name)
    if type(raw) is str and raw in options:
        return raw
    s = text(row, name)
    if s is None:
        if default is not None:
            return default
        if required:
            raise _bad(name, "is required but empty")
        return None
    if s not in options:
        names = list(options)
        close = difflib.get_close_matches(s, names, n=1)
        hint = f"did you mean {close[0]!r}?" if close else "one of: " + ", ".join(names)
        raise _bad(name, f"unknown {name} {s!r}", hint)
    return s


def _sha(row: Row, name: str, known: IdSet | None, *, required: bool = False) -> str | None:
    s = text(row, name, required=required)
    if s is None:
        return None
    s = s.lower()
    if not _SHA.match(s):
        raise _bad(name, f"{s!r} is not a sha256 (64 hex digits)")
    if known is not None and s not in known:
        raise _bad(name, f"source {s[:12]}… is not in the store",
                   "add the source first (sources.csv or add_source)")
    return s


def _ident(row: Row, name: str) -> str:
    s = text(row, name, required=True)
    assert s is not None
    if not _ID.match(s):
        raise _bad(name, f"{s!r} is not a valid id",
                   "use letters, digits, '.', '_', ':' or '-', starting with a letter or digit")
    return s


def _hospital_ref(row: Row, ctx: Context, *, required: bool) -> str | None:
    s = text(row, "hospital_id", required=required)
    if s is not None and s not in ctx.hospitals:
        raise _bad("hospital_id", f"unknown hospital id {s!r}",
                   "add it to hospitals.csv first, or check the spelling")
    return s


def _date(row: Row, name: str) -> str | None:
    s = text(row, name)
    if s is not None and not _DATE.match(s):
        raise _bad(name, f"{s!r} is not an ISO date", "write YYYY-MM-DD, YYYY-MM or YYYY")
    return s


def _year(row: Row, name: str, *, required: bool = False) -> int | None:
    return integer(row, name, required=required, lo=1900, hi=2100)


def _bounded(ind: V.Indicator, name: str, value: Decimal | None) -> str | None:
    if value is None:
        return None
    if value < ind.minimum:
        raise _bad(name, f"{dec_text(value)} is below the minimum {ind.minimum} of "
                         f"{ind.name}", ind.hint or None)
    if ind.maximum is not None and value > ind.maximum:
        raise _bad(name, f"{dec_text(value)} is above the maximum {ind.maximum} of "
                         f"{ind.name}", ind.hint or None)
    return dec_text(value)


def _unit(row: Row, ind: V.Indicator) -> str:
    s = text(row, "unit")
    if s is None:
        return ind.unit
    if s != ind.unit:
        raise _bad("unit", f"unit {s!r} does not match {ind.name}",
                   f"{ind.name} is stored in {ind.unit!r}; convert the value")
    return s


def _value_block(row: Row, ind: V.Indicator | None, *, value_required: bool) -> dict[str, Any]:
    """value/low/high/qualifier with bounds and range rules."""
    value = decimal(row, "value", required=value_required)
    low = decimal(row, "low")
    high = decimal(row, "high")
    qualifier = choice(row, "qualifier", V.QUALIFIERS, default="exact")
    if qualifier == "range" and (low is None or high is None):
        raise _bad("low" if low is None else "high", "a range needs both low and high")
    if low is not None and high is not None and low > high:
        raise _bad("low", f"low {dec_text(low)} is above high {dec_text(high)}")
    if value is not None:
        if low is not None and value < low:
            raise _bad("value", f"value {dec_text(value)} is below low {dec_text(low)}")
        if high is not None and value > high:
            raise _bad("value", f"value {dec_text(value)} is above high {dec_text(high)}")
    if ind is not None:
        return {
            "value": _bounded(ind, "value", value),
            "low": _bounded(ind, "low", low),
            "high": _bounded(ind, "high", high),
            "qualifier": qualifier,
        }
    return {
        "value": None if value is None else dec_text(value),
        "low": None if low is None else dec_text(low),
        "high": None if high is None else dec_text(high),
        "qualifier": qualifier,
    }


def check_observation(row: Row, ctx: Context) -> dict[str, Any]:
    """Validate an observation (without ``status``)."""
    out: dict[str, Any] = {"observation_id": _ident(row, "observation_id")}
    scope = choice(row, "scope", V.SCOPES, required=True)
    out["scope"] = scope
    out["hospital_id"] = _hospital_ref(row, ctx, required=scope == "hospital")
    out["region"] = text(row, "region", required=scope != "hospital")
    name = choice(row, "indicator", V.INDICATORS, required=True)
    assert name is not None
    ind = V.INDICATORS[name]
    out["indicator"] = name
    out["organ"] = choice(row, "organ", V.ORGANS, required=True)
    out["year"] = _year(row, "year")
    out["since_year"] = _year(row, "since_year")
    out["as_of"] = _date(row, "as_of")
    # A cumulative count should carry as_of/since_year, but sources sometimes give none
    # ("by the 1980s"); the row is still evidence, and estimators skip undated counts.
    out.update(_value_block(row, ind, value_required=True))
    out["unit"] = _unit(row, ind)
    out["grade"] = choice(row, "grade", V.GRADES, required=True)
    out["source_sha256"] = _sha(row, "source_sha256", ctx.sources)
    get = row.get
    for name_ in _OBS_FREE:
        v = get(name_)
        out[name_] = (v.strip() or None) if type(v) is str else text(row, name_)
    return out


_OBS_FREE = ("source_locator", "cited_url", "cited_locator", "original_text", "note",
             "supersedes", "reviewer", "claim_id")


def check_hospital(row: Row, ctx: Context) -> dict[str, Any]:
    """Validate a hospital."""
    out: dict[str, Any] = {"hospital_id": _ident(row, "hospital_id")}
    out["name_en"] = text(row, "name_en", required=True)
    for name in ("name_zh", "province", "city", "tier", "note"):
        out[name] = text(row, name)
    mil = text(row, "military")
    if mil is None:
        out["military"] = None
    elif mil.lower() in ("true", "1", "yes"):
        out["military"] = True
    elif mil.lower() in ("false", "0", "no"):
        out["military"] = False
    else:
        raise _bad("military", f"{mil!r} is not true or false")
    out["category"] = choice(row, "category", CATEGORIES, default="unknown")
    organs = text(row, "approved_organs")
    if organs is not None:
        parts = [p.strip() for p in organs.split(";") if p.strip()]
        for p in parts:
            choice({"approved_organs": p}, "approved_organs", V.ORGANS)
        organs = ";".join(parts) or None
    out["approved_organs"] = organs
    out["approved_year"] = _year(row, "approved_year")
    return out


def check_alias(row: Row, ctx: Context) -> dict[str, Any]:
    """Validate a hospital alias."""
    hid = _hospital_ref(row, ctx, required=True)
    alias = text(row, "alias", required=True)
    lang = text(row, "lang", required=True)
    assert lang is not None
    if not _LANG.match(lang):
        raise _bad("lang", f"{lang!r} is not a language tag", "use e.g. 'zh' or 'en'")
    return {"hospital_id": hid, "alias": alias, "lang": lang}


def check_source(row: Row, ctx: Context) -> dict[str, Any]:
    """Validate a source's metadata (the bytes are checked by the caller)."""
    out: dict[str, Any] = {"sha256": _sha(row, "sha256", None, required=True)}
    out["byte_length"] = integer(row, "byte_length", required=True, lo=0)
    out["http_status"] = integer(row, "http_status", lo=100, hi=599)
    headers = text(row, "http_headers")
    if headers is not None:
        try:
            parsed = json.loads(headers)
        except json.JSONDecodeError:
            raise _bad("http_headers", "is not JSON text") from None
        if not isinstance(parsed, dict):
            raise _bad("http_headers", "must be a JSON object")
    out["http_headers"] = headers
    retrieved = text(row, "retrieved_at")
    if retrieved is not None:
        try:
            datetime.fromisoformat(retrieved)
        except ValueError:
            raise _bad("retrieved_at", f"{retrieved!r} is not an ISO 8601 timestamp",
                       "write e.g. 2024-05-01T12:00:00Z") from None
    out["retrieved_at"] = retrieved
    for name in ("media_type", "url", "archive_url", "warc_record_id", "warc_payload_digest",
                 "charset", "title", "collector", "tool_version"):
        out[name] = text(row, name)
    lang = text(row, "lang")
    # a document may mix languages: "en;zh"
    if lang is not None and not all(_LANG.match(part) for part in lang.split(";")):
        raise _bad("lang", f"{lang!r} is not a language tag",
                   "use e.g. 'zh', 'en', or 'en;zh' for a document in both")
    out["lang"] = lang
    out["parent_sha256"] = _sha(row, "parent_sha256", ctx.sources)
    return out


def check_official_figure(row: Row, ctx: Context) -> dict[str, Any]:
    """Validate an official figure."""
    out: dict[str, Any] = {"figure_id": _ident(row, "figure_id")}
    out["series"] = text(row, "series", required=True)
    out["publisher"] = text(row, "publisher")
    out["country"] = text(row, "country", required=True)
    out["region"] = text(row, "region")
    out["year"] = _year(row, "year", required=True)
    out["organ"] = choice(row, "organ", V.ORGANS, required=True)
    name = choice(row, "indicator", V.INDICATORS, required=True)
    assert name is not None
    ind = V.INDICATORS[name]
    out["indicator"] = name
    out["value"] = _bounded(ind, "value", decimal(row, "value", required=True))
    out["unit"] = _unit(row, ind)
    out["source_sha256"] = _sha(row, "source_sha256", ctx.sources)
    for name_ in ("source_locator", "cited_url", "cited_locator", "note"):
        out[name_] = text(row, name_)
    return out


def check_reference_figure(row: Row, ctx: Context) -> dict[str, Any]:
    """Validate a reference figure (indicator optional, unit free when it is empty)."""
    out: dict[str, Any] = {"figure_id": _ident(row, "figure_id")}
    out["topic"] = text(row, "topic", required=True)
    out["entity"] = text(row, "entity")
    name = choice(row, "indicator", V.INDICATORS)
    ind = V.INDICATORS[name] if name else None
    out["indicator"] = name
    out["description"] = text(row, "description")
    out["organ"] = choice(row, "organ", V.ORGANS)
    block = _value_block(row, ind, value_required=False)
    if block["value"] is None and block["low"] is None and block["high"] is None:
        raise _bad("value", "a reference figure needs a value, or low and high")
    if text(row, "qualifier") is None:
        block["qualifier"] = None
    out.update(block)
    out["unit"] = _unit(row, ind) if ind else text(row, "unit")
    out["period"] = text(row, "period")
    out["grade"] = choice(row, "grade", V.GRADES)
    out["source_sha256"] = _sha(row, "source_sha256", ctx.sources)
    for name_ in ("source_locator", "cited_url", "cited_locator", "original_text", "note"):
        out[name_] = text(row, name_)
    return out


def check_claim(row: Row, ctx: Context) -> dict[str, Any]:
    """Validate an extracted claim (a proposal awaiting review)."""
    out: dict[str, Any] = {"source_sha256": _sha(row, "source_sha256", ctx.sources,
                                                 required=True)}
    name = choice(row, "indicator", V.INDICATORS, required=True)
    assert name is not None
    ind = V.INDICATORS[name]
    out["indicator"] = name
    out["organ"] = choice(row, "organ", V.ORGANS, default="all")
    out.update(_value_block(row, ind, value_required=False))
    out["unit"] = _unit(row, ind)
    out["year"] = _year(row, "year")
    out["since_year"] = _year(row, "since_year")
    out["as_of"] = _date(row, "as_of")
    out["hospital_id"] = _hospital_ref(row, ctx, required=False)
    out["lang"] = text(row, "lang")
    out["text"] = text(row, "text")
    out["span_start"] = integer(row, "span_start", lo=0)
    out["span_end"] = integer(row, "span_end", lo=0)
    out["extractor_version"] = text(row, "extractor_version")
    return out


CHECKS: dict[str, Callable[[Row, Context], dict[str, Any]]] = {
    "sources": check_source,
    "hospitals": check_hospital,
    "hospital_aliases": check_alias,
    "observations": check_observation,
    "official_figures": check_official_figure,
    "reference_figures": check_reference_figure,
}
