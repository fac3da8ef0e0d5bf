"""Claims: numeric statements about transplant activity or capacity, found in text.

:func:`extract_claims` is the entry point. It is pure (text in, claims out) and
cheap on irrelevant text: a page without a transplant term is rejected by one
regular-expression search, and within a page only sentences that pass the same
keyword gate are parsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from txaudit.errors import InputError
from txaudit.extract import lexicon as lx
from txaudit.extract.classify import SentenceContext, read_mention
from txaudit.extract.hospitals import HospitalMatcher, mentions_anaphor
from txaudit.extract.mentions import find_mentions, mask
from txaudit.extract.numbers import format_decimal
from txaudit.extract.periods import Period, period_for, read_periods
from txaudit.extract.text import Sentence, normalise, split_sentences
from txaudit.vocabulary import INDICATORS


@dataclass(frozen=True)
class Claim:
    """One proposed numeric claim, awaiting review.

    ``value``/``low``/``high`` are exact Decimals in the indicator's canonical unit
    (``unit``); ``span`` holds character offsets of the quantity (qualifier, number
    and unit) in the text given to :func:`extract_claims`; ``text`` is the whole
    sentence, as written in that text.
    """

    indicator: str
    organ: str
    value: Decimal
    low: Decimal | None
    high: Decimal | None
    qualifier: str
    unit: str
    period: Period
    hospital: str | None
    lang: str
    text: str
    span: tuple[int, int]
    source: str | None

    def to_dict(self) -> dict[str, Any]:
        """The JSON Lines record; numbers are decimal strings (``"3000"``, ``"1.3"``)."""
        return {
            "indicator": self.indicator,
            "organ": self.organ,
            "value": format_decimal(self.value),
            "low": None if self.low is None else format_decimal(self.low),
            "high": None if self.high is None else format_decimal(self.high),
            "qualifier": self.qualifier,
            "unit": self.unit,
            "period": self.period.to_dict(),
            "hospital": self.hospital,
            "lang": self.lang,
            "text": self.text,
            "span": [self.span[0], self.span[1]],
            "source": self.source,
        }


def extract_claims(
    text: str,
    *,
    lang: str | None = None,
    document_date: date | datetime | str | None = None,
    source_sha256: str | None = None,
    matcher: HospitalMatcher | None = None,
    page_hospital_id: str | None = None,
    include_hospital_beds: bool = False,
) -> list[Claim]:
    """Find numeric claims about transplant activity and capacity in ``text``.

    Parameters
    ----------
    text:
        Plain text (Chinese, English or both), e.g. a page's extracted text.
    lang:
        ``"zh"`` or ``"en"`` to label every claim; ``None`` detects it per sentence.
    document_date:
        The page's date (capture time for archived pages): resolves 去年 / last year
        and is the as-of date of cumulative counts that say "to date" or nothing.
    source_sha256:
        Copied into each claim's ``source``.
    matcher:
        Finds hospitals named in a sentence; the nearest one before a claim wins.
    page_hospital_id:
        The page's own hospital, used when a sentence names none.
    include_hospital_beds:
        Also report whole-hospital bed counts as ``hospital_beds`` (off by default:
        they are not transplant capacity).

    Returns the claims in text order; one quantity about a combined transplant
    (肝肾联合移植) gives one claim per organ, with the same span.
    """
    if lang not in (None, "zh", "en"):
        raise InputError(f"unknown language {lang!r}", field="lang", hint="use 'zh' or 'en'")
    doc_date = _as_date(document_date)
    if not _raw_gate(text, include_hospital_beds):
        return []  # the page-level keyword gate: most pages of a general crawl end here
    claims: list[Claim] = []
    last_hospital: str | None = None
    # "移植中心是...。中心拥有病床120张": a sentence that opens with "the center" /
    # "本科室" continues the transplant unit the previous sentence spoke of
    topic: _Topic | None = None
    for sentence in split_sentences(text):
        carried: _Topic | None = None
        raw = sentence.text
        if _raw_gate(raw, include_hospital_beds):
            norm = normalise(raw)
            if lx.TRANSPLANT.search(norm):
                topic = _Topic(norm)
            elif topic is not None and lx.ANAPHOR_UNIT.search(norm):
                carried = topic
            else:
                topic = None
                if not _gate(norm, include_hospital_beds):
                    continue
        elif topic is not None and lx.ANAPHOR_UNIT.search(normalise(raw[:24])):
            norm = normalise(raw)
            carried = topic
        else:
            topic = None
            continue
        found = _sentence_claims(
            text,
            Sentence(sentence.start, sentence.end, norm),
            lang,
            doc_date,
            include_hospital_beds,
            source_sha256,
            carried,
        )
        # fuzzy matching costs a scan over every name: only for sentences with claims
        named = matcher.find(raw, fuzzy=bool(found)) if matcher else []
        if named:
            last_hospital = named[-1].hospital_id
        for claim in found:
            position = claim.span[0] - sentence.start
            hospital = _hospital_for(named, position, page_hospital_id, last_hospital, claim.text)
            claims.append(_with_hospital(claim, hospital))
    return claims


@dataclass(frozen=True)
class _Topic:
    """The transplant unit the last sentence spoke of (its organ read only when needed)."""

    sentence: str

    @property
    def organ(self) -> str | None:
        return _single_organ(self.sentence)


def _single_organ(norm: str) -> str | None:
    organs = {m.lastgroup for m in lx.ORGAN_TERMS.finditer(norm)}
    return organs.pop() if len(organs) == 1 else None


def _raw_gate(text: str, include_hospital_beds: bool) -> bool:
    """Cheap test on text as given: a transplant or organ term (or a bed, when asked)."""
    lowered = text.lower()
    if lx.RAW_GATE.search(lowered):
        return True
    return include_hospital_beds and bool(lx.RAW_BED_GATE.search(lowered))


def _gate(norm: str, include_hospital_beds: bool) -> bool:
    if lx.TRANSPLANT.search(norm):
        return True
    if include_hospital_beds and lx.BED_GATE.search(norm):
        return True
    # waiting times are often written without the word "transplant" (等待肾源一周)
    return bool(lx.WAITING.search(norm) and lx.ORGAN_TERMS.search(norm))


def _sentence_claims(
    text: str,
    sentence: Sentence,
    lang: str | None,
    doc_date: date | None,
    include_hospital_beds: bool,
    source: str | None,
    carried: _Topic | None,
) -> list[Claim]:
    masked = mask(sentence.text)
    mentions = find_mentions(masked)
    if not mentions:
        return []
    periods = read_periods(sentence.text, doc_date)
    context = SentenceContext(
        masked=masked,
        transplant=bool(lx.TRANSPLANT.search(masked))
        or bool(lx.WAITING.search(masked) and lx.ORGAN_TERMS.search(masked))
        or carried is not None,
        topic_carried=carried is not None,
        topic_organ=carried.organ if carried else None,
        include_hospital_beds=include_hospital_beds,
        full_date=_feat_date(sentence.text),
        year_range=bool(lx.YEAR_RANGE.search(sentence.text)),
        dated=bool(periods.years),
    )
    claims: list[Claim] = []
    sentence_lang = lang or ("zh" if lx.CJK.search(sentence.text) else "en")
    for mention in mentions:
        reading = read_mention(mention, context)
        if reading is None:
            continue
        indicator = INDICATORS[reading.indicator]
        period = period_for(
            periods, mention.start, cumulative=indicator.cumulative, document_date=doc_date
        )
        for organ in reading.organs:
            claims.append(
                Claim(
                    indicator=reading.indicator,
                    organ=organ,
                    value=reading.number.value,
                    low=reading.number.low,
                    high=reading.number.high,
                    qualifier=reading.number.qualifier,
                    unit=indicator.unit,
                    period=period,
                    hospital=None,
                    lang=sentence_lang,
                    text=text[sentence.start : sentence.end],
                    span=(sentence.start + mention.start, sentence.start + mention.end),
                    source=source,
                )
            )
    return claims


def _feat_date(sentence: str) -> bool:
    """A full date that is not an as-of date ("截至2013年12月31日" is not a day's feat)."""
    for match in lx.FULL_DATE.finditer(sentence):
        if not lx.AS_OF_DATE.search(sentence, max(0, match.start() - 8), match.start()):
            return True
    return False


def _hospital_for(
    named: list[Any],
    position: int,
    page_hospital_id: str | None,
    last_hospital: str | None,
    sentence: str,
) -> str | None:
    if named:
        before = [m for m in named if m.start <= position]
        return (before[-1] if before else named[0]).hospital_id
    if page_hospital_id is not None:
        return page_hospital_id
    if last_hospital is not None and mentions_anaphor(sentence):
        return last_hospital
    return None


def _with_hospital(claim: Claim, hospital: str | None) -> Claim:
    if hospital == claim.hospital:
        return claim
    from dataclasses import replace

    return replace(claim, hospital=hospital)


def _as_date(value: date | datetime | str | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InputError(
            f"cannot read {value!r} as a date",
            field="document_date",
            hint="use YYYY-MM-DD",
        ) from None
