"""What a quantity measures: its indicator, its organ(s), and its value in canonical units.

The rules read the unit written with the number first (例 counts operations, 张
counts beds, 周 is a duration), then the words around it (累计 makes a count
cumulative, 等待 makes a duration a waiting time). A quantity that no rule
claims is dropped: the extractor prefers missing a claim to inventing one, since
every claim goes to a human reviewer who cannot see what was not proposed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from txaudit.extract import lexicon as lx
from txaudit.extract.mentions import Mention
from txaudit.extract.numbers import ParsedNumber

_COMBINED_ORGAN = {
    "肾": "kidney", "肾脏": "kidney", "kidney": "kidney", "renal": "kidney",
    "肝": "liver", "肝脏": "liver", "liver": "liver",
    "心": "heart", "心脏": "heart", "heart": "heart",
    "肺": "lung", "lung": "lung",
    "胰": "pancreas", "胰腺": "pancreas", "pancreas": "pancreas", "pancreatic": "pancreas",
    "小肠": "intestine", "intestine": "intestine", "intestinal": "intestine",
}  # fmt: skip
_ORGAN_SPLIT = lx.ORGAN_TERMS
_OWN_NOUN = re.compile(
    rf"\s*[^\s，,。；;、和与及]{{0,4}}?(?:(?P<surgeons>{lx.SURGEON_NOUN.pattern})|"
    rf"(?P<staff>{lx.STAFF_NOUN.pattern})|(?P<patients>{lx.PATIENT_NOUN.pattern}))"
)
_ORGAN_AFTER = re.compile(rf"\s*(?:{lx.ORGAN_TERMS.pattern})(?=\s*(?:脏)?移植)")


@dataclass(frozen=True)
class Reading:
    """The meaning given to one mention."""

    indicator: str
    organs: tuple[str, ...]
    number: ParsedNumber


@dataclass(frozen=True)
class SentenceContext:
    """Facts about the whole sentence that every mention's rules share."""

    masked: str
    transplant: bool
    include_hospital_beds: bool
    full_date: bool
    year_range: bool
    topic_carried: bool = False  # the sentence continues a transplant unit's description
    topic_organ: str | None = None  # organ of the unit the previous sentence spoke of
    dated: bool = False  # a year (written or relative, not a founding year) is given

    # sentence-wide keyword tests, made once per sentence however many numbers it holds
    @cached_property
    def peak_day(self) -> bool:
        return self.full_date or bool(lx.PEAK_DAY.search(self.masked))

    @cached_property
    def concurrent(self) -> bool:
        return bool(lx.CONCURRENT.search(self.masked))

    @cached_property
    def cumulative(self) -> bool:
        return (
            self.year_range
            or bool(lx.CUMULATIVE.search(self.masked))
            or (not self.dated and bool(lx.TOTAL.search(self.masked)))
            or bool(lx.THIS_YEAR_SINCE.search(self.masked))
        )

    @cached_property
    def annual(self) -> bool:
        return self.dated or bool(lx.ANNUAL.search(self.masked))


def read_mention(mention: Mention, context: SentenceContext) -> Reading | None:
    """Give ``mention`` an indicator, organs and canonical value, or ``None``."""
    category = mention.category or _anchor_category(mention, context)
    if category is None:
        return None
    indicator = _indicator(category, mention, context)
    if indicator is None:
        return None
    number = _canonical(indicator, mention)
    if number is None:
        return None
    return Reading(indicator, _organs(mention, context), number)


def _anchor_category(mention: Mention, context: SentenceContext) -> str | None:
    # "the number rose to 393", "20 of them": a bare number takes its meaning from
    # the nearest unit noun shortly before it in the same sentence
    if mention.number.percent:
        return "percent"
    tail = mention.before[-12:]
    if lx.FOREIGN_MONEY_BEFORE.search(tail):
        return None
    if lx.MONEY_BEFORE.search(tail):
        return "money"
    if not lx.ANCHOR_FOLLOW.match(mention.after):
        return None  # "takes eight hours": the number counts a noun of its own
    window = context.masked[max(0, mention.start - 60) : mention.start]
    best: tuple[int, str] | None = None
    for match in lx.ANCHOR.finditer(window):
        name = match.lastgroup
        if name is not None:
            best = (match.start(), name)
    return best[1] if best else None


