"""Exact parsing of written numbers: Chinese numerals, Arabic digits, English words.

:func:`parse_number` turns one written quantity (``两万余``, ``1.2万``, ``百分之一百三十``,
``12 154``, ``more than 3,000``, ``one to two``) into a :class:`ParsedNumber` holding
Decimals, never floats, so ``1.2万`` is exactly ``12000``.

Conventions (also in docs/reference/extract.md):

* A range keeps ``low`` and ``high``; its ``value`` is the midpoint ``(low + high) / 2``.
* ``数百`` / ``几百`` / ``hundreds of`` / ``several hundred`` ("a few hundred") is the range
  200-900 (two to nine of the unit), value 550; likewise ``数十`` 20-90, ``数千`` 2000-9000,
  ``数万`` 20000-90000.
* ``上千`` / ``上万`` (literally "reaching a thousand") is ``more_than`` 1000 / 10000;
  ``近千`` is ``nearly`` 1000.
* ``以上`` is ``at_least`` (Chinese counts the number itself in 以上); ``余``/``多``/``逾``/
  ``超过``/``over``/``more than`` are ``more_than``.
* A percentage (``130%``, ``百分之一百三十``, ``130 percent``) is returned as a fraction
  (``1.3``) with ``percent=True``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from txaudit.errors import InputError
from txaudit.extract.text import normalise

_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "两": 2, "贰": 2,
    "三": 3, "叁": 3, "参": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS: dict[str, int] = {"万": 10_000, "亿": 100_000_000}
#: 廿 and 卅 are contractions of 二十 and 三十, 卌 of 四十
_CONTRACTIONS: dict[str, str] = {"廿": "二十", "卅": "三十", "卌": "四十"}

#: every character that can appear inside a Chinese numeral (after normalisation)
CHINESE_NUMERAL_CHARS = "".join([*_DIGITS, *_SMALL_UNITS, *_BIG_UNITS, *_CONTRACTIONS])

_EN_UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1,
}  # fmt: skip
_EN_SCALES: dict[str, int] = {
    "hundred": 100,
    "thousand": 1000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
}
#: English number words, for building regular expressions elsewhere
ENGLISH_NUMBER_WORDS: tuple[str, ...] = (
    *sorted((w for w in _EN_UNITS if w not in ("a", "an")), key=len, reverse=True),
    *_EN_SCALES,
    "dozen",
)

_PREFIX_QUALIFIERS: tuple[tuple[str, str], ...] = (
    # longest first so that "大约" wins over "约"
    ("more than", "more_than"),
    ("greater than", "more_than"),
    ("in excess of", "more_than"),
    ("upwards of", "more_than"),
    ("in excess", "more_than"),
    ("surpassed", "more_than"),
    ("passed", "more_than"),
    ("topped", "more_than"),
    ("突破", "more_than"),
    ("over", "more_than"),
    ("above", "more_than"),
    ("exceeding", "more_than"),
    ("nearly", "nearly"),
    ("almost", "nearly"),
    ("close to", "nearly"),
    ("approximately", "approx"),
    ("approx.", "approx"),
    ("approx", "approx"),
    ("about", "approx"),
    ("around", "approx"),
    ("roughly", "approx"),
    ("some", "approx"),
    ("circa", "approx"),
    ("c.", "approx"),
    ("~", "approx"),
    ("at least", "at_least"),
    ("no fewer than", "at_least"),
    ("no less than", "at_least"),
    ("not less than", "at_least"),
    ("less than", "less_than"),
    ("fewer than", "less_than"),
    ("under", "less_than"),
    ("within", "less_than"),
    ("below", "less_than"),
    ("超过", "more_than"),
    ("超出", "more_than"),
    ("多于", "more_than"),
    ("逾", "more_than"),
    ("超", "more_than"),
    ("将近", "nearly"),
    ("接近", "nearly"),
    ("近", "nearly"),
    ("大约", "approx"),
    ("大概", "approx"),
    ("约", "approx"),
    ("至少", "at_least"),
    ("不少于", "at_least"),
    ("不低于", "at_least"),
    ("不到", "less_than"),
    ("不足", "less_than"),
    ("少于", "less_than"),
    ("低于", "less_than"),
    (">=", "at_least"),
    ("≥", "at_least"),
    (">", "more_than"),
    ("<=", "less_than"),
    ("≤", "less_than"),
    ("<", "less_than"),
)
_SUFFIX_QUALIFIERS: tuple[tuple[str, str], ...] = (
    ("以上", "at_least"),
    ("以内", "less_than"),
    ("之内", "less_than"),
    ("内", "less_than"),
    ("左右", "approx"),
    ("上下", "approx"),
    ("余", "more_than"),
    ("多", "more_than"),
    ("来", "approx"),
    ("许", "approx"),
    ("plus", "more_than"),
    ("+", "more_than"),
    ("or more", "at_least"),
    ("or so", "approx"),
)
_PREFIX_OF = dict(_PREFIX_QUALIFIERS)
# one pattern, longest words first ("大约" before "约"); an English word must end at a
# word boundary ("over", not "overall")
_PREFIX_RE = re.compile(
    "^("
    + "|".join(
        re.escape(word) + ("(?![a-z])" if word[-1].isascii() and word[-1].isalpha() else "")
        for word in sorted(_PREFIX_OF, key=len, reverse=True)
    )
    + r")\s*"
)
# "数" and "几" mean "several"; "成" and "上" here mean "reaching".
_SEVERAL = re.compile(r"^(?:数|几|several|a few)\s*(十|百|千|万|hundred|thousand|million)$")
_SEVERAL_OF = re.compile(r"^(tens|hundreds|thousands|millions)(?:\s+of)?$")
_REACHING = re.compile(r"^上(十|百|千|万|亿)$")
_SEVERAL_SCALE = {
    "十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000,
    "hundred": 100, "thousand": 1000, "million": 1_000_000,
    "tens": 10, "hundreds": 100, "thousands": 1000, "millions": 1_000_000,
}  # fmt: skip

_RANGE_SPLIT = re.compile(r"\s*(?:至|到|~|-|－|—|–|to|and)\s*")
_ARABIC = re.compile(
    r"^(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?: \d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"\s*(?P<mult>[十百千万亿]*|thousand|million|billion|hundred|k|m|bn)?$"
)
_TWO_ADJACENT = re.compile(r"^([一二两三四五六七八九])([二三四五六七八九])(十|百|千|万)?$")


#: longer digit runs are identifiers or garbage, never quantities
_MAX_DIGITS = 18
_SPACES = re.compile(r"\s+")
_PERCENT_SIGN = re.compile(r"\s*(?:%|percent)")
_INNER_MORE = re.compile(r"(.+?)[余多来](万|亿|千|百)")
_BETWEEN = re.compile(r"^between\s+")
_TRAILING_MULTIPLIER = re.compile(r"([十百千万亿]+|\s*(?:thousand|million|billion|hundred))$")
_BARE_DIGITS = re.compile(r"[\d.,]+")
_CN_TOKENS = re.compile(r"\d+(?:\.\d+)?|.")
_WORD_SPLIT = re.compile(r"[\s-]+")


@dataclass(frozen=True)
class ParsedNumber:
    """An exactly parsed quantity.

    ``value`` is the central value (the midpoint for a range); ``low``/``high`` are
    set only for ranges; ``qualifier`` is one of ``vocabulary.QUALIFIERS``;
    ``percent`` says the text was a percentage and ``value`` is already a fraction.
    """

    value: Decimal
    low: Decimal | None = None
    high: Decimal | None = None
    qualifier: str = "exact"
    percent: bool = False


@lru_cache(maxsize=8192)
def parse_number(text: str) -> ParsedNumber:
    """Parse one written quantity into exact Decimals.

    Accepts Arabic digits (``1,200``, ``12 154``, ``３０００``, ``1.2``), Chinese numerals in
    simplified or traditional script (``一千二百``, ``两万余``, ``兩萬餘``, ``二〇〇五``, ``廿``),
    mixed forms (``1.2万``, ``3000余``), percentages (``130%``, ``百分之一百三十``), English
    words (``two hundred``, ``a dozen``, ``twenty-five``), qualifiers before or after
    (``约``, ``左右``, ``over``, ``>``) and ranges (``1至2``, ``1-2``, ``one to two``).

    Example: ``parse_number("两万余")`` is ``ParsedNumber(Decimal(20000), qualifier="more_than")``.

    Raises :class:`~txaudit.errors.InputError` when ``text`` holds no number. Results
    are cached (the function is pure and pages repeat the same numbers).
    """
    norm = normalise(text).strip()
    norm = _SPACES.sub(" ", norm)
    if not norm:
        raise InputError("empty text is not a number", field="text")
    qualifier = "exact"
    percent = False
    body = norm
    prefix = _PREFIX_RE.match(body)
    if prefix:
        qualifier = _PREFIX_OF[prefix.group(1)]
        body = body[prefix.end() :]
    if body.startswith("百分之"):
        percent = True
        body = body[3:]
    for _ in range(2):  # "120%以上" and "130 percent or more": either order
        if body.endswith(("%", "percent")):
            percent = True
            body = _PERCENT_SIGN.sub("", body)
        for word, qual in _SUFFIX_QUALIFIERS:
            if body.endswith(word) and len(body) > len(word):
                stripped = body[: -len(word)].strip()
                if word == "多" and stripped.endswith("很"):
                    continue
                qualifier = qual if qualifier == "exact" else qualifier
                body = stripped
                break
    # 十余万 / 二十多万: the qualifier sits before the big unit
    inner = _INNER_MORE.fullmatch(body)
    if inner:
        body = inner.group(1) + inner.group(2)
        qualifier = "more_than" if qualifier == "exact" else qualifier
    if percent:
        body = body.rstrip("%").strip()
    if sum(ch.isdigit() for ch in body) > _MAX_DIGITS:
        raise InputError(
            f"{text[:40]!r} has more than {_MAX_DIGITS} digits: not a count, price or rate",
            field="text",
        )
    try:
        parsed = _parse_body(body, text)
    except InvalidOperation:
        raise InputError(f"{text[:40]!r} is too large to be a quantity", field="text") from None
    if parsed.qualifier == "range" or parsed.low is not None:
        result = parsed
    else:
        extra = parsed.qualifier
        result = ParsedNumber(parsed.value, qualifier=qualifier if extra == "exact" else extra)
        if extra != "exact" and qualifier != "exact":
            result = ParsedNumber(parsed.value, qualifier=qualifier)
    if percent:
        hundred = Decimal(100)
        result = ParsedNumber(
            _clean(result.value / hundred),
            None if result.low is None else _clean(result.low / hundred),
            None if result.high is None else _clean(result.high / hundred),
            result.qualifier,
            True,
        )
    return result


def _parse_body(body: str, original: str) -> ParsedNumber:
    several = _SEVERAL.match(body) or _SEVERAL_OF.match(body)
    if several:
        scale = Decimal(_SEVERAL_SCALE[several.group(1)])
        return _range(2 * scale, 9 * scale)
    reaching = _REACHING.match(body)
    if reaching:
        return ParsedNumber(Decimal(_SEVERAL_SCALE[reaching.group(1)]), qualifier="more_than")
    body = _BETWEEN.sub("", body)
    adjacent = _TWO_ADJACENT.match(body)
    if adjacent and _DIGITS[adjacent.group(2)] == _DIGITS[adjacent.group(1)] + 1:
        scale = Decimal(_SEVERAL_SCALE[adjacent.group(3)]) if adjacent.group(3) else Decimal(1)
        return _range(_DIGITS[adjacent.group(1)] * scale, _DIGITS[adjacent.group(2)] * scale)
    whole_words = _parse_english(body)  # "twenty-five" is one number, not a range
    if whole_words is not None:
        return ParsedNumber(whole_words)
    parts = _RANGE_SPLIT.split(body)
    if len(parts) == 2 and all(parts):
        low_text, high_text = parts
        high = _parse_single(high_text, original)
        # "1-2万" and "1.5-2 million": the multiplier written once applies to both ends
        mult = _TRAILING_MULTIPLIER.search(high_text)
        if mult and _BARE_DIGITS.fullmatch(low_text):
            low_text = low_text + mult.group(1)
        low = _parse_single(low_text, original)
        if low > high:
            raise InputError(
                f"range {original!r} runs backwards ({low} > {high})",
                field="text",
                hint="write the smaller number first",
            )
        return _range(low, high)
    return ParsedNumber(_parse_single(body, original))


def _range(low: Decimal, high: Decimal) -> ParsedNumber:
    return ParsedNumber(_clean((low + high) / 2), _clean(low), _clean(high), "range")


def _parse_single(text: str, original: str) -> Decimal:
    text = text.strip()
    arabic = _ARABIC.match(text)
    if arabic:
        digits = arabic.group("num").replace(",", "").replace(" ", "")
        try:
            number = Decimal(digits)
        except InvalidOperation as exc:  # pragma: no cover - the regex admits only digits
            raise InputError(f"cannot read {original!r} as a number", field="text") from exc
        mult = (arabic.group("mult") or "").strip()
        return _clean(number * _multiplier(mult, original))
    if text and text != "半" and all(
        ch in CHINESE_NUMERAL_CHARS or ch.isdigit() or ch == "." for ch in text
    ):
        return _parse_chinese(text, original)
    words = _parse_english(text)
    if words is not None:
        return words
    raise InputError(
        f"cannot read {original!r} as a number",
        field="text",
        hint="write digits, Chinese numerals or English number words",
    )


def _multiplier(mult: str, original: str) -> Decimal:
    named = {"thousand": 1000, "k": 1000, "million": 10**6, "m": 10**6, "billion": 10**9,
             "bn": 10**9, "hundred": 100}  # fmt: skip
    if mult in named:
        return Decimal(named[mult])
    factor = Decimal(1)
    for ch in mult:
        factor *= _SMALL_UNITS.get(ch) or _BIG_UNITS[ch]
    return factor


def _parse_chinese(text: str, original: str) -> Decimal:
    """Read a Chinese (or mixed Arabic-Chinese) numeral.

    Sections between the big units 亿 and 万 are summed from digit x small unit
    (十/百/千) pairs; a digit run with no unit at all (``二〇〇五``) is read
    positionally; a trailing digit right after a unit is read one step down
    (``一千二`` = 1200, ``两万五`` = 25000), as Chinese speech does.
    """
    for short, full in _CONTRACTIONS.items():
        text = text.replace(short, full)
    if not any(ch in _SMALL_UNITS or ch in _BIG_UNITS for ch in text):
        if all(ch in _DIGITS for ch in text):
            return Decimal("".join(str(_DIGITS[ch]) for ch in text))
    # tokens: Arabic runs (possibly decimal) count as one digit-like number
    tokens = _CN_TOKENS.findall(text)
    total = Decimal(0)
    section = Decimal(0)
    number: Decimal | None = None
    unit_before = 0  # the unit written directly before the pending digit, 0 if none
    last_unit = 0
    for tok in tokens:
        if tok[0].isdigit() or tok in _DIGITS:
            digit = Decimal(tok) if tok[0].isdigit() else Decimal(_DIGITS[tok])
            if tok in _DIGITS and digit == 0:
                last_unit = 0  # 三千零五: after a zero the next digit is a plain unit
                continue
            if number is not None:
                raise InputError(f"cannot read {original!r} as a number", field="text")
            number = digit
            unit_before = last_unit
            last_unit = 0
        elif tok in _SMALL_UNITS or tok in _BIG_UNITS:
            if tok in _SMALL_UNITS:
                unit = _SMALL_UNITS[tok]
                section += (number if number is not None else Decimal(1)) * unit
            else:
                unit = _BIG_UNITS[tok]
                value = section + (number if number is not None else Decimal(0))
                value = value if value else Decimal(1)
                total = (total + value) * unit if unit == 100_000_000 else total + value * unit
                section = Decimal(0)
            number = None
            last_unit = unit
        else:
            raise InputError(f"cannot read {original!r} as a number", field="text")
    if number is not None:
        if unit_before >= 100:
            number = number * unit_before / 10
        section += number
    return _clean(total + section)


def _parse_english(text: str) -> Decimal | None:
    if text.strip() == "半":  # 半年, 半个月: half
        return Decimal("0.5")
    words = [w for w in _WORD_SPLIT.split(text.strip()) if w and w != "and"]
    if not words:
        return None
    if words in (["a"], ["an"]):  # "a week", "an hour"
        return Decimal(1)
    total = 0
    current = 0
    seen = False
    for i, word in enumerate(words):
        if word in ("a", "an") and i + 1 < len(words) and words[i + 1] in (*_EN_SCALES, "dozen"):
            current += 1
            seen = True
        elif word in _EN_UNITS and word not in ("a", "an"):
            current += _EN_UNITS[word]
            seen = True
        elif word == "dozen":
            current = (current or 1) * 12
            seen = True
        elif word == "hundred":
            current = (current or 1) * 100
            seen = True
        elif word in _EN_SCALES:
            total += (current or 1) * _EN_SCALES[word]
            current = 0
            seen = True
        else:
            return None
    return Decimal(total + current) if seen else None


def _clean(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (1.30 -> 1.3, 3E+3 -> 3000)."""
    normalised = value.normalize()
    sign, digits, exponent = normalised.as_tuple()
    if isinstance(exponent, int) and exponent > 0:
        return normalised.quantize(Decimal(1))
    return normalised


def format_decimal(value: Decimal) -> str:
    """The plain decimal string used in serialised claims (``"3000"``, ``"1.3"``)."""
    return format(_clean(value), "f")
