"""The period a claim refers to: a year, or a since-year and an as-of date.

Read from one normalised sentence. Relative years (去年, last year, 前年, this year)
resolve against the document date the caller passes (usually the capture date of
the archived page); without a document date they stay unknown (``None``) rather
than guessed.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from txaudit.errors import InputError
from txaudit.extract import lexicon as lx
from txaudit.extract.numbers import parse_number

_CLAUSE = re.compile(r"[，,；;。]")
_FOUR_DIGITS = re.compile(r"(?:19|20)\d{2}")
#: a sentence without any of these holds no period expression at all
_ANY_PERIOD = re.compile(
    r"(?:19|20)\d{2}|年|year|至今|迄今|目前|to date|so far|until now|thus far|up to now"
)


@dataclass(frozen=True)
class Period:
    """``year`` for annual figures; ``since`` and ``as_of`` (ISO date) for cumulative ones."""

    year: int | None = None
    since: int | None = None
    as_of: str | None = None

    def to_dict(self) -> dict[str, int | str | None]:
        return {"year": self.year, "since": self.since, "as_of": self.as_of}


@dataclass(frozen=True)
class SentencePeriods:
    """Every period expression of one sentence, with positions, read once."""

    years: tuple[tuple[int, int], ...]  # (position, year): plain years, relative resolved
    since: int | None
    as_of: str | None
    to_date: bool
    founding: int | None


def _year(text: str) -> int:
    return int(parse_number(text).value)


def _end_of(year: int, month: int | None) -> str:
    month = month or 12
    return date(year, month, calendar.monthrange(year, month)[1]).isoformat()


def read_periods(sentence: str, document_date: date | None) -> SentencePeriods:
    """Collect years, since-years, as-of dates and relative years in ``sentence``."""
    if not _ANY_PERIOD.search(sentence):
        return SentencePeriods(years=(), since=None, as_of=None, to_date=False, founding=None)
    consumed: set[int] = set()
    since: int | None = None
    as_of: str | None = None
    founding: int | None = None
    # substring tests (fast, in C) decide which of the patterns can match at all
    has_year = bool(_FOUR_DIGITS.search(sentence))
    has_nian = "年" in sentence
    if "以来" in sentence or "至今" in sentence or "起" in sentence:
        for match in lx.SINCE_ZH.finditer(sentence):
            since = _year(match.group("y"))
            consumed.add(match.start("y"))
    if "since" in sentence and has_year:
        for match in lx.SINCE_EN.finditer(sentence):
            since = int(match.group("y"))
            consumed.add(match.start("y"))
    for match in lx.YEAR_RANGE.finditer(sentence) if has_year else ():
        first = match.group("a") or match.group("a2")
        last = match.group("b") or match.group("b2")
        since = since or int(first)
        as_of = as_of or _end_of(int(last), None)
        consumed.update({match.start("a" if match.group("a") else "a2"),
                         match.start("b" if match.group("b") else "b2")})  # fmt: skip
    for match in lx.AS_OF.finditer(sentence) if has_year else ():
        if match.group("y"):
            year = int(match.group("y"))
            month = int(match.group("m")) if match.group("m") else None
            day = match.group("d")
            consumed.add(match.start("y"))
        else:
            year = int(match.group("y2"))
            name = match.group("mn")
            month = lx.MONTH_NUMBER[name[:3]] if name else None
            day = match.group("d2")
            consumed.add(match.start("y2"))
        as_of = _end_of(year, month)
        if day and month:
            try:
                as_of = date(year, month, int(day)).isoformat()
            except ValueError:  # 2月30日: keep the end of the month
                pass
    relative = None
    if has_nian or "end of" in sentence:
        relative = lx.RELATIVE_AS_OF.search(sentence)
    if relative and document_date is not None and as_of is None:
        word = relative.group("zh") or relative.group("en")
        back = {"前年": 2, "the year before last": 2, "今年": 0, "this year": 0}.get(word, 1)
        as_of = _end_of(document_date.year - back, None)
    if lx.THIS_YEAR_SINCE.search(sentence) and document_date is not None:
        since = since or document_date.year
    years: list[tuple[int, int]] = []
    patterns = [lx.YEAR_ZH] if has_nian else []
    if has_year:
        patterns += [lx.YEAR_EN, lx.MONTH_YEAR, lx.FULL_DATE]
    elif has_nian:
        patterns += [lx.MONTH_YEAR, lx.FULL_DATE]
    for pattern in patterns:
        for match in pattern.finditer(sentence):
            text = match.groupdict().get("y") or match.groupdict().get("y2") or match.group()
            digits = "".join(ch for ch in text if ch.isdigit())
            try:
                year = _year(text) if not digits else int(_four_digits(match.group()))
            except (InputError, ValueError):  # a malformed year is simply not a year
                continue
            if match.start() in consumed or any(abs(match.start() - c) < 3 for c in consumed):
                continue
            # "founded in 1999" / "1958年建院": the founding word sits in the same clause
            before = _CLAUSE.split(sentence[max(0, match.start() - 30) : match.start()])[-1]
            after = _CLAUSE.split(sentence[match.end() : match.end() + 4])[0]
            if lx.FOUNDING.search(before + " " + after):
                founding = founding or year
                continue
            years.append((match.start(), year))
    if document_date is not None and (has_nian or "year" in sentence):
        for match in lx.RELATIVE_YEAR.finditer(sentence):
            if match.group("before_last"):
                years.append((match.start(), document_date.year - 2))
            elif match.group("last"):
                years.append((match.start(), document_date.year - 1))
            elif not lx.THIS_YEAR_SINCE.match(sentence, match.start()):
                years.append((match.start(), document_date.year))
    years.sort()
    return SentencePeriods(
        years=tuple(dict.fromkeys(years)),
        since=since,
        as_of=as_of,
        to_date=bool(lx.TO_DATE.search(sentence)),
        founding=founding,
    )


def _four_digits(text: str) -> str:
    found = _FOUR_DIGITS.search(text)
    if found:
        return found.group()
    raise ValueError(text)


def period_for(
    periods: SentencePeriods,
    position: int,
    *,
    cumulative: bool,
    document_date: date | None,
) -> Period:
    """The period of a quantity at ``position``: nearest year before it, else after it."""
    if cumulative:
        as_of = periods.as_of or (document_date.isoformat() if document_date else None)
        since = periods.since if periods.since is not None else periods.founding
        return Period(year=None, since=since, as_of=as_of)
    before = [year for pos, year in periods.years if pos < position]
    after = [year for pos, year in periods.years if pos >= position]
    year = before[-1] if before else (after[0] if after else None)
    return Period(year=year)
