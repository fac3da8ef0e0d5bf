"""Quantities in a sentence: a number, its qualifier, and the unit written with it.

:func:`find_mentions` scans one normalised, masked sentence (dates, years and phone
numbers already blanked by :func:`mask`) and returns every quantity with its
offsets, parsed value and unit category, plus the text around it that the
classifier reads. It decides nothing about what the quantity means.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any, NamedTuple

from txaudit.errors import InputError
from txaudit.extract import lexicon as lx
from txaudit.extract.numbers import ParsedNumber, parse_number

_PRE_QUALIFIER = re.compile(
    r"(?P<q>more than|greater than|over|above|exceed(?:s|ed|ing)?|in excess of|upwards of|"
    r"(?:sur)?pass(?:ed|es)|topped|突破|within|以内|"
    r"nearly|almost|close to|approximately|approx\.?|about|around|roughly|some|circa|"
    r"at least|no fewer than|no less than|not less than|less than|fewer than|under|below|"
    r"超过|超出|多于|逾|超|将近|接近|(?<![最附])近|大约|大概|约|至少|不少于|不低于|不到|不足|"
    r"少于|低于|>=|≥|>|<=|≤|<|~)"
    r"(?:\s*(?:了|为|有|达|到|在|是|需要|需|要|每年|年均|人民币|rmb|¥|共|计|of))*\s*$"
)
_QUALIFIER_OF: dict[str, str] = {
    "more than": "more_than", "greater than": "more_than", "over": "more_than",
    "above": "more_than", "exceed": "more_than", "exceeds": "more_than",
    "exceeded": "more_than", "exceeding": "more_than", "in excess of": "more_than",
    "upwards of": "more_than", "passed": "more_than", "passes": "more_than",
    "surpassed": "more_than", "surpasses": "more_than", "topped": "more_than",
    "突破": "more_than", "within": "less_than", "nearly": "nearly", "almost": "nearly",
    "close to": "nearly",
    "approximately": "approx", "approx": "approx", "approx.": "approx", "about": "approx",
    "around": "approx", "roughly": "approx", "some": "approx", "circa": "approx", "~": "approx",
    "at least": "at_least", "no fewer than": "at_least", "no less than": "at_least",
    "not less than": "at_least", "less than": "less_than", "fewer than": "less_than",
    "under": "less_than", "below": "less_than", "超过": "more_than", "超出": "more_than",
    "多于": "more_than", "逾": "more_than", "超": "more_than", "将近": "nearly",
    "接近": "nearly", "近": "nearly", "大约": "approx", "大概": "approx", "约": "approx",
    "至少": "at_least", "不少于": "at_least", "不低于": "at_least", "不到": "less_than",
    "不足": "less_than", "少于": "less_than", "低于": "less_than", ">=": "at_least",
    "≥": "at_least", ">": "more_than", "<=": "less_than", "≤": "less_than", "<": "less_than",
}  # fmt: skip
_MASK_CHAR = "#"
_UNIT_SPACES = re.compile(r"[\s-]+")
# one pass over the sentence: the masking patterns joined (their group names dropped),
# behind a lookahead on the characters any of them can start with, which lets the
# regex engine skip most positions at once (about twice as fast)
_MASKED = re.compile(
    r"(?=[\d〇零一二两三四五六七八九十角骨造干毛头皮脂植电传热邮第+(abcdfhjmnopst])(?:"
    + "|".join(
        "(?:" + re.sub(r"\(\?P<\w+>", "(?:", pattern.pattern) + ")"
        for pattern in (
            lx.NON_ORGAN_TRANSPLANT,
            lx.FULL_DATE,
            lx.MONTH_YEAR,
            lx.YEAR_ZH,
            lx.YEAR_EN,
            lx.PHONE,
            lx.ADDRESS,
            lx.MONTH_DAY,
            lx.AGE,
            lx.FRACTION,
        )
    )
    + ")"
)


class Mention(NamedTuple):
    """One quantity found in a sentence (offsets relative to the sentence)."""

    start: int
    end: int
    number: ParsedNumber
    unit: str | None  # the unit word as written (normalised), None when implied
    category: str | None  # see lexicon.UNIT_CATEGORY; None when nothing says what it counts
    modifiers: str  # English words between the number and its unit noun ("kidney")
    before: str  # text from the previous quantity (or clause start) to this one
    after: str  # text from this quantity to the next one (or the clause end)
    rest: str  # text from this quantity to the clause end
    clause: str  # the clause holding the quantity


def mask(sentence: str) -> str:
    """Blank out dates, years, phone numbers and addresses, keeping the length.

    Non-organ transplants (cornea, bone marrow, hair) are blanked as well, so that
    neither the keyword checks nor the unit matcher see them.
    """
    return _MASKED.sub(lambda m: _MASK_CHAR * (m.end() - m.start()), sentence)


def find_mentions(masked: str) -> list[Mention]:
    """Every quantity in ``masked`` with its unit and surrounding text."""
    breaks = [0]
    for match in lx.CLAUSE_BREAK.finditer(masked):
        breaks.append(match.end())
    breaks.sort()
    raw: list[tuple[int, int, int, ParsedNumber, str | None, str | None, str]] = []
    for match in lx.NUMBER.finditer(masked):
        start, end = match.span()
        if not match.group().strip():
            continue
        number_text = match.group()
        currency = match.group("cur")
        if currency:  # "between RMB 500,000 and 600,000"
            number_text = number_text.replace(currency, "", 1)
        end, percent = _percent(masked, end)
        post = lx.POST_QUALIFIER.match(masked, end)
        post_text = ""
        if post and post.group("q") not in ("多",):
            post_text, end = post.group("q"), post.end()
        elif post and lx.ZH_UNIT.match(masked, post.end()):
            post_text, end = post.group("q"), post.end()
        # a percentage is its own unit: "105 per cent last year" is not a duration
        unit, category, modifiers, end = (None, None, "", end) if percent else _unit(masked, end)
        if currency and unit is None:
            unit, category = "rmb", "money"
        if unit is not None:
            late = lx.POST_QUALIFIER.match(masked, end)
            if late and late.group("q") in ("左右", "以上", "以内", "之内", "内", "上下", "余",
                                           "or more", "or so"):
                post_text, end = post_text or late.group("q"), late.end()
        if category is None and percent:
            category = "percent"
        pre = _PRE_QUALIFIER.search(masked, max(0, start - 16), start)
        try:
            number = parse_number(number_text + ("%" if percent else "") + post_text)
        except InputError:
            continue
        if pre and number.qualifier == "exact":
            number = ParsedNumber(
                number.value, number.low, number.high, _qualifier(pre.group("q")), number.percent
            )
        span_start = pre.start() if pre else start
        raw.append((span_start, start, end, number, unit, category, modifiers))
    raw = _share_units(masked, raw)
    raw = _join_duration_ranges(masked, raw)
    mentions: list[Mention] = []
    for i, (span_start, start, end, number, unit, category, modifiers) in enumerate(raw):
        clause_start = breaks[bisect_right(breaks, start) - 1]
        following_break = bisect_right(breaks, end)
        clause_end = breaks[following_break] - 1 if following_break < len(breaks) else len(masked)
        previous_end = raw[i - 1][2] if i else 0
        next_start = raw[i + 1][1] if i + 1 < len(raw) else len(masked)
        mentions.append(
            Mention(
                start=span_start,
                end=end,
                number=number,
                unit=unit,
                category=category,
                modifiers=modifiers,
                before=masked[max(clause_start, previous_end) : span_start],
                after=masked[end : max(end, min(clause_end, next_start))],
                rest=masked[end : max(end, clause_end)],
                clause=masked[clause_start:clause_end],
            )
        )
    return mentions


_ELIDED = re.compile(
    r"^[\s-]+(?P<organ>kidney|renal|liver|heart|lung|pancreas|intestinal)\s*(?:,|and|or|&)\s*$"
)


def _share_units(masked: str, raw: list[Any]) -> list[Any]:
    """"306 kidney and 142 liver transplants": the first number borrows the second's unit."""
    shared = list(raw)
    for i in range(len(raw) - 1, -1, -1):
        span_start, start, end, number, unit, category, modifiers = shared[i]
        if unit is not None or i + 1 >= len(shared):
            continue
        following = shared[i + 1]
        # "about 8,000 kidney and roughly 3,500 liver": the gap ends where the second
        # quantity's qualifier begins
        gap = _ELIDED.match(masked[end : following[0]])
        if gap and following[4] is not None:
            shared[i] = (span_start, start, end, number, following[4], following[5],
                         gap.group("organ"))  # fmt: skip
            # "more than 4,300 kidney and 1,100 liver transplants": the qualifier
            # written once before the pair applies to both numbers
            later = following[3]
            if later.qualifier == "exact" and number.qualifier not in ("exact", "range"):
                spread = ParsedNumber(later.value, qualifier=number.qualifier)
                shared[i + 1] = (*following[:3], spread, *following[4:])
    return shared