def _in_transplant_clause(mention: Mention, context: SentenceContext) -> bool:
    """The quantity belongs to a transplant unit, not the hospital or another department."""
    if lx.TRANSPLANT.search(mention.clause):
        return True
    if context.topic_carried and not lx.WHOLE_HOSPITAL.search(mention.clause):
        return True  # "中心目前拥有病床120张" after a sentence naming the transplant centre
    clause = mention.clause.lstrip()
    # a clause opening with a bare "中心"/"the center" speaks of the unit the sentence
    # (or the page) is about; only a named other department or the hospital excludes it
    anaphor = lx.ANAPHOR_UNIT.match(clause)
    if anaphor:
        clause = clause[anaphor.end() :]
    if lx.DEPARTMENT.search(clause):
        return False
    # a clause without a subject of its own continues the sentence's first clause:
    # "本院創立於1895年，現有員工六千餘人" (the hospital), "The cardiology ward, next to
    # the heart transplant unit, has 90 beds" (the cardiology ward)
    subject = lx.CLAUSE_BREAK.split(context.masked, maxsplit=1)[0]
    if (
        subject != mention.clause
        and lx.DEPARTMENT.search(subject)
        and not lx.TRANSPLANT.search(subject)
    ):
        return False
    return context.transplant


def _indicator(category: str, mention: Mention, context: SentenceContext) -> str | None:
    local = mention.before + " " + mention.modifiers + " " + mention.after
    if category == "ops":
        if not context.transplant or lx.OUTPATIENT.search(mention.clause):
            return None
        if mention.number.value == 1 and not mention.before.strip():
            return None  # "一例肝移植手术通常需要…": one typical operation, not a count
        if lx.ADMISSION.search(mention.before) and not lx.PERFORM.search(mention.before):
            return "admissions"
        return _transplant_count(mention, context)
    if category == "admissions":
        if context.transplant and not lx.OUTPATIENT.search(mention.clause):
            return "admissions"
        return None
    if category == "organs":
        if context.transplant and lx.TRANSPLANT.search(mention.before):
            return _transplant_count(mention, context)
        return None
    if category == "visits":
        if context.transplant and lx.ADMISSION.search(mention.clause):
            if not lx.OUTPATIENT.search(mention.clause):
                return "admissions"
        return None
    if category in ("persons", "surgeons", "staff", "patients"):
        category = _person_kind(category, mention)
        if category == "patients":
            if not context.transplant or lx.OUTPATIENT.search(mention.clause):
                return None
            return _patient_indicator(mention, context)
        if lx.RECRUIT.search(context.masked):
            return None  # posts to fill, not people the unit has
        if category in ("surgeons", "staff") and _in_transplant_clause(mention, context):
            return "transplant_surgeons" if category == "surgeons" else "transplant_staff"
        return None
    if category == "beds":
        if context.transplant and _in_transplant_clause(mention, context):
            return "transplant_beds"
        if context.include_hospital_beds and not _department_only(mention):
            return "hospital_beds"
        return None
    if category == "percent":
        if context.transplant and lx.OCCUPANCY.search(mention.clause + " " + local):
            return "bed_occupancy"
        return None
    if category == "time":
        if not context.transplant or lx.OUTPATIENT.search(mention.clause):
            return None
        if lx.LENGTH_OF_STAY.search(mention.clause):
            return "avg_length_of_stay"
        if lx.WAITING.search(mention.clause):
            return "waiting_time"
        return None
    if category == "money":
        if not context.transplant or lx.FOREIGN_MONEY_BEFORE.search(mention.before[-8:]):
            return None
        if not _in_transplant_clause(mention, context):
            return None  # a grant for another department, on a page about transplants
        for pattern, indicator in (
            (lx.REVENUE, "transplant_revenue"),
            (lx.FUNDING, "state_funding"),
            (lx.PRICE, "transplant_price"),
        ):
            if pattern.search(mention.clause):
                return _unless_private(indicator, context)
        for pattern, indicator in (
            (lx.REVENUE, "transplant_revenue"),
            (lx.FUNDING, "state_funding"),
            (lx.PRICE, "transplant_price"),
        ):
            if pattern.search(context.masked):
                return _unless_private(indicator, context)
        return None
    if category in ("rooms", "room_count"):
        if category == "room_count" and not lx.OPERATING_ROOM.search(mention.before[-8:]):
            return None
        # "我院拥有手术室6间，可同时开展多台器官移植": the hospital's own theatres count
        # when the sentence is about transplants; another department's do not
        clause = lx.WHOLE_HOSPITAL.sub("", mention.clause)
        if context.transplant and (
            _in_transplant_clause(mention, context) or not lx.DEPARTMENT.search(clause)
        ):
            return "operating_rooms"
        return None
    return None


def _patient_indicator(mention: Mention, context: SentenceContext) -> str | None:
    """Patients present at one time (census), admitted over a year, or operated on."""
    clause = mention.clause
    if lx.CENSUS.search(clause):
        return "ward_census"
    if lx.ADMISSION.search(clause) or lx.ANNUAL.search(clause):
        return "admissions"  # "treats more than 1,000 ... patients each year"
    if lx.CENSUS_NOUN.search(clause):
        return "ward_census"
    if lx.PERFORM.search(context.masked):
        return _transplant_count(mention, context)
    if lx.CENSUS.search(context.masked):
        return "ward_census"  # "At any given time, some 150 patients are ..."
    return None


