"""Length-preserving text normalisation and sentence splitting.

Everything the extractor matches runs on a normalised copy of the input made by
:func:`normalise`, a one-character-to-one-character mapping. Because the copy has
the same length as the original, every offset found in it is also an offset into
the caller's text, so spans never need re-mapping.

The mapping folds:

* full-width ASCII (``０-９``, ``％``, ``，`` ...) and the ideographic space to ASCII;
* ASCII upper case to lower case (only A-Z: ``str.lower`` may change lengths);
* the traditional-script characters that occur in transplant, hospital and numeral
  vocabulary to their simplified forms (``腎`` → ``肾``, ``萬`` → ``万``, ``餘`` → ``余``).
  The table is deliberately limited to that vocabulary; it is not a general
  traditional-to-simplified converter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

# Pairs of (traditional, simplified), written as two aligned strings.
_TRAD = (
    "萬億兩餘來幾數約腎臟體膽腸脈術療醫護師職員張間週個們這為與從對於發開實現計積總歲"
    "僅達過說將無時後裡裏區縣鄉廣東華國軍陸濟門灣遼龍陽慶長貴雲關臺蘇鄭漢寧瀋澤聯屬學"
    "院歷紀錄記數據價費錢資額財補撥經層級專業設備樓層單獨綜營務權臨診並當進導學術規範"
    "標準統稱號碼電話傳網頁郵編誌屆連續創際協會區醫藥衛生廳局處組織例類顆嚴壓癒應變"
    "齡齊點擊閱讀覽權檢測驗證書寫讀務勞動員額參貳陸捌玖億仟佰拾壹肆伍柒歲夠還餐廳"
    "幣內獲項擁施屆僅麼臺員"
)
_SIMP = (
    "万亿两余来几数约肾脏体胆肠脉术疗医护师职员张间周个们这为与从对于发开实现计积总岁"
    "仅达过说将无时后里里区县乡广东华国军陆济门湾辽龙阳庆长贵云关台苏郑汉宁沈泽联属学"
    "院历纪录记数据价费钱资额财补拨经层级专业设备楼层单独综营务权临诊并当进导学术规范"
    "标准统称号码电话传网页邮编志届连续创际协会区医药卫生厅局处组织例类颗严压愈应变"
    "龄齐点击阅读览权检测验证书写读务劳动员额参贰陆捌玖亿仟佰拾壹肆伍柒岁够还餐厅"
    "币内获项拥施届仅么台员"
)
assert len(_TRAD) == len(_SIMP)

_TABLE: dict[int, int] = {ord(t): ord(s) for t, s in zip(_TRAD, _SIMP, strict=True) if t != s}
# full-width ASCII block U+FF01..U+FF5E maps onto U+0021..U+007E
_TABLE.update({code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)})
_TABLE.update({ord(c): ord(c.lower()) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
_TABLE.update(
    {
        0x3000: 0x20,  # ideographic space
        0x00A0: 0x20,  # no-break space
        0x2009: 0x20,  # thin space
        0x202F: 0x20,  # narrow no-break space
        ord("〜"): ord("~"),
        ord("～"): ord("~"),
        ord("－"): ord("-"),
        ord("—"): ord("-"),
        ord("–"): ord("-"),
        ord("‐"): ord("-"),
        ord("﹪"): ord("%"),
        ord("’"): ord("'"),
        ord("．"): ord("."),
    }
)
# lowering full-width capitals as well keeps the mapping one-to-one in length
_TABLE.update({code: code - 0xFEE0 + 32 for code in range(0xFF21, 0xFF3B)})


def normalise(text: str) -> str:
    """Return ``text`` folded for matching; ``len(normalise(t)) == len(t)`` always."""
    return text.translate(_TABLE)


class Sentence(NamedTuple):
    """One sentence: its offsets and its text as given (raw or normalised).

    A named tuple rather than a dataclass: pages hold many sentences and tuples are
    several times cheaper to make.
    """

    start: int
    end: int
    text: str


# Chinese sentence ends (after normalisation full-width ！？；become ASCII), English
# ends followed by space, and line breaks (hospital pages put one claim per line).
_SENTENCE_END = re.compile(r"(?=[。！？；!?;.．\n])(?:[。！？；!?;]+|[.．](?=\s|$)|\n\s*\n|\n)")
# "No. 1 Hospital", "approx. 300", "Dr. Li": a full stop here does not end a sentence
_ABBREVIATION = re.compile(
    r"(?:\b(?:no|nos|dr|prof|mr|mrs|ms|st|approx|ca|vs|etc|e\.g|i\.e|inc|co|fig|jan|feb|mar|apr|"
    r"jun|jul|aug|sep|sept|oct|nov|dec)|\b[a-z])$",
    re.IGNORECASE,
)


def split_sentences(norm: str) -> Iterator[Sentence]:
    """Yield the sentences of a text (raw or normalised), with offsets.

    Chinese ends a sentence at 。！？； and English at ``.``/``!``/``?``/``;``
    followed by a space, except after a known abbreviation (``No.``, ``Dr.``).
    Line breaks end a sentence too. Leading and trailing spaces are trimmed.
    """
    start = 0
    for match in _SENTENCE_END.finditer(norm):
        end = match.end()
        if match.group()[0] in ".．" and _ABBREVIATION.search(norm, start, match.start()):
            continue
        yield from _trimmed(norm, start, end)
        start = end
    if start < len(norm):
        yield from _trimmed(norm, start, len(norm))


#: a "sentence" longer than this (a page without punctuation) is cut into pieces, at a
#: comma or space where possible, so that work per sentence stays bounded
MAX_SENTENCE = 2000
_SOFT_BREAK = re.compile(r"[，,、：:\s]")


def _trimmed(norm: str, start: int, end: int) -> Iterator[Sentence]:
    while end - start > MAX_SENTENCE:
        cut = start + MAX_SENTENCE
        breaks = [m.end() for m in _SOFT_BREAK.finditer(norm, start + MAX_SENTENCE // 2, cut)]
        if breaks:
            cut = breaks[-1]
        yield from _trimmed(norm, start, cut)
        start = cut
    while start < end and norm[start].isspace():
        start += 1
    while end > start and norm[end - 1].isspace():
        end -= 1
    if end > start:
        yield Sentence(start, end, norm[start:end])