_RANGE_JOIN = re.compile(r"^\s*(?:至|到|~|-|to)\s*$")


def _join_duration_ranges(masked: str, raw: list[Any]) -> list[Any]:
    """"半年到一年", "six months to a year": two durations with their own units, one range.

    Both ends are converted to days here (the joined mention's unit is 天), since
    their units differ.
    """
    joined: list[Any] = []
    i = 0
    while i < len(raw):
        current = raw[i]
        if i + 1 < len(raw):
            following = raw[i + 1]
            days_a = lx.DAYS_PER_UNIT.get(current[4] or "")
            days_b = lx.DAYS_PER_UNIT.get(following[4] or "")
            gap = masked[current[2] : following[1]]
            low, high = current[3], following[3]
            single = low.low is None and high.low is None
            if days_a and days_b and single and _RANGE_JOIN.match(gap):
                a, b = low.value * days_a, high.value * days_b
            else:
                a = b = None
            if a is not None and b is not None and a <= b:
                number = ParsedNumber((a + b) / 2, a, b, "range")
                joined.append((current[0], current[1], following[2], number, "天", "time", ""))
                i += 2
                continue
        joined.append(current)
        i += 1
    return joined


def _percent(masked: str, end: int) -> tuple[int, bool]:
    if masked[:end].endswith("%"):
        return end, True
    match = lx.PERCENT.match(masked, end)
    if match:
        return match.end(), True
    return end, False


def _unit(masked: str, end: int) -> tuple[str | None, str | None, str, int]:
    zh = lx.ZH_UNIT.match(masked, end)
    if zh:
        unit = zh.group("unit")
        return unit, lx.UNIT_CATEGORY[unit], "", zh.end()
    en = (
        lx.EN_HYPHEN_UNIT.match(masked, end)
        or lx.EN_UNIT.match(masked, end)
        or lx.EN_PERSON_UNIT.match(masked, end)
    )
    if en:
        unit = _UNIT_SPACES.sub(" ", en.group("unit"))
        category: str | None = None
        if unit.startswith(("operating", "theat")):
            category = "rooms"
        else:
            category = lx.UNIT_CATEGORY.get(unit) or lx.UNIT_CATEGORY.get(unit.rstrip("s"))
        mods = en.groupdict().get("mods") or ""
        return unit, category, mods.strip(" -"), en.end()
    return None, None, "", end


def _qualifier(word: str) -> str:
    return _QUALIFIER_OF.get(word.strip(), _QUALIFIER_OF.get(word.strip().rstrip("."), "exact"))