def _unless_private(indicator: str, context: SentenceContext) -> str | None:
    """Funding with no public body named (我院每年投入经费…) is not state funding."""
    if indicator == "state_funding" and not lx.STATE.search(context.masked):
        return None
    return indicator


def _department_only(mention: Mention) -> bool:
    """Beds of one department (not the whole hospital): 心内科床位120张."""
    clause = mention.clause
    department = lx.DEPARTMENT.search(clause.replace("医院", "").replace("hospital", ""))
    return bool(department) and not lx.WHOLE_HOSPITAL.search(clause)


def _person_kind(category: str, mention: Mention) -> str:
    if category == "surgeons" and lx.AND_NURSES.search(mention.after):
        return "staff"
    if category != "persons":
        return category
    # "30名医生和50名护士": a noun right after the unit is the number's own
    own = _OWN_NOUN.match(mention.after)
    if own:
        return own.lastgroup or "unknown"
    tail = mention.before[-10:]
    best = ("", -1)
    for kind, pattern in (
        ("surgeons", lx.SURGEON_NOUN),
        ("staff", lx.STAFF_NOUN),
        ("patients", lx.PATIENT_NOUN),
    ):
        for match in pattern.finditer(tail):
            if match.end() > best[1]:
                best = (kind, match.end())
    if best[0]:
        return best[0]
    head = mention.after[:10]
    first = (len(head) + 1, "")
    for kind, pattern in (
        ("surgeons", lx.SURGEON_NOUN),
        ("staff", lx.STAFF_NOUN),
        ("patients", lx.PATIENT_NOUN),
    ):
        hit = pattern.search(head)
        if hit and hit.start() < first[0]:
            first = (hit.start(), kind)
    return first[1] or "unknown"


def _transplant_count(mention: Mention, context: SentenceContext) -> str:
    if context.peak_day:
        return "transplants_peak_day"
    if context.concurrent:
        return "concurrent_operations"
    # "共开展2800余例，年均560例": an annual word in the number's own clause wins over
    # a cumulative word elsewhere in the sentence
    if lx.ANNUAL.search(mention.before + " " + mention.rest):
        return "transplants_annual"
    if context.cumulative:
        return "transplants_cumulative"
    if context.annual:
        return "transplants_annual"
    # a count with no period at all ("已完成3000例") is read as cumulative to the page's date
    return "transplants_cumulative"


def _canonical(indicator: str, mention: Mention) -> ParsedNumber | None:
    number = mention.number
    if indicator in ("avg_length_of_stay", "waiting_time"):
        days = lx.DAYS_PER_UNIT.get(mention.unit or "")
        if days is None:
            return None
        return _scaled(number, Decimal(days))
    if indicator == "bed_occupancy" and not number.percent:
        return None
    return number


def _scaled(number: ParsedNumber, factor: Decimal) -> ParsedNumber:
    return ParsedNumber(
        number.value * factor,
        None if number.low is None else number.low * factor,
        None if number.high is None else number.high * factor,
        number.qualifier,
        number.percent,
    )


def _organs(mention: Mention, context: SentenceContext) -> tuple[str, ...]:
    local = mention.before + " " + mention.modifiers
    combined = None
    for match in lx.COMBINED.finditer(local):
        combined = match
    if combined:
        words = [m.group() for m in _ORGAN_SPLIT.finditer(combined.group())]
        organs = tuple(dict.fromkeys(_organ_name(w) for w in words))
        if len(organs) >= 2:
            return organs
    if lx.ORGAN_LIST.search(local):
        return ("all",)
    if mention.category == "organs" and mention.unit:
        found = _last_organ(mention.unit)
        if found:
            return (found,)
    if mention.modifiers:
        found = _last_organ(mention.modifiers)
        if found:
            return (found,)
    # "3例肾移植和2例肝移植": the organ written right after the unit is the number's own
    own = _ORGAN_AFTER.match(mention.after)
    if own and own.lastgroup:
        return (own.lastgroup,)
    for text in (mention.before, context.masked[: mention.start]):
        found = _last_organ(text)
        if found:
            return (found,)
    # "12 surgeons carried out some 1,100 kidney transplants": else the first organ
    # written after the number in the sentence
    later = context.masked[mention.end :]
    subset = lx.SUBSET.search(later)
    following = _ORGAN_SPLIT.search(later[: subset.start()] if subset else later)
    if following and following.lastgroup:
        return (following.lastgroup,)
    return (context.topic_organ or "all",)


def _last_organ(text: str) -> str | None:
    found = None
    for match in _ORGAN_SPLIT.finditer(text):
        found = match.lastgroup
    return found


def _organ_name(word: str) -> str:
    for match in _ORGAN_SPLIT.finditer(word):
        if match.lastgroup:
            return match.lastgroup
    return _COMBINED_ORGAN.get(word, "all")
